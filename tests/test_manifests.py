"""Manifests: every package's manifest.py evaluates like MicroPython's tool would, the bundle
freezes in a firmware build, every shipped file cross-compiles, broken manifests fail clearly."""

import os
import subprocess
import sys

import pytest
import toyrepo
from runtimes import MPY_CROSS, ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))

import build  # noqa: E402
from manifest import MODE_FREEZE, Manifest, ManifestError, discover  # noqa: E402

try:
    PACKAGES = discover()
    DISCOVERY_ERROR = None
except ManifestError as e:  # reported by the first test rather than breaking collection
    PACKAGES, DISCOVERY_ERROR = {}, e


def test_repository_manifests_evaluate():
    assert DISCOVERY_ERROR is None, str(DISCOVERY_ERROR)
    assert PACKAGES, "no package found under micropython/, python-ecosys/ or drivers/"


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_package_manifest_compile_mode(name):
    """As micropython-lib's CI checks manifests: this repository is the library root."""
    package = PACKAGES[name]
    assert package.version and package.metadata.description and package.metadata.license
    assert package.files, "%s ships no file" % name
    for dep in package.deps:
        assert dep in PACKAGES, "%s requires %s, which is not in this repository" % (name, dep)
    for f in package.files:
        assert os.path.isfile(f.full_path)
        assert f.target_path.endswith(".py") and not f.target_path.startswith("/")


@pytest.fixture(scope="module")
def micropython_lib(tmp_path_factory):
    """An empty micropython-lib: a firmware build's library root, holding none of ours."""
    root = tmp_path_factory.mktemp("micropython-lib")
    for lib in ("micropython", "python-stdlib", "python-ecosys"):
        os.makedirs(os.path.join(root, lib))
    return str(root)


def _freeze(board_manifest_text, tmp_path, micropython_lib):
    board = os.path.join(tmp_path, "board_manifest.py")
    with open(board, "w") as f:
        f.write(board_manifest_text)
    m = Manifest(MODE_FREEZE, lib_root=micropython_lib)
    return m.execute(board, as_package=False)


def test_bundle_freezes_in_a_firmware_build(tmp_path, micropython_lib):
    """The README's one line freezes every package meant for boards, with micropython-lib as
    the library, and leaves out devmodels (the hardware stand-in for a PC)."""
    text = "include(%r)\n" % os.path.join(ROOT, "manifest.py")
    m = _freeze(text, tmp_path, micropython_lib)
    frozen = {f.target_path for f in m.files}
    assert not any(t.startswith("devmodels/") for t in frozen), "devmodels frozen"
    for package in PACKAGES.values():
        if package.name == "devmodels":
            continue
        for f in package.files:
            assert f.target_path in frozen, "bundle misses %s of %s" % (
                f.target_path,
                package.name,
            )


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_one_package_freezes_in_a_firmware_build(name, tmp_path, micropython_lib):
    """The README's other way: register the package's library directory, require it."""
    package = PACKAGES[name]
    library = os.path.dirname(package.path)
    while os.path.dirname(library) != ROOT:
        library = os.path.dirname(library)
    text = 'add_library("mine", %r)\nrequire(%r, library="mine")\n' % (library, name)
    m = _freeze(text, tmp_path, micropython_lib)
    frozen = {f.target_path for f in m.files}
    assert {f.target_path for f in package.all_files} <= frozen


def test_every_shipped_file_cross_compiles(tmp_path):
    for package in PACKAGES.values():
        for f in package.files:
            data = build.tagged_source(f, package.version)
            mpy = build.compile_mpy(MPY_CROSS, data, f.target_path)
            assert mpy[:1] == b"M" and mpy[1] == 6, "%s: not an mpy v6 file" % f.target_path


def test_package_json_files_are_up_to_date():
    stale = build.write_package_jsons(check=True, log=lambda *a: None)
    assert not stale, "out of date (run python tools/build.py --package-json): %s" % stale


def test_package_json_check_command_fails_when_stale(tmp_path):
    root = toyrepo.make(tmp_path)
    assert build.write_package_jsons(root=root, log=lambda *a: None)  # first write: all new
    assert not build.write_package_jsons(check=True, root=root, log=lambda *a: None)
    with open(os.path.join(root, "drivers/toydriver/manifest.py"), "a") as f:
        f.write('module("extra.py")\n')
    with open(os.path.join(root, "drivers/toydriver/extra.py"), "w") as f:
        f.write("X = 1\n")
    assert build.write_package_jsons(check=True, root=root, log=lambda *a: None) == [
        "drivers/toydriver/package.json"
    ]


