"""The PyPI route (tools/pypi.py): sdists and wheels, installs from them, an index upload.

Every package whose manifest gives `pypi_publish` is picked up by itself, together with a toy
repository made here (two packages, one requiring the other, a sub-package and a file that
sets its own __version__), so the tool is exercised the same way whatever the repository
holds. For each package:

- the sdist and wheel pass `twine check --strict`, the wheel holds exactly the manifest's target
  paths (plus .dist-info), each module has a __version__ and the metadata names the right
  dependencies;
- the wheel installs into a new venv with pip from the build directory alone, and the package's
  portable tests (tests/portable/<package>/*.py that run on cpy-asyncio) pass there with only
  tests/lib on PYTHONPATH, importing the package from the venv;
- twine uploads everything to a pypiserver on 127.0.0.1 (no fallback to pypi.org), and pip
  installs from that index alone, dependencies included.

New venvs are made with `--without-pip` and filled by this Python's pip (`pip --python`): the
same install, a few seconds faster per venv.
"""

import contextlib
import glob
import os
import re
import socket
import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
import zipfile

import pytest

from runtimes import (
    ROOT,
    TEST_LIB,
    check_ptest_output,
    declared_runtimes,
    run_cpython,
    run_portable,
)

sys.path.insert(0, os.path.join(ROOT, "tools"))

import pypi  # noqa: E402
from manifest import ManifestError, discover  # noqa: E402

PYPI_TOOL = os.path.join(ROOT, "tools", "pypi.py")

try:
    PUBLISHED = sorted(n for n, p in discover().items() if p.metadata.pypi_publish)
    DISCOVER_ERROR = None
except ManifestError as e:  # reported by test_repository_manifests_evaluate
    PUBLISHED, DISCOVER_ERROR = [], str(e)

# (repository, package): "repo" is this repository, "toy" the one made below.
CASES = [("toy", "toyapp"), ("toy", "toybase")] + [("repo", n) for n in PUBLISHED]
CASE_IDS = ["%s-%s" % case for case in CASES]


# -- toy repositories -----------------------------------------------------------------------


def _manifest(name, version, pypi=True, extra=(), description=None):
    args = [
        "description=%r" % (description or "Toy package %s." % name),
        "version=%r" % version,
        'license="MIT"',
        'author="toy authors"',
    ]
    if pypi:
        args.append(
            "pypi_publish=%r" % (pypi if isinstance(pypi, str) else "micropython-async-" + name)
        )
    return "metadata(%s)\n" % ", ".join(args) + "".join(line + "\n" for line in extra)


def write_tree(root, files):
    """Write {relative path: text} under root."""
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return str(root)


def _licence():
    with open(os.path.join(ROOT, "LICENSE")) as f:
        return f.read()


TOY = {
    "LICENSE": None,  # filled with the repository's
    "python-ecosys/toybase/manifest.py": _manifest(
        "toybase", "1.2.0", extra=['module("toybase.py")']
    ),
    "python-ecosys/toybase/toybase.py": "def answer():\n    return 42\n",
    "python-ecosys/toybase/README.md": "# toybase\n\nThe answer, `toybase.answer()`.\n",
    "python-ecosys/toyapp/manifest.py": _manifest(
        "toyapp", "0.3.1", extra=['require("toybase")', 'package("toyapp")']
    ),
    "python-ecosys/toyapp/toyapp/__init__.py": "from toybase import answer\n\n\n"
    "async def doubled():\n    return 2 * answer()\n",
    "python-ecosys/toyapp/toyapp/core.py": '__version__ = "own"\n',
    "python-ecosys/toyapp/toyapp/sub/deep.py": "DEPTH = 2\n",
    "python-ecosys/toyapp/README.md": "# toyapp\n\nDoubles `toybase.answer()`.\n",
    # A MicroPython-only package: no pypi_publish, nobody published requires it.
    "micropython/mponly/manifest.py": _manifest(
        "mponly", "0.1.0", pypi=False, extra=['module("mponly.py")']
    ),
    "micropython/mponly/mponly.py": "X = 1\n",
    "tests/portable/toybase/ptest_toybase.py": "# runtimes: mp-asyncio cpy-asyncio\n"
    "import ptest\nimport toybase\nfrom ptest import test\n\n\n@test\ndef answers():\n"
    "    ptest.eq(toybase.answer(), 42)\n\n\nptest.main()\n",
    "tests/portable/toyapp/ptest_toyapp.py": "import ptest\nimport toyapp\nimport toyapp.core\n"
    "import toyapp.sub.deep\nfrom ptest import test\n\n\n@test\nasync def doubles():\n"
    "    ptest.eq(await toyapp.doubled(), 84)\n\n\n@test\ndef own_version_kept():\n"
    '    ptest.eq(toyapp.core.__version__, "own")\n    ptest.eq(toyapp.__version__, "0.3.1")\n'
    "\n\nptest.main()\n",
    # Limited to MicroPython: must not be run by the venv test.
    "tests/portable/toyapp/ptest_mp_only.py": "# runtimes: mp-asyncio\nraise SystemExit(3)\n",
}


