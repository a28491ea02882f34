"""asyn on the real MicroPython: lazy loading, RAM per primitive, allocation per round trip.

The portable behaviour tests are in tests/portable/asyn/. This file holds what needs the host:
fresh interpreter processes (for sys.modules and RAM), .mpy files made by mpy-cross, and
MicroPython's allocation counter `micropython.mem_total()`.

`python tests/test_asyn.py` prints the RAM table that python-ecosys/asyn/README.md shows.
"""

import ast
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from runtimes import (  # noqa: E402
    MICROPYTHON,
    MPY_CROSS,
    ROOT,
    run_cpython,
    run_micropython,
    unsupported,
)

ASYN = os.path.join(ROOT, "python-ecosys", "asyn")
FAST_IO = os.path.join(ROOT, "micropython", "fast_io")

# name -> (constructor expression, modules of asyn it may load)
PRIMITIVES = {
    "Lock": ("Lock()", {"lock", "_wq"}),
    "Event": ("Event()", {"event", "_wq", "_compat"}),
    "Semaphore": ("Semaphore(2)", {"semaphore", "_wq"}),
    "BoundedSemaphore": ("BoundedSemaphore(2)", {"semaphore", "_wq"}),
    "Condition": ("Condition()", {"condition", "lock", "_wq", "_compat"}),
    "Barrier": ("Barrier(2)", {"barrier", "_wq", "_compat", "funcs"}),
    "Queue": ("Queue(4)", {"queue", "_wq"}),
    "RingbufQueue": ("RingbufQueue([0] * 8)", {"ringbuf_queue", "_wq", "_compat"}),
    "Message": ("Message()", {"message", "_wq", "_compat"}),
    "WaitAny": ("WaitAny(())", {"waitany", "_wq", "_compat"}),
    "Gather": ("Gather(())", {"gather", "_compat"}),
    "Cancellable": ("Cancellable(lambda: None)", {"cancel", "_wq"}),
    "Delay_ms": ("Delay_ms()", {"delay_ms", "_wq", "_compat", "funcs"}),
    "launch": ("None", {"funcs"}),
}

_PROBE = """
import gc, sys
import asyncio
asyncio.Event, asyncio.ThreadSafeFlag, asyncio.Lock  # the scheduler's own parts: not counted
import asyn
gc.collect()
f0 = gc.mem_free()
from asyn import %(name)s
gc.collect()
f1 = gc.mem_free()
objs = [%(make)s for _ in range(10)]
gc.collect()
f2 = gc.mem_free()
mods = sorted(m[5:] for m in sys.modules if m.startswith("asyn."))
print("RESULT", f0 - f1, (f1 - f2) // 10, ",".join(mods))
"""


def _mpy_tree(dest):
    """asyn compiled with mpy-cross, as mip installs it."""
    pkg = os.path.join(dest, "asyn")
    os.makedirs(pkg)
    for fn in sorted(os.listdir(os.path.join(ASYN, "asyn"))):
        if fn.endswith(".py"):
            src = os.path.join(ASYN, "asyn", fn)
            out = os.path.join(pkg, fn[:-3] + ".mpy")
            subprocess.run(
                [MPY_CROSS, "-o", out, "-s", "asyn/" + fn, src], check=True, capture_output=True
            )
    return dest


def measure(name, path):
    make, _ = PRIMITIVES[name]
    proc = run_micropython(["-c", _PROBE % {"name": name, "make": make}], path=path)
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT")]
    assert proc.returncode == 0 and line, proc.stdout + proc.stderr
    code, per_object, mods = line[0].split()[1:]
    return int(code), int(per_object), set(mods.split(",")) if mods else set()


needs_mp = pytest.mark.skipif(
    not (MICROPYTHON and MPY_CROSS) or bool(unsupported("asyn", "mp-asyncio")),
    reason="needs a MicroPython that asyn supports with its built-in asyncio",
)


@pytest.fixture(scope="module")
def mpy_path(tmp_path_factory):
    return [_mpy_tree(str(tmp_path_factory.mktemp("asyn_mpy")))]


