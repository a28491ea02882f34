"""What an NEC_IR decoder costs on MicroPython: RAM per instance and the .mpy size.

RAM is measured on the real MicroPython (unix port) with gc.mem_free() around the making of
ten instances, in a fresh interpreter, after one instance was made and thrown away so that the
module, the class and lazily loaded names are already in RAM. The figure is printed (run pytest
with -s to see it), checked against a budget (about 30 % above what was measured) and against
the figures drivers/nec_ir/README.md quotes (within 15 %).
"""

import os
import re

import pytest
from runtimes import ROOT, compile_mpy, run_micropython, skip_unless_runs

README = os.path.join(ROOT, "drivers", "nec_ir", "README.md")
AREMOTE = os.path.join(ROOT, "drivers", "nec_ir", "aremote.py")
MODEL = os.path.join(ROOT, "python-ecosys", "devmodels", "devmodels", "nec.py")

MEASURE = """\
import sys

if sys.argv[1:] == ["fast_io"]:
    import fast_io

    fast_io.install()

import asyncio
import gc

from aremote import NEC_IR

N = 10


class Pin:
    IRQ_FALLING = 2
    IRQ_RISING = 1

    def irq(self, handler=None, trigger=0, hard=False):
        pass


def key(data, addr):
    pass


async def main():
    # Warm up with as many instances as are measured: the module, the class and lazily
    # loaded names come into RAM, and the scheduler's queues (fast_io's ready ring, the
    # poller's table) grow to hold N tasks once, which is not a cost of each instance.
    warm = [NEC_IR(Pin(), key, False) for _ in range(N)]
    await asyncio.sleep_ms(20)
    for ir in warm:
        ir.deinit()
    del warm
    await asyncio.sleep_ms(20)
    pins = [Pin() for _ in range(N)]
    made = []
    gc.collect()
    before = gc.mem_free()
    for pin in pins:
        made.append(NEC_IR(pin, key, False))
    await asyncio.sleep_ms(0)  # let the new tasks start and park on their flags
    gc.collect()
    print((before - gc.mem_free()) // N)
    for ir in made:
        ir.deinit()


asyncio.run(main())
"""

BUDGET = 1500  # bytes per instance on the 64-bit unix port; boards (32-bit) need less


@skip_unless_runs("nec_ir")
@pytest.mark.parametrize("scheduler", ["asyncio", "fast_io"])
def test_ram_per_instance(tmp_path, scheduler):
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    proc = run_micropython([str(script), scheduler])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    used = int(proc.stdout.split()[0])
    print("NEC_IR RAM per instance under %s (bytes, MicroPython unix 64-bit):" % scheduler, used)
    assert 0 < used <= BUDGET, used
    label = "built-in asyncio" if scheduler == "asyncio" else "fast_io"
    readme = quoted(r"(\d+) bytes \(%s\)" % label)
    assert near(used, readme), "README says %d, measured %d" % (readme, used)


def quoted(pattern):
    """The number the README gives where `pattern` (a regex with one group) matches."""
    with open(README) as f:
        found = re.search(pattern, f.read())
    assert found, "README: no figure for %r" % pattern
    return int(found.group(1))


def near(measured, quoted_figure):
    return abs(measured - quoted_figure) <= quoted_figure * 15 // 100


def mpy_size(source, tmp_path):
    return os.path.getsize(compile_mpy(source, tmp_path))


def test_mpy_size(tmp_path):
    size = mpy_size(AREMOTE, tmp_path)
    print("aremote.mpy:", size, "bytes")
    assert 0 < size <= 3000, size
    readme = quoted(r"`aremote.mpy` .*\| (\d+) bytes \|")
    assert near(size, readme), "README says %d, measured %d" % (readme, size)


def test_model_mpy_size(tmp_path):
    # devmodels/nec.py ships with devmodels; its size is quoted in drivers/nec_ir/README.md.
    size = mpy_size(MODEL, tmp_path)
    print("devmodels/nec.py as .mpy:", size, "bytes")
    assert 0 < size <= 5000, size
    readme = quoted(r"`devmodels/nec.py` as `.mpy`.*\| (\d+) bytes \|")
    assert near(size, readme), "README says %d, measured %d" % (readme, size)
