"""The on-board route: build the index, serve it on 127.0.0.1, and install every package with
the real MicroPython's own `mip` into an empty directory.

Checks that exactly the expected files arrive and nothing else is fetched, that the installed
package imports and runs its README example from there, and the other ways of installing:
plain .py sources, a pinned older version, a repeat install that downloads nothing again, and
an install straight from the repository's package.json files.
"""

import json
import os
import shutil
import sys

import pytest
import toyrepo
from docs_examples import examples
from runtimes import (
    MPY_CROSS,
    ROOT,
    TEST_LIB,
    micropython_info,
    package_dirs,
    run_micropython,
    unsupported,
)

sys.path.insert(0, os.path.join(ROOT, "tools"))

import build  # noqa: E402
from manifest import ManifestError, discover  # noqa: E402
from serve import IndexServer  # noqa: E402

try:
    PACKAGES = discover()
except ManifestError:  # test_manifests.py reports it
    PACKAGES = {}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("index") / "index")
    build.build_index(out, MPY_CROSS, log=lambda *a: None)
    server = IndexServer(out, quiet=True).start()
    yield out, server
    server.shutdown()


def mip_install(server, name, target, **kwargs):
    """Run mip.install on MicroPython; returns (output, requested paths)."""
    before = len(server.requests)
    args = "".join(", %s=%r" % kv for kv in sorted(kwargs.items()))
    code = "import mip; mip.install(%r, target=%r%s)" % (name, target, args)
    proc = run_micropython(["-c", code], path=[])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Done" in proc.stdout, out
    return out, server.requests[before:]


def installed_files(target):
    found = set()
    for dirpath, _, filenames in os.walk(target):
        for name in filenames:
            found.add(os.path.relpath(os.path.join(dirpath, name), target))
    return found


def expected(index_dir, name, variant="6", version="latest", seen=None):
    """Files and requests a complete install of `name` needs, read from the index itself."""
    seen = set() if seen is None else seen
    if name in seen:
        return set(), []
    seen.add(name)
    rel = "/package/%s/%s/%s.json" % (variant, name, version)
    with open(index_dir + rel) as f:
        doc = json.load(f)
    files = {target for target, _ in doc["hashes"]}
    requests = [rel] + ["/file/%s/%s" % (h[:2], h) for _, h in doc["hashes"]]
    for dep, dep_version in doc["deps"]:
        more_files, more_requests = expected(index_dir, dep, variant, dep_version, seen)
        files |= more_files
        requests += more_requests
    return files, requests


def top_level_modules(files):
    names = set()
    for path in files:
        first = path.split("/")[0]
        names.add(first.rsplit(".", 1)[0] if "/" not in path else first)
    return sorted(names)


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_install_compiled(index, name, tmp_path):
    index_dir, server = index
    target = str(tmp_path / "lib")
    _, requests = mip_install(server, name, target, index=server.url)
    files, wanted = expected(index_dir, name)
    assert installed_files(target) == files
    assert sorted(requests) == sorted(wanted), "fetched something it did not need"
    assert all(f.endswith(".mpy") for f in files)
    reason = unsupported(name, "mp-asyncio")
    if reason:  # installed, but it does not claim to run here (MICROPYTHON=an older build)
        pytest.skip(reason)
    # The installed package imports from the target directory alone (plus MicroPython's own).
    imports = "; ".join("import " + m for m in top_level_modules(files))
    proc = run_micropython(["-c", imports + "; print('imported')"], path=[target])
    assert proc.stdout.strip().endswith("imported"), proc.stdout + proc.stderr
    # Its README example runs from the installed files (models for hardware come from the
    # devmodels sources, after the target: an installed devmodels comes first).
    readme = os.path.join(PACKAGES[name].path, "README.md")
    models = package_dirs()["devmodels"]
    # On 1.20, whose built-in is named uasyncio only, an application imports it by that name
    # (the READMEs of packages that support 1.20 say so): the examples get it as asyncio.
    info = micropython_info()
    prelude = ""
    if not info["asyncio"] and info["uasyncio"]:
        prelude = "import sys, uasyncio; sys.modules['asyncio'] = uasyncio\n"
    for line, source in examples(readme, "mp") if os.path.exists(readme) else ():
        script = tmp_path / ("example_%d.py" % line)
        script.write_text(prelude + source)
        proc = run_micropython([str(script)], path=[target, TEST_LIB, models], timeout=60)
        assert proc.returncode == 0, "%s:%d\n%s%s" % (readme, line, proc.stdout, proc.stderr)


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_install_sources_and_again(index, name, tmp_path):
    """mpy=False gives .py files; a second install finds them all and downloads no file."""
    index_dir, server = index
    target = str(tmp_path / "lib")
    mip_install(server, name, target, index=server.url, mpy=False)
    files, _ = expected(index_dir, name, variant="py")
    assert installed_files(target) == files and all(f.endswith(".py") for f in files)
    out, requests = mip_install(server, name, target, index=server.url, mpy=False)
    assert requests and not [r for r in requests if r.startswith("/file/")], requests
    assert "Exists:" in out