@needs_mp
@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_importing_a_primitive_loads_only_its_modules_and_little_ram(name, mpy_path):
    code, per_object, mods = measure(name, mpy_path)
    allowed = PRIMITIVES[name][1]
    assert mods <= allowed, "importing %s loaded %s" % (name, sorted(mods - allowed))
    assert 0 < code < 10000, "%s: %d bytes to import" % (name, code)
    assert per_object < 1200, "%s: %d bytes per object" % (name, per_object)


def test_importing_a_primitive_on_cpython_loads_only_its_modules():
    script = (
        "import sys\nfrom asyn import Lock\n"
        "print(sorted(m for m in sys.modules if m.startswith('asyn.')))\n"
    )
    proc = run_cpython(["-c", script])
    assert proc.returncode == 0, proc.stderr
    mods = set(ast.literal_eval(proc.stdout))
    assert mods <= {"asyn._wq", "asyn._wq_cpy", "asyn.lock"}, mods


BENCH = os.path.join(ROOT, "benchmarks", "asyn", "bench_primitives.py")


def allocation_per_round_trip(scheduler):
    """{benchmark name: bytes allocated per round trip} from the benchmark script."""
    args = [BENCH, "2000"] + (["fast_io"] if scheduler == "fast_io" else [])
    proc = run_micropython(args, path=[ASYN, FAST_IO])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {line.split()[0]: int(line.split()[2]) for line in proc.stdout.splitlines()}


@needs_mp
def test_no_allocation_per_round_trip_under_fast_io():
    per = allocation_per_round_trip("fast_io")
    for name in ("Event/asyn", "Lock/asyn", "Semaphore/asyn"):
        assert per[name] == 0, per


@needs_mp
def test_no_more_allocation_than_the_built_in_primitives():
    # The built-in scheduler allocates on every task switch by itself (sleep(0) costs about
    # 144 bytes), so asyn must merely not add to it.
    per = allocation_per_round_trip("asyncio")
    assert per["Event/asyn"] <= per["Event/scheduler"], per
    assert per["Lock/asyn"] <= per["Lock/scheduler"], per
    assert per["Semaphore/asyn"] <= per["Event/scheduler"], per


_ISR = """
import sys
if sys.argv[-1] == "fast_io":
    import fast_io
    fast_io.install()
import asyncio
from micropython import heap_lock, heap_unlock
from asyn import Delay_ms, Message, RingbufQueue

async def main():
    d = Delay_ms(duration=30)
    msg = Message()
    q = RingbufQueue([0] * 4)
    await asyncio.sleep(0)
    heap_lock()
    try:
        d.trigger()
        d.trigger(10)
        d.stop()
        d.trigger(20)
        msg.set(7)
        q.put_nowait(1)
        q.put_nowait(2)
        try:
            [1, 2, 3]  # proves the heap really is locked
            locked = False
        except MemoryError:
            locked = True
    finally:
        heap_unlock()
    await asyncio.wait_for(d.wait(), 1)
    print("RESULT", locked, await msg, q.get_nowait(), q.get_nowait())
    d.deinit()

asyncio.run(main())
"""


@needs_mp
@pytest.mark.parametrize("scheduler", ["asyncio", "fast_io"])
def test_interrupt_safe_calls_run_with_the_heap_locked(scheduler, tmp_path):
    script = tmp_path / "isr.py"
    script.write_text(_ISR)
    proc = run_micropython([str(script), scheduler], path=[ASYN, FAST_IO])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "RESULT True 7 1 2" in proc.stdout, proc.stdout + proc.stderr


def ram_table():
    """Markdown rows: primitive, bytes to import (.mpy), bytes per object."""
    import tempfile

    tmp = tempfile.mkdtemp()
    try:
        path = [_mpy_tree(os.path.join(tmp, "t"))]
        rows = ["| import | RAM to import (.mpy) | RAM per object |", "|---|---:|---:|"]
        for name in PRIMITIVES:
            code, per_object, _ = measure(name, path)
            rows.append(
                "| `%s` | %d | %s |" % (name, code, per_object if name != "launch" else "-")
            )
        names = ", ".join(n for n in PRIMITIVES)
        probe = _PROBE.replace("from asyn import %(name)s", "from asyn import " + names)
        proc = run_micropython(["-c", probe % {"name": "", "make": "None"}], path=path)
        line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT")][0]
        rows.append("| everything above | %s | - |" % line.split()[1])
        return "\n".join(rows)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    print(ram_table())
