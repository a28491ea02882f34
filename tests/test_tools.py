"""The tools as a newcomer meets them: from a plain shell, with bad input, on a busy port.

Each documented command must work without an activated venv (the tools find the project's
.venv) or say what to run first; bad versions, syntax errors and unusable --output
directories end in one clear line that names the problem, never a traceback, and change
nothing.
"""

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest
import toyrepo
from runtimes import MPY_CROSS, ROOT, micropython_version

sys.path.insert(0, os.path.join(ROOT, "tools"))

import build  # noqa: E402
import devtools  # noqa: E402
import serve  # noqa: E402
from manifest import discover  # noqa: E402

BUILD = os.path.join(ROOT, "tools", "build.py")
SERVE = os.path.join(ROOT, "tools", "serve.py")


def _quiet(*args):
    pass


def _plain_env(**extra):
    """A plain shell's environment: no venv on PATH, no VIRTUAL_ENV, no tool overrides."""
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def _system_python():
    """A Python outside the project's venv, as a fresh shell has."""
    for path in ("/usr/bin/python3", shutil.which("python3", path="/usr/bin:/bin")):
        if path and os.path.exists(path) and not path.startswith(devtools.VENV):
            return path
    pytest.skip("no system python3 outside the venv")


def _run(args, env=None, cwd=None, python=None):
    return subprocess.run(
        [python or sys.executable] + args,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=120,
    )


def _one_line_error(proc, *words):
    """The command failed with exactly one line on stderr, holding every word."""
    err = proc.stderr.strip()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    for word in words:
        assert word in err, err
    return err


def _set_version(root, version, content=None):
    path = os.path.join(root, "python-ecosys/toycore/manifest.py")
    with open(path) as f:
        text = f.read()
    start = text.index('version="') + len('version="')
    end = text.index('"', start)
    with open(path, "w") as f:
        f.write(text[:start] + version + text[end:])
    if content is not None:
        with open(os.path.join(root, "python-ecosys/toycore/toycore/__init__.py"), "w") as f:
            f.write(content)


def _tree(path):
    found = {}
    for dirpath, _, names in os.walk(path):
        for name in names:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as f:
                found[os.path.relpath(full, path)] = f.read()
    return found


# -- versions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,ok",
    [("0.1.0", True), ("1.2", True), ("2.0.0rc1", True), ("banana", False), ("1.0-dev", False)],
)
def test_version_must_parse(text, ok):
    if ok:
        build.parse_version(text)
    else:
        with pytest.raises(build.BuildError, match="is not a version"):
            build.parse_version(text)


def test_version_order():
    ordered = ["0.1.0", "0.1.2", "0.2.0a1", "0.2.0b2", "0.2.0rc1", "0.2.0", "0.10.0", "1.0"]
    assert sorted(reversed(ordered), key=build.version_key) == ordered
    assert build.parse_version("1.0") == build.parse_version("1.0.0")