def make_toy(root, extra=None, drop=()):
    files = dict(TOY, LICENSE=_licence())
    files.update(extra or {})
    for rel in drop:
        del files[rel]
    return write_tree(root, files)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("pypi")


@pytest.fixture(scope="module")
def roots(work):
    return {"repo": ROOT, "toy": make_toy(work / "toy")}


@pytest.fixture(scope="module")
def built(work, roots):
    """Each repository built once: {kind: (packages, dist dir, {pypi name: files})}."""
    cache = {}

    def get(kind):
        if kind not in cache:
            dist = str(work / ("dist-" + kind))
            made = pypi.build(dist, root=roots[kind], log=lambda *a: None)
            cache[kind] = (discover(roots[kind], cpython=True), dist, made)
        return cache[kind]

    return get


def _pip_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def new_venv(path):
    """A fresh venv (no system site-packages, so nothing from the source tree)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    return os.path.join(str(path), "bin", "python")


def pip_install(python, *args):
    cmd = [sys.executable, "-m", "pip", "--python", python, "install", "--no-cache-dir"]
    proc = subprocess.run(cmd + list(args), capture_output=True, text=True, env=_pip_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def top_level(package):
    """The importable top-level names a package ships."""
    return sorted({f.target_path.split("/")[0].replace(".py", "") for f in package.files})


def where_imported(python, module, cwd):
    proc = run_cpython(
        ["-c", "import %s; print(%s.__file__)" % (module, module)],
        path=[TEST_LIB],
        python=python,
        cwd=str(cwd),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return os.path.realpath(proc.stdout.strip())


# -- the distributions ------------------------------------------------------------------------


def test_repository_manifests_evaluate():
    assert DISCOVER_ERROR is None, DISCOVER_ERROR


@pytest.mark.parametrize("kind,name", CASES, ids=CASE_IDS)
def test_sdist_and_wheel(built, roots, kind, name):
    packages, dist, made = built(kind)
    package = packages[name]
    pypi_name = package.metadata.pypi_publish
    assert pypi_name == "micropython-async-" + name
    stem = "%s-%s" % (pypi_name.replace("-", "_"), package.version)
    wheel, sdist = stem + "-py3-none-any.whl", stem + ".tar.gz"
    assert sorted(made[pypi_name]) == sorted([wheel, sdist])
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", wheel, sdist],
        cwd=dist,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr

    targets = {f.target_path for f in package.files}
    with zipfile.ZipFile(os.path.join(dist, wheel)) as z:
        names = z.namelist()
        shipped = {n for n in names if not n.split("/")[0].endswith(".dist-info")}
        assert shipped == targets
        assert {n.split("/")[0] for n in names if n not in shipped} == {stem + ".dist-info"}
        for file in package.files:
            data = z.read(file.target_path)
            with open(file.full_path, "rb") as f:
                source = f.read()
            assert data.startswith(source)
            if b"__version__ =" in source:
                assert data == source, "%s has its own __version__" % file.target_path
            else:
                want = "__version__ = %r" % package.version
                assert data.decode().rstrip().endswith(want), file.target_path
        meta = z.read(stem + ".dist-info/METADATA").decode()
    assert "\nVersion: %s\n" % package.version in meta
    assert "\nRequires-Python: >=3.8\n" in meta
    assert "\nLicense-Expression: MIT\n" in meta
    requires = sorted(
        line[len("Requires-Dist: ") :]
        for line in meta.splitlines()
        if line.startswith("Requires-Dist: ")
    )
    want = [
        "%s>=%s" % (packages[d].metadata.pypi_publish, packages[d].version) for d in package.deps
    ]
    optional = pypi.extras(package) if kind == "repo" else {}
    want += ['%s; extra == "%s"' % (r, e) for e, rs in optional.items() for r in rs]
    assert requires == sorted(want)
    provides = [line.split(": ", 1)[1] for line in meta.splitlines() if "Provides-Extra:" in line]
    assert sorted(provides) == sorted(optional)
    assert pypi.long_description(package, roots[kind]).strip() in meta
    for key, url in pypi.project_urls(package, roots[kind]).items():
        assert "\nProject-URL: %s, %s\n" % (key, url) in meta

    with tarfile.open(os.path.join(dist, sdist)) as t:
        inside = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "LICENSE", "PKG-INFO"} <= inside
    assert targets <= inside


@pytest.mark.parametrize("name", PUBLISHED)
def test_pypi_description_has_absolute_links_and_no_board_instructions(name):
    package = discover(cpython=True)[name]
    text = pypi.long_description(package, ROOT)
    relative = [
        m.group(2)
        for m in re.finditer(r"(\]\()([^)\s]+)\)", text)
        if not re.match(r"^(https?:|#)", m.group(2))
    ]
    assert not relative, "links PyPI cannot follow: %s" % relative
    for board_only in ("mpremote", "mip.install", "add_library(", "manifest.py"):
        assert board_only not in text, board_only
    assert "pip install %s" % package.metadata.pypi_publish in text
    for link in re.findall(r"\]\((%s/[^)]+)\)" % re.escape(pypi.REPOSITORY_URL), text):
        path = link.split("/main/", 1)[1]
        assert os.path.exists(os.path.join(ROOT, path)), "link to a missing file: " + link


@pytest.mark.parametrize("kind,name", CASES, ids=CASE_IDS)
def test_wheel_installs_and_passes_portable_tests(built, roots, tmp_path, kind, name):
    packages, dist, _ = built(kind)
    package = packages[name]
    python = new_venv(tmp_path / "venv")
    wanted, links = package.metadata.pypi_publish, ["--find-links", dist]
    optional = sorted(pypi.extras(package)) if kind == "repo" else []
    if optional:  # with its extras, whose wheels come from pip (cache or package index)
        links += ["--find-links", extras_wheelhouse(package, tmp_path / "extras")]
        wanted += "[%s]" % ",".join(optional)
    pip_install(python, "--no-index", *links, wanted)
    venv = os.path.realpath(str(tmp_path / "venv")) + os.sep
    for module in top_level(package):
        assert where_imported(python, module, tmp_path).startswith(venv), module

    # What pip shows: the licence and where the project lives.
    cmd = [sys.executable, "-m", "pip", "--python", python, "show", pypi_name_of(package)]
    shown = subprocess.run(cmd, capture_output=True, text=True, env=_pip_env()).stdout
    assert "\nLicense-Expression: MIT\n" in shown, shown
    assert "\nHome-page: %s/tree/main/" % pypi.REPOSITORY_URL in shown, shown

    scripts = sorted(glob.glob(os.path.join(roots[kind], "tests", "portable", name, "*.py")))
    scripts = [s for s in scripts if "cpy-asyncio" in declared_runtimes(s)]
    assert scripts, "package %s has no portable test that runs on cpy-asyncio" % name
    for script in scripts:
        # Only tests/lib on the path: the package can come from nowhere but the venv.
        check_ptest_output(run_portable(script, "cpy-asyncio", path=[TEST_LIB], python=python))


def pypi_name_of(package):
    return package.metadata.pypi_publish


def _cpython(version):
    """A CPython of that version (PATH, then pyenv's versions), or None."""
    import shutil

    found = shutil.which("python" + version)
    pyenv = os.path.expanduser("~/.pyenv/versions")
    if os.path.isdir(pyenv):
        for name in sorted(os.listdir(pyenv), reverse=True):
            if name.startswith(version + "."):
                found = os.path.join(pyenv, name, "bin", "python" + version)
                break
    return found if found and os.path.exists(found) else None


@pytest.mark.parametrize("version", [pypi.REQUIRES_PYTHON.lstrip(">=")])
def test_wheel_runs_on_the_oldest_cpython_it_claims(built, tmp_path, version):
    """requires-python says what the wheel needs: its tests pass on that CPython, in a venv
    made by that CPython with the pip it brings."""
    python = _cpython(version)
    if not python:
        pytest.skip("no CPython %s here (PATH or ~/.pyenv/versions)" % version)
    packages, dist, _ = built("repo") if PUBLISHED else pytest.skip("nothing published")
    venv = str(tmp_path / "venv")
    subprocess.run([python, "-m", "venv", venv], check=True, capture_output=True)
    vpython = os.path.join(venv, "bin", "python")
    for name in PUBLISHED:
        package = packages[name]
        cmd = [vpython, "-m", "pip", "install", "-q", "--no-index", "--find-links", dist]
        wanted, optional = package.metadata.pypi_publish, sorted(pypi.extras(package))
        if optional:  # the extras too: some of the package's tests use them
            cmd += ["--find-links", extras_wheelhouse(package, tmp_path / ("extras-" + name))]
            wanted += "[%s]" % ",".join(optional)
        proc = subprocess.run(cmd + [wanted], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        scripts = sorted(glob.glob(os.path.join(ROOT, "tests", "portable", name, "*.py")))
        for script in [s for s in scripts if "cpy-asyncio" in declared_runtimes(s)]:
            check_ptest_output(
                run_portable(script, "cpy-asyncio", path=[TEST_LIB], python=vpython)
            )


def extras_wheelhouse(package, dest):
    """Wheels of the package's optional dependencies and theirs, at the versions pinned in
    requirements-dev.txt, fetched by pip with the machine's own configuration (its cache or
    the package index). Skips the test when pip cannot get them (no network, no cache)."""
    reqs = [r for rs in pypi.extras(package).values() for r in rs]
    cmd = [sys.executable, "-m", "pip", "download", "--only-binary", ":all:", "-q", "-d"]
    cmd += [str(dest), "-c", os.path.join(ROOT, "requirements-dev.txt")] + reqs
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip("pip cannot fetch the extras %s: %s" % (reqs, proc.stderr[-500:]))
    return str(dest)


# -- an index: upload with twine, install with pip ------------------------------------------


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def pypiserver(packages_dir, log):
    """A pypiserver on 127.0.0.1 with authentication and the pypi.org fallback off."""
    port = _free_port()
    server = os.path.join(os.path.dirname(sys.executable), "pypi-server")
    cmd = [server, "run", "-p", str(port), "-i", "127.0.0.1", "-a", ".", "-P", "."]
    cmd += ["--disable-fallback", "--log-stream", "none", str(packages_dir)]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = "http://127.0.0.1:%d" % port
    try:
        for _ in range(400):  # up to 20 s, ending as soon as it answers
            try:
                with urllib.request.urlopen(url + "/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.05)
            assert proc.returncode is None, "pypi-server exited: " + open(log).read()
        else:
            raise AssertionError("pypi-server did not answer: " + open(log).read())
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_upload_and_install_from_index(built, tmp_path, capfd):
    kinds = ["toy"] + (["repo"] if PUBLISHED else [])
    served = tmp_path / "served"
    served.mkdir()
    with pypiserver(served, tmp_path / "server.log") as url:
        upload = ["upload", "--repository-url", url + "/", "-u", "user", "-p", "secret"]
        uploaded = []
        for kind in kinds:
            _, dist, made = built(kind)
            assert pypi.main(upload + [dist]) == 0
            uploaded += [n for names in made.values() for n in names]
        assert sorted(os.listdir(str(served))) == sorted(uploaded)
        out, err = capfd.readouterr()
        assert "secret" not in out + err
        # The index keeps what it has: the same files again are refused, and reported.
        assert pypi.main(upload + [built("toy")[1]]) == 1
        out, err = capfd.readouterr()
        assert re.search(r"400\s+Bad\s+Request", out), out  # rich may wrap the line
        assert "pypi: error: twine upload to %s/ failed (exit 1)" % url in err

        # Only toyapp is asked for: toybase must come from the same index as its dependency.
        wanted = ["micropython-async-toyapp"]
        for kind in kinds[1:]:
            packages = built(kind)[0]
            wanted += [packages[n].metadata.pypi_publish for n in PUBLISHED]
        python = new_venv(tmp_path / "venv")
        proc = pip_install(python, "--index-url", url + "/simple/", *wanted)
        assert "micropython-async-toybase" in proc.stdout.lower().replace("_", "-")

    venv = os.path.realpath(str(tmp_path / "venv")) + os.sep
    modules = ["toyapp", "toybase"]
    for kind in kinds[1:]:
        packages = built(kind)[0]
        modules += [m for n in PUBLISHED for m in top_level(packages[n])]
    for module in modules:
        assert where_imported(python, module, tmp_path).startswith(venv), module


def test_upload_without_distributions_is_an_error(tmp_path, capsys):
    assert pypi.main(["upload", "--repository-url", "http://127.0.0.1:9/", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("pypi: error: no .whl or .tar.gz files in ")


# -- rebuilding and bad input ---------------------------------------------------------------


def _build_cli(root, output, *args):
    return subprocess.run(
        [sys.executable, PYPI_TOOL, "build", "--root", str(root), "--output", str(output)]
        + list(args),
        capture_output=True,
        text=True,
    )


def test_rebuild_is_identical_and_a_change_needs_a_version_bump(tmp_path):
    root = make_toy(tmp_path / "toy")
    out = tmp_path / "dist"
    env_epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    with _env(env_epoch):
        pypi.build(str(out), ["toybase"], root=root, log=lambda *a: None)
        first = {n: (out / n).read_bytes() for n in os.listdir(str(out))}
        # Same sources: the same bytes, so building into the same directory is accepted.
        pypi.build(str(out), ["toybase"], root=root, log=lambda *a: None)
        assert {n: (out / n).read_bytes() for n in os.listdir(str(out))} == first
        with open(os.path.join(root, "python-ecosys/toybase/toybase.py"), "a") as f:
            f.write("CHANGED = True\n")
        with pytest.raises(pypi.PypiError, match="bump the version"):
            pypi.build(str(out), ["toybase"], root=root, log=lambda *a: None)
    assert {n: (out / n).read_bytes() for n in os.listdir(str(out))} == first
    assert sorted(os.listdir(str(tmp_path))) == ["dist", "toy"]  # no work directory left


@contextlib.contextmanager
def _env(values):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_requiring_a_package_without_pypi_publish_is_an_error(tmp_path):
    root = make_toy(
        tmp_path / "toy",
        {
            "python-ecosys/needsmp/manifest.py": _manifest(
                "needsmp", "0.1.0", extra=['require("mponly")', 'module("needsmp.py")']
            ),
            "python-ecosys/needsmp/needsmp.py": "import mponly\n",
            "python-ecosys/needsmp/README.md": "# needsmp\n",
        },
    )
    proc = _build_cli(root, tmp_path / "dist")
    assert proc.returncode == 1
    assert proc.stderr.startswith("pypi: error: package needsmp requires package mponly, ")
    assert "pypi_publish" in proc.stderr
    assert not os.path.exists(str(tmp_path / "dist"))


def test_broken_manifest_reports_the_manifest_error_and_writes_nothing(tmp_path):
    root = make_toy(
        tmp_path / "toy",
        {"python-ecosys/broken/manifest.py": 'metadata(version="0.1.0"\nmodule("x.py")\n'},
    )
    proc = _build_cli(root, tmp_path / "dist")
    assert proc.returncode == 1
    with pytest.raises(ManifestError) as e:
        discover(root)
    assert proc.stderr == "pypi: error: %s\n" % e.value
    assert "broken/manifest.py: syntax error" in proc.stderr
    assert sorted(os.listdir(str(tmp_path))) == ["toy"]


def test_failure_after_some_packages_built_leaves_the_output_unchanged(tmp_path):
    # zzz sorts last, so toyapp and toybase are built before its version is refused.
    root = make_toy(
        tmp_path / "toy",
        {
            "python-ecosys/zzz/manifest.py": _manifest(
                "zzz", "1.0-not-pep440", extra=['module("zzz.py")']
            ),
            "python-ecosys/zzz/zzz.py": "\n",
            "python-ecosys/zzz/README.md": "# zzz\n",
        },
    )
    out = tmp_path / "dist"
    out.mkdir()
    (out / "old-0.1.tar.gz").write_bytes(b"earlier")
    proc = _build_cli(root, out)
    assert proc.returncode == 1
    assert "version '1.0-not-pep440' is not a PEP 440 version" in proc.stderr
    assert os.listdir(str(out)) == ["old-0.1.tar.gz"]
    assert sorted(os.listdir(str(tmp_path))) == ["dist", "toy"]


@pytest.mark.parametrize(
    "args,extra,message",
    [
        (["--package", "nosuch"], {}, "no package named 'nosuch'"),
        (["--package", "mponly"], {}, "package mponly has no pypi_publish"),
        (
            [],
            {
                "python-ecosys/misnamed/manifest.py": _manifest(
                    "misnamed", "0.1.0", pypi="async-misnamed", extra=['module("m.py")']
                ),
                "python-ecosys/misnamed/m.py": "\n",
            },
            "pypi_publish is 'async-misnamed'; packages of this collection are published as "
            "'micropython-async-misnamed'",
        ),
    ],
    ids=["unknown", "not-published", "misnamed"],
)
def test_bad_selection_or_name(tmp_path, capsys, args, extra, message):
    root = make_toy(tmp_path / "toy", extra)
    out = tmp_path / "dist"
    assert pypi.main(["build", "--root", root, "--output", str(out)] + args) == 1
    err = capsys.readouterr().err
    assert err.startswith("pypi: error: ") and message in err, err
    assert not os.path.exists(str(out))


def test_output_inside_a_package_is_refused(tmp_path):
    root = make_toy(tmp_path / "toy")
    out = os.path.join(root, "python-ecosys", "toyapp", "dist")
    with pytest.raises(pypi.PypiError, match="inside package toyapp"):
        pypi.build(out, root=root)
    assert not os.path.exists(out)