def test_package_json_install_from_repository(tmp_path):
    """`mip.install("github:owner/repo/path")` reads package.json and files from the
    repository. Serve this repository over HTTP and point mip's github: URLs at it."""
    server = IndexServer(ROOT, quiet=True).start()
    try:
        for name, package in PACKAGES.items():
            target = str(tmp_path / name)
            rel = os.path.relpath(package.path, ROOT)
            code = (
                "import mip\n"
                "_rewrite = mip._rewrite_url\n"
                "def _local(url, branch=None):\n"
                "    if url.startswith(%r):\n"
                "        return %r + url[%d:]\n"
                "    return _rewrite(url, branch)\n"
                "mip._rewrite_url = _local\n"
                "mip.install(%r, target=%r)\n"
            ) % (
                build.GITHUB + "/",
                server.url + "/",
                len(build.GITHUB) + 1,
                build.GITHUB + "/" + rel,
                target,
            )
            proc = run_micropython(["-c", code], path=[])
            assert proc.returncode == 0 and "Done" in proc.stdout, proc.stdout + proc.stderr
            want = {f.target_path for f in package.all_files}
            assert installed_files(target) == want
            imports = "; ".join("import " + m for m in top_level_modules(want))
            if unsupported(name, "mp-asyncio"):
                continue  # installed; importing it here is not claimed to work
            proc = run_micropython(["-c", imports], path=[target])
            assert proc.returncode == 0, proc.stderr
    finally:
        server.shutdown()


# -- versions, determinism and refusal, on a toy repository --------------------------------


def _bump(root, version, content):
    path = os.path.join(root, "python-ecosys/toycore/manifest.py")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace('version="0.1.0"', 'version="%s"' % version))
    with open(os.path.join(root, "python-ecosys/toycore/toycore/__init__.py"), "w") as f:
        f.write(content)


def _quiet(*args):
    pass