def test_unparsable_version_is_refused_in_one_line(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    _set_version(root, "banana")
    out = tmp_path / "index"
    proc = _run([BUILD, "--output", str(out), "--root", root])
    _one_line_error(proc, "toycore/manifest.py", "'banana' is not a version")
    assert not out.exists()


def test_new_version_must_be_higher_than_every_published_one(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    out = str(tmp_path / "index")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    _set_version(root, "0.3.0", "VALUE = 3\n")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    before = _tree(out)
    for lower in ("0.2.0", "0.2.9", "0.3.0rc1"):
        _set_version(root, lower, "VALUE = 'older'\n")
        with pytest.raises(build.BuildError, match="not higher than 0.3.0"):
            build.build_index(out, MPY_CROSS, root=root, log=_quiet)
        assert _tree(out) == before, "a refused build changed the index"
    # Rebuilding a published version unchanged is still fine, and latest stays the newest.
    _set_version(root, "0.3.0", "VALUE = 3\n")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    with open(os.path.join(out, "package", "6", "toycore", "latest.json")) as f:
        assert '"version":"0.3.0"' in f.read()


def test_rebuilding_an_older_published_version_leaves_latest_at_the_newest(tmp_path):
    """A build from an older checkout (a bisect, another branch) into the published index
    rebuilds versions that are already there unchanged: latest must not go back to them."""
    root = toyrepo.make(tmp_path / "repo")
    out = str(tmp_path / "index")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)  # toycore 0.1.0
    _set_version(root, "0.3.0", "VALUE = 3\n")
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    _set_version(root, "0.1.0", "VALUE = 1\n")  # the older checkout, exactly as published
    build.build_index(out, MPY_CROSS, root=root, log=_quiet)
    for variant in ("6", "py"):
        with open(os.path.join(out, "package", variant, "toycore", "latest.json")) as f:
            assert '"version":"0.3.0"' in f.read(), variant
    with open(os.path.join(out, "index.json")) as f:
        entry = [p for p in json.load(f)["packages"] if p["name"] == "toycore"][0]
    assert entry["version"] == "0.3.0", entry


# -- errors in one line ---------------------------------------------------------------------


def test_syntax_error_names_the_source_file_and_line(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    bad = os.path.join(root, "python-ecosys/toycore/toycore/extra.py")
    with open(bad, "w") as f:
        f.write("def fine():\n    return 1\n\ndef broken(:\n    pass\n")
    proc = _run([BUILD, "--output", str(tmp_path / "index"), "--root", root])
    err = _one_line_error(proc, bad + ":4", "SyntaxError")
    assert "/tmp/tmp" not in err.replace(str(tmp_path), ""), err


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_bad_output_is_one_line(tmp_path, where):
    root = toyrepo.make(tmp_path / "repo")
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me\n")
    output = blocker if where == "a file" else blocker / "index"
    proc = _run([BUILD, "--output", str(output), "--root", root])
    _one_line_error(proc, "--output", str(output))
    assert blocker.read_text() == "keep me\n"


# -- a plain shell ----------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.isdir(devtools.VENV_BIN), reason="no .venv: tools/dev.py venv")
def test_build_works_from_a_plain_shell(tmp_path):
    """The README's command, with the system Python and no venv on PATH."""
    root = toyrepo.make(tmp_path / "repo")
    out = tmp_path / "index"
    proc = _run(
        [BUILD, "--output", str(out), "--root", root], env=_plain_env(), python=_system_python()
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "package" / "6" / "toydriver" / "latest.json").exists()


def test_without_the_venv_the_error_says_what_to_run(tmp_path):
    """A fresh clone with no .venv and no mpy-cross anywhere: one line naming the fix."""
    clone = tmp_path / "clone"
    shutil.copytree(os.path.join(ROOT, "tools"), clone / "tools")
    toyrepo.make(clone)
    proc = _run(
        [str(clone / "tools" / "build.py"), "--output", str(tmp_path / "index")],
        env=_plain_env(PATH=str(tmp_path)),  # nothing on PATH
        python=_system_python(),
    )
    _one_line_error(proc, "mpy-cross not found", "python3 tools/dev.py venv")


def test_a_tool_named_by_environment_must_exist(tmp_path):
    with pytest.raises(devtools.ToolError, match="MICROPYTHON=.*not an executable"):
        devtools.find_tool("micropython", env={"MICROPYTHON": str(tmp_path / "nope")})
    assert devtools.find_tool("mpy-cross", env={"MPY_CROSS": MPY_CROSS}) == MPY_CROSS


# -- serve ----------------------------------------------------------------------------------


def test_serve_on_a_busy_port_says_so_before_building(tmp_path):
    root = toyrepo.make(tmp_path / "repo")
    out = tmp_path / "index"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        cmd = [SERVE, "--host", "127.0.0.1", "--port", str(port), "--root", root]
        proc = _run(cmd + ["--output", str(out)])
    _one_line_error(proc, "port %d is already in use" % port)
    assert not out.exists(), "the index was built although the port was busy"


def test_lan_address_is_that_of_the_default_route_or_none():
    address = serve.lan_address()
    assert address is None or not address.startswith("127."), address
    # A probe that only loopback reaches gives no address a board could use.
    assert serve.lan_address(("127.0.0.1", 9)) is None


def test_without_a_lan_address_no_board_line_is_printed(tmp_path):
    packages = discover(toyrepo.make(tmp_path / "repo"))
    text = "\n".join(serve.usage_lines("http://127.0.0.1:8000", packages, board_url=False))
    assert "mip.install" not in text
    assert "no LAN address" in text
    assert "mpremote mip install --index http://127.0.0.1:8000 toycore" in text


# -- oldest MicroPython per package -----------------------------------------------------------


def test_every_package_readme_states_its_oldest_micropython():
    missing = []
    for name, package in discover().items():
        oldest = build.oldest_micropython(package.path)
        if oldest is None:
            missing.append(name)
            continue
        # mip, the install route, exists from 1.20 on.
        assert oldest.version >= (1, 20), (name, oldest.version)
        assert oldest.reason or oldest.version == (1, 20), "%s: say why not 1.20" % name
    assert not missing, "READMEs without `%s 1.NN (reason)`: %s" % (build.OLDEST_LINE, missing)


def test_oldest_line_may_wrap_and_is_checked(tmp_path):
    (tmp_path / "README.md").write_text(
        "# x\n\nOldest MicroPython supported: 1.22 (1.20 with fast_io: it\nneeds a thing).\n"
    )
    oldest = build.oldest_micropython(str(tmp_path))
    assert oldest.version == (1, 22) and oldest.fast_io == (1, 20)
    assert str(oldest) == "1.22 (1.20 with fast_io)"
    (tmp_path / "README.md").write_text("Oldest MicroPython supported: soon\n")
    with pytest.raises(build.BuildError, match="write the line as"):
        build.oldest_micropython(str(tmp_path))


def test_asyn_says_at_import_that_an_older_release_needs_fast_io():
    """Runs with MICROPYTHON=<a 1.20 build>: asyn refuses with a message, and imports once
    fast_io is installed."""
    from runtimes import run_micropython

    here = micropython_version()
    if here is None or here[:2] >= (1, 21):
        pytest.skip("needs MicroPython 1.20 (MICROPYTHON=path); this is %s" % (here,))
    proc = run_micropython(["-c", "import asyn"])
    assert "asyn needs MicroPython 1.21 or later" in proc.stderr, proc.stderr
    proc = run_micropython(["-c", "import fast_io; fast_io.install(); import asyn; print('ok')"])
    assert proc.stdout.strip() == "ok", proc.stderr


# -- requiring a micropython-lib package ------------------------------------------------------

TOY_MICROPYTHON_LIB = {
    # laid out like micropython-lib: a meta package forwarding to a component, as aioble does
    "micropython/bluetooth/toyble/manifest.py": 'metadata(version="0.6.2")\n'
    'require("toyble-core")\n',
    "micropython/bluetooth/toyble-core/manifest.py": 'metadata(version="0.4.0")\n'
    'package("toyble", files=("__init__.py",), base_path="../toyble")\n',
    "micropython/bluetooth/toyble/toyble/__init__.py": "RADIO = 'on'\n",
}
TOY_SENSOR = {
    "drivers/toysensor/manifest.py": 'metadata(description="Needs toyble.", version="0.1.0")\n'
    'require("toyble")\nmodule("toysensor.py")\n',
    "drivers/toysensor/toysensor.py": "import toyble\n\nSTATE = toyble.RADIO\n",
}


def test_a_micropython_lib_dependency_is_named_or_built_into_the_index(tmp_path):
    from runtimes import run_micropython
    from test_mip_install import installed_files, mip_install

    root = toyrepo.make(tmp_path / "repo", TOY_SENSOR)
    mplib = str(tmp_path / "micropython-lib")
    toyrepo.write(mplib, TOY_MICROPYTHON_LIB)
    out = str(tmp_path / "index")
    # Without micropython-lib the build says what to give it, and builds nothing.
    proc = _run([BUILD, "--output", out, "--root", root], env=dict(os.environ, MPY_LIB_DIR=""))
    _one_line_error(proc, "'toyble' not found", "--micropython-lib DIR")
    assert not os.path.exists(out)
    # With it, the index carries toyble (and what it requires) from the checkout.
    build.build_index(out, MPY_CROSS, root=root, log=_quiet, micropython_lib=mplib)
    with open(os.path.join(out, "package", "6", "toysensor", "latest.json")) as f:
        assert '"deps":[["toyble","latest"]]' in f.read()
    server = serve.IndexServer(out, quiet=True).start()
    try:
        target = str(tmp_path / "lib")
        mip_install(server, "toysensor", target, index=server.url)
        assert installed_files(target) == {"toysensor.mpy", "toyble/__init__.mpy"}
        proc = run_micropython(["-c", "import toysensor; print(toysensor.STATE)"], path=[target])
        assert proc.stdout.strip() == "on", proc.stderr
    finally:
        server.shutdown()
    # package.json names it for mip's default index, micropython-lib's.
    packages = discover(root, micropython_lib=mplib)
    doc = build.package_json(packages["toysensor"], packages, root)
    assert '"toyble",\n      "latest"' in doc, doc


def test_dev_refuses_a_python_older_than_the_tools_need():
    import dev
    from test_pypi import _cpython

    older = "%d.%d" % (dev.MIN_PYTHON[0], dev.MIN_PYTHON[1] - 1)
    python = _cpython(older)
    if not python:
        pytest.skip("no CPython %s here" % older)
    proc = _run([os.path.join(ROOT, "tools", "dev.py"), "venv"], python=python)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "need Python %d.%d or later" % dev.MIN_PYTHON in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


@pytest.mark.skipif(not os.path.isdir(devtools.VENV_BIN), reason="no .venv: tools/dev.py venv")
def test_pypi_tool_moves_itself_into_the_venv_from_a_plain_shell(tmp_path):
    """The system Python has no build or twine: the tool runs again in .venv (which has),
    so what it reports is about the repository, not about missing tools."""
    root = toyrepo.make(tmp_path / "repo")  # no package there has pypi_publish
    tool = os.path.join(ROOT, "tools", "pypi.py")
    proc = _run(
        [tool, "build", "--output", str(tmp_path / "dist"), "--root", root],
        env=_plain_env(),
        python=_system_python(),
    )
    _one_line_error(proc, "no package has pypi_publish")
