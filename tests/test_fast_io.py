"""fast_io on the host: the same programs give the same output as MicroPython's built-in
asyncio; the scheduler allocates nothing per round (heap locked on the real MicroPython); the
portable tests pass on a board-sized heap; the benchmarks run (a tiny smoke run, no timing)."""

import glob
import os

import pytest

from runtimes import MICROPYTHON, PORTABLE, ROOT, check_ptest_output, run_micropython, run_portable

FAST_IO = os.path.join(PORTABLE, "fast_io")
TRACES = sorted(glob.glob(os.path.join(FAST_IO, "traces", "*.py")))


def _trace(script, runtime):
    proc = run_portable(script, runtime, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip(), "the trace printed nothing"
    return proc.stdout


@pytest.mark.parametrize("script", TRACES, ids=os.path.basename)
def test_trace_matches_builtin_asyncio(script):
    assert _trace(script, "mp-fast_io") == _trace(script, "mp-asyncio")


@pytest.mark.parametrize(
    "script",
    [s for s in TRACES if "# same-on-cpython-fast_io" in open(s).read()],
    ids=os.path.basename,
)
def test_trace_matches_on_cpython(script):
    assert _trace(script, "cpy-fast_io") == _trace(script, "mp-asyncio")


DIFF_SEEDS = 2000  # random programs per run of the differential test (about 1 s each)


def _per_seed(out):
    # Trace lines grouped by seed (the first word of each line).
    seeds = {}
    for line in out.splitlines():
        seed = line.split(" ", 1)[0]
        if seed.isdigit():
            seeds.setdefault(int(seed), []).append(line)
    return seeds


def test_differential_random_programs():
    """Random programs (sleep, Event, Lock, cancel, await, wait_for, gather) give the same trace
    under fast_io as under the built-in asyncio, both on a virtual clock."""
    script = os.path.join(FAST_IO, "host", "differential.py")
    outs = {}
    for mode in ("asyncio", "fast_io"):
        proc = run_micropython([script, mode, "0", str(DIFF_SEEDS)], timeout=120)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
        assert "programs %d" % DIFF_SEEDS in proc.stdout, proc.stdout[-2000:]
        outs[mode] = _per_seed(proc.stdout)
    assert len(outs["asyncio"]) == DIFF_SEEDS
    for seed in sorted(outs["asyncio"]):
        want, got = outs["asyncio"][seed], outs["fast_io"].get(seed)
        if want != got:
            import difflib

            diff = "\n".join(
                difflib.unified_diff(want, got or [], "asyncio", "fast_io", lineterm="")
            )
            pytest.fail("seed %d: traces differ\n%s" % (seed, diff))


def test_differential_without_the_c_module():
    """fast_io's own Task and TaskQueue (firmware without `_asyncio`) give the same traces."""
    script = os.path.join(FAST_IO, "host", "differential.py")
    wrap = os.path.join(FAST_IO, "host", "without_c_module.py")
    seeds = "300"
    want = run_micropython([script, "asyncio", "0", seeds], timeout=120)
    got = run_micropython([wrap, script, "fast_io", "0", seeds], timeout=120)
    assert got.returncode == 0, got.stdout[-2000:] + got.stderr
    assert "programs " + seeds in got.stdout
    assert got.stdout == want.stdout


@pytest.mark.parametrize(
    "name", ["api_basic.py", "order.py", "cancel_states.py", "priority.py", "wrap.py"]
)
def test_portable_without_the_c_module(name):
    wrap = os.path.join(FAST_IO, "host", "without_c_module.py")
    runner = os.path.join(ROOT, "tests", "lib", "run_portable.py")
    proc = run_micropython([wrap, runner, "mp-fast_io", os.path.join(FAST_IO, name)], timeout=60)
    check_ptest_output(proc)


# Older MicroPython builds to check fast_io on (paths, separated by os.pathsep): the README's
# "Oldest MicroPython supported" line was checked with the unix ports of 1.20 to 1.23.
OLD_MICROPYTHONS = [
    p for p in os.environ.get("FAST_IO_OLD_MICROPYTHONS", "").split(os.pathsep) if p
]


@pytest.mark.parametrize(
    "name",
    [
        "api_basic.py",
        "order.py",
        "order_exact.py",
        "cancel_states.py",
        "misbehaviour.py",
        "priority.py",
    ],
)
def test_portable_on_older_micropython(name):
    if not OLD_MICROPYTHONS:
        pytest.skip("set FAST_IO_OLD_MICROPYTHONS to older micropython binaries")
    import subprocess

    from runtimes import TEST_LIB, source_path

    runner = os.path.join(TEST_LIB, "run_portable.py")
    env = dict(os.environ, MICROPYPATH=os.pathsep.join([".frozen"] + source_path()))
    for mp in OLD_MICROPYTHONS:
        proc = subprocess.run(
            [mp, runner, "mp-fast_io", os.path.join(FAST_IO, name)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env=env,
        )
        try:
            check_ptest_output(proc)
        except AssertionError as e:
            raise AssertionError("%s: %s" % (mp, e)) from None


def test_reference_task_queue_orders_as_the_c_one():
    """The Python TaskQueue the differential test gives the built-in asyncio pops in the order
    of MicroPython's C TaskQueue."""
    proc = run_micropython([os.path.join(FAST_IO, "host", "ref_order.py")], timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "differences 0" in proc.stdout.splitlines(), proc.stdout


def test_no_allocation_per_round_with_heap_locked():
    proc = run_micropython([os.path.join(FAST_IO, "host", "heaplock.py")], timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    lines = proc.stdout.splitlines()
    assert "bytes 0" in lines, out
    assert "idle bytes 0" in lines, out
    assert "locked bytes 0" in lines, out
    assert "io waiters left 0" in lines, out
    assert "io priority locked bytes 0" in lines, out


@pytest.mark.parametrize("name", ["api_basic.py", "cancel_states.py", "streams.py"])
def test_small_heap(name):
    """As on a board: the default tests pass with a 192 KiB heap."""
    script = os.path.join(FAST_IO, name)
    check_ptest_output(run_portable(script, "mp-fast_io", heapsize="192k", timeout=60))


def test_readme_size_figures():
    """The README's .mpy sizes are those mpy-cross gives today, and its RAM figures (a task,
    the import) are within 3 % of what the benchmark measures now."""
    import re
    import subprocess
    import tempfile

    from runtimes import MPY_CROSS

    readme = open(os.path.join(ROOT, "micropython", "fast_io", "README.md")).read()
    src = os.path.join(ROOT, "micropython", "fast_io", "fast_io")
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "fast_io"))
        for name in sorted(os.listdir(src)):
            if name.endswith(".py"):
                out = os.path.join(tmp, "fast_io", name[:-3] + ".mpy")
                # Compiled under its installed name, fast_io/NAME.py, as the build does.
                rel = "fast_io/" + name
                subprocess.run(
                    [MPY_CROSS, "-O3", "-o", out, rel], check=True, cwd=os.path.dirname(src)
                )
                size = os.path.getsize(out)
                total += size
                if name[:-3] in ("core", "event", "lock", "funcs", "poller", "stream", "task"):
                    assert "`%s` %d" % (name[:-3], size) in readme, (name, size)
        assert "%d bytes of `.mpy`" % total in readme, total
        bench = os.path.join(ROOT, "benchmarks", "fast_io", "bench.py")
        for case in ("core", "all"):
            proc = run_micropython([bench, "ram", "--import", "fast_io", case, "x"], path=[tmp])
            value = int(float(re.search(r'"value": ([0-9.]+)', proc.stdout).group(1)))
            figures = [
                int(x)
                for x in re.findall(r"keeps (\d+) bytes of RAM|, (\d+) bytes with", readme)[0]
                if x
            ]
            want = (
                figures[0]
                if case == "core"
                else int(re.search(r"(\d+) bytes with", readme).group(1))
            )
            assert abs(value - want) <= want * 0.03, (case, value, want)
    proc = run_micropython(
        [os.path.join(ROOT, "benchmarks", "fast_io", "bench.py"), "ram", "--reps", "1"]
    )
    per_task = [
        float(m)
        for m in re.findall(
            r'"value": ([0-9.]+), "bench": "ram", "unit": "bytes/task", "impl": "fast_io"',
            proc.stdout,
        )
    ]
    assert per_task and max(per_task) <= 160 * 1.03, per_task


def test_benchmark_runner_smoke():
    """The benchmark runner works end to end on a tiny size (figures are not checked)."""
    runner = os.path.join(ROOT, "benchmarks", "fast_io", "run.py")
    if not os.path.exists(runner):
        pytest.skip("no benchmark runner")
    from runtimes import run_cpython

    proc = run_cpython([runner, "--smoke"], timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "switch" in proc.stdout


def test_cputime_benchmark_smoke():
    """The CPU-time benchmark still finds the round boundary it takes out of core.py for its
    "floor" copy, and runs every case (figures are not checked)."""
    from runtimes import run_cpython

    script = os.path.join(ROOT, "benchmarks", "fast_io", "cputime.py")
    proc = run_cpython([script, "--reps", "1", "--small"], timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for case in ("switch, 1 task", "switch, 10 tasks", "wait_for round trip", "gathered task"):
        assert "| %s | " % case in proc.stdout, proc.stdout


assert MICROPYTHON, "the real MicroPython is needed"