def test_build_is_deterministic(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    build.build_index(a, MPY_CROSS, root=root, log=_quiet)
    build.build_index(b, MPY_CROSS, root=root, log=_quiet)
    assert installed_files(a) == installed_files(b)
    for rel in installed_files(a):
        with open(os.path.join(a, rel), "rb") as fa, open(os.path.join(b, rel), "rb") as fb:
            assert fa.read() == fb.read(), rel
    # and building the same version into the same index again changes nothing
    build.build_index(a, MPY_CROSS, root=root, log=_quiet)
    assert installed_files(a) == installed_files(b)


def test_update_keeps_old_versions_and_pins_install(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    out = str(tmp_path / "index")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    _bump(root, "0.2.0", "VALUE = 2\n")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    with open(os.path.join(out, "index.json")) as f:
        doc = json.load(f)
    entry = [p for p in doc["packages"] if p["name"] == "toycore"][0]
    assert entry["version"] == "0.2.0"
    assert entry["versions"] == {"6": ["0.1.0", "0.2.0"], "py": ["0.1.0", "0.2.0"]}
    server = IndexServer(out, quiet=True).start()
    try:
        for version, value in (("0.1.0", 1), (None, 2)):
            target = str(tmp_path / ("lib-%s" % version))
            kwargs = {"index": server.url}
            if version:
                kwargs["version"] = version
            mip_install(server, "toycore", target, **kwargs)
            proc = run_micropython(
                ["-c", "import toycore; print(toycore.VALUE, toycore.__version__)"], path=[target]
            )
            assert proc.stdout.split() == [str(value), version or "0.2.0"], proc.stderr
        # a dependent package pulls its dependency through the same index
        target = str(tmp_path / "drv")
        _, requests = mip_install(server, "toydriver", target, index=server.url)
        assert "/package/6/toycore/latest.json" in requests
        proc = run_micropython(["-c", "import toydriver; print(toydriver.VALUE)"], path=[target])
        assert proc.stdout.strip() == "3", proc.stderr
    finally:
        server.shutdown()


def test_changed_file_under_published_version_is_refused(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    out = str(tmp_path / "index")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    before = {rel: open(os.path.join(out, rel), "rb").read() for rel in installed_files(out)}
    _bump(root, "0.1.0", "VALUE = 'changed'\n")
    with pytest.raises(build.BuildError, match="toycore version 0.1.0 is already published"):
        build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    after = {rel: open(os.path.join(out, rel), "rb").read() for rel in installed_files(out)}
    assert after == before, "a refused build changed the published index"
    assert sorted(os.listdir(tmp_path)) == ["index", "repo"]


def test_short_hash_collision_is_detected(tmp_path, monkeypatch):
    # With one hex digit there are 16 short hashes: 17 different files must collide.
    extra = {"drivers/toydriver/manifest.py": 'metadata(version="1.0")\n'}
    for i in range(17):
        extra["drivers/toydriver/manifest.py"] += 'module("m%d.py")\n' % i
        extra["drivers/toydriver/m%d.py" % i] = "X = %d\n" % i
    root = toyrepo.make(tmp_path / "repo", extra)
    monkeypatch.setattr(build, "SHORT_HASH_LEN", 1)
    with pytest.raises(build.BuildError, match="short hash collision"):
        build.build_index(str(tmp_path / "index"), MPY_CROSS, root=root, log=_quiet)
    assert not (tmp_path / "index").exists()


def test_server_prints_install_lines(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    packages = discover(root)
    import serve

    lines = serve.usage_lines("http://192.0.2.1:8000", packages)
    text = "\n".join(lines)
    assert "mip.install('toycore', index='http://192.0.2.1:8000')" in text
    assert "mpremote mip install --index http://192.0.2.1:8000 toycore" in text
    shutil.rmtree(root)


def test_serve_command_builds_serves_and_prints_install_lines(tmp_path):
    """The README's main job: `tools/dev.py serve` (here tools/serve.py on 127.0.0.1 and a free
    port) builds the index, serves it and prints the lines a board needs; they work."""
    import re
    import subprocess

    root = toyrepo.make(tmp_path / "repo")
    tool = os.path.join(ROOT, "tools", "serve.py")
    cmd = [sys.executable, tool, "--host", "127.0.0.1", "--port", "0", "--root", root]
    cmd += ["--output", str(tmp_path / "index")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:  # read until the last line of the banner has arrived
            lines.append(line)
            if "mpremote mip install" in line:
                break
        text = "".join(lines)
        call = re.search(r"mip\.install\('toycore', index='(http://127\.0\.0\.1:\d+)'\)", text)
        assert call, text
        assert "mpremote mip install --index %s toycore" % call.group(1) in text
        target = str(tmp_path / "lib")
        code = "import mip; mip.install('toydriver', index=%r, target=%r)" % (
            call.group(1),
            target,
        )
        result = run_micropython(["-c", code], path=[])
        assert "Done" in result.stdout, result.stdout + result.stderr
        assert installed_files(target) == {
            "toydriver.mpy",
            "toycore/__init__.mpy",
            "toycore/extra.mpy",
        }
    finally:
        proc.kill()
        proc.wait()


def test_corrupt_index_file_is_reported(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    out = str(tmp_path / "index")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    victim = sorted(f for f in installed_files(out) if f.startswith("file/"))[0]
    with open(os.path.join(out, victim), "ab") as f:
        f.write(b"garbage")
    with pytest.raises(build.BuildError, match="corrupt file in the existing index: " + victim):
        build.build_index(out, MPY_CROSS, root=root, log=_quiet)


def test_corrupt_index_json_is_replaced(tmp_path):
    """index.json is only for people: a broken one is rebuilt from the version files."""
    root = toyrepo.make(tmp_path / "repo")
    out = str(tmp_path / "index")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    with open(os.path.join(out, "index.json"), "w") as f:
        f.write("{not json")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    with open(os.path.join(out, "index.json")) as f:
        names = [p["name"] for p in json.load(f)["packages"]]
    assert names == ["toycore", "toydriver"]