# -- broken manifests ----------------------------------------------------------------------

BROKEN = {
    "syntax error": (
        'metadata(version="0.1.0", description="x")\nmodule("toydriver.py"\n',
        "syntax error at line",
    ),
    "no metadata": ('module("toydriver.py")\n', "metadata() must be the first command"),
    "metadata without version": (
        'metadata(description="x")\nmodule("toydriver.py")\n',
        "metadata() gives no version",
    ),
    "metadata twice": (
        'metadata(version="1.0")\nmetadata(version="1.1")\nmodule("toydriver.py")\n',
        "duplicate call to metadata()",
    ),
    "unknown require": (
        'metadata(version="1.0")\nrequire("nosuchpackage")\nmodule("toydriver.py")\n',
        "package 'nosuchpackage' not found",
    ),
    "missing file": (
        'metadata(version="1.0")\nmodule("toydriver.py")\nmodule("gone.py")\n',
        "listed file does not exist: drivers/toydriver/gone.py",
    ),
    "unknown library": (
        'metadata(version="1.0")\nrequire("toycore", library="nope")\n',
        "unknown library 'nope'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_manifest_stops_the_build(case, tmp_path):
    text, message = BROKEN[case]
    root = toyrepo.make(tmp_path / "repo", {"drivers/toydriver/manifest.py": text})
    output = tmp_path / "index"
    with pytest.raises(ManifestError) as info:
        build.build_index(str(output), MPY_CROSS, root=root, log=lambda *a: None)
    assert message in str(info.value)
    assert "drivers/toydriver/manifest.py" in str(info.value) or "toydriver" in str(info.value)
    assert not output.exists(), "a failed build left a partial index"
    assert os.listdir(tmp_path) == ["repo"], "a failed build left temporary files"


def test_dependency_cycle_is_named(tmp_path):
    extra = {
        "python-ecosys/toycore/manifest.py": """
            metadata(version="0.1.0")
            add_library("toy-drivers", "../../drivers")
            require("toydriver", library="toy-drivers")
            package("toycore")
        """
    }
    root = toyrepo.make(tmp_path, extra)
    with pytest.raises(ManifestError) as info:
        discover(root)
    text = str(info.value)
    assert "dependency cycle" in text
    assert "toycore/manifest.py -> " in text and "toydriver/manifest.py" in text


def test_duplicate_package_names_are_refused(tmp_path):
    extra = {
        "micropython/toycore/manifest.py": 'metadata(version="9")\nmodule("x.py")\n',
        "micropython/toycore/x.py": "",
    }
    root = toyrepo.make(tmp_path, extra)
    with pytest.raises(ManifestError, match="package name 'toycore' is used twice"):
        discover(root)


def test_build_command_reports_broken_manifest(tmp_path):
    """The command line prints the problem and exits 1 (no traceback)."""
    root = toyrepo.make(
        tmp_path / "repo", {"drivers/toydriver/manifest.py": BROKEN["no metadata"][0]}
    )
    tool = os.path.join(ROOT, "tools", "build.py")
    proc = subprocess.run(
        [sys.executable, tool, "--root", root, "--output", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith("build: error: manifest "), proc.stderr
    assert "toydriver/manifest.py: metadata() must be the first command" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_readme_package_table_is_current():
    assert not build.update_readme(check=True), (
        "README.md's package table is out of date: run python tools/build.py --readme"
    )


# -- what goes to boards and what only to CPython --------------------------------------------

# Modules that only CPython runs, by package: boards must never receive them.
CPYTHON_ONLY = {"asyn": {"asyn/_cpyflag.py", "asyn/_wq_cpy.py"}}


def test_cpython_only_modules_go_to_the_wheel_and_never_to_a_board():
    board = discover()
    wheel = discover(cpython=True)
    for name, only in CPYTHON_ONLY.items():
        board_files = {f.target_path for f in board[name].files}
        wheel_files = {f.target_path for f in wheel[name].files}
        assert not board_files & only, "shipped to boards: %s" % sorted(board_files & only)
        assert wheel_files == board_files | only
        # Every module of the package is shipped somewhere: none forgotten in the manifest.
        top = board[name].path
        present = set()
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "__"))]
            for fn in filenames:
                if fn.endswith(".py") and fn != "manifest.py":
                    present.add(os.path.relpath(os.path.join(dirpath, fn), top))
        assert present == wheel_files, "not in the manifest: %s" % sorted(present - wheel_files)
