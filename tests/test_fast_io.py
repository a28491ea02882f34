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


@pytest.mark.parametrize("name", ["api_basic.py", "order.py", "cancel_states.py", "priority.py"])
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


@pytest.mark.parametrize("name", ["api_basic.py", "order.py", "misbehaviour.py", "priority.py"])
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


@pytest.mark.parametrize("name", ["api_basic.py", "cancel_states.py", "streams.py"])
def test_small_heap(name):
    """As on a board: the default tests pass with a 192 KiB heap."""
    script = os.path.join(FAST_IO, name)
    check_ptest_output(run_portable(script, "mp-fast_io", heapsize="192k", timeout=60))


def test_benchmark_runner_smoke():
    """The benchmark runner works end to end on a tiny size (figures are not checked)."""
    runner = os.path.join(ROOT, "benchmarks", "fast_io", "run.py")
    if not os.path.exists(runner):
        pytest.skip("no benchmark runner")
    from runtimes import run_cpython

    proc = run_cpython([runner, "--smoke"], timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "switch" in proc.stdout


assert MICROPYTHON, "the real MicroPython is needed"
