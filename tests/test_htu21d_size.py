"""What an HTU21D driver instance costs on MicroPython: RAM per instance and the .mpy size.

RAM is measured on the real MicroPython (unix port) with gc.mem_free() around the making of
ten instances, each on its own bus, once each has taken its first reading (so its task, Event,
Lock, buffers and float readings exist), after one instance was made, used and thrown away so
that the module, its classes and lazily loaded asyncio names are already in RAM. The bus is a
tiny stand-in answering with the datasheet's example readings (the driver's RAM is measured,
not a model's). The figures are printed (pytest -s) and checked against budgets about 30%
above what was measured. drivers/htu21d/README.md quotes them, and the tests check that its
table still says what is measured (RAM within 5%, the .mpy size within 2%).
"""

import os
import re

import pytest
from runtimes import ROOT, compile_mpy, run_micropython, skip_unless_runs

MODULE = os.path.join(ROOT, "drivers", "htu21d", "htu21d_mc.py")
README = os.path.join(ROOT, "drivers", "htu21d", "README.md")

# The README's table rows, found by their first words.
ROWS = {
    "asyncio": "| RAM per `HTU21D` instance, built-in asyncio",
    "fast_io": "| RAM per `HTU21D` instance, fast_io",
    "mpy": "| `htu21d_mc.mpy`",
}


def readme_figure(key):
    with open(README) as f:
        for line in f:
            if line.startswith(ROWS[key]):
                return int(re.search(r"\| (\d+) bytes \|\s*$", line).group(1))
    raise AssertionError("no row %r in the README" % ROWS[key])


MEASURE = """\
import gc
import sys

if len(sys.argv) > 1:  # the scheduler first: the driver then imports fast_io as asyncio
    import fast_io

    fast_io.install()
import asyncio

from htu21d_mc import HTU21D

N = 10


class Bus:
    # Answers every command at once: temperature 0x4E85 (CRC 0x6B), humidity 0x683A (0x7C),
    # user register 0x02.
    ANSWERS = {0xF3: b"\\x4e\\x85\\x6b", 0xF5: b"\\x68\\x3a\\x7c", 0xE7: b"\\x02"}

    def __init__(self):
        self.answer = b""

    def writeto(self, addr, buf):
        self.answer = self.ANSWERS.get(buf[0], b"")

    def readfrom_into(self, addr, buf):
        buf[:] = self.answer[: len(buf)]


async def measure():
    s = HTU21D(Bus(), 10)  # warm up
    await s
    s.deinit()
    await asyncio.sleep_ms(20)
    buses = [Bus() for _ in range(N)]
    made = []
    gc.collect()
    before = gc.mem_free()
    for bus in buses:
        made.append(HTU21D(bus, 10))
    for s in made:
        await s
    gc.collect()
    used = before - gc.mem_free()
    assert all(abs(s.temperature - 7.04) < 0.01 for s in made), [s.temperature for s in made]
    print("htu21d", used // N)
    for s in made:
        s.deinit()


asyncio.run(measure())
"""

# Bytes per instance on the 64-bit unix port; boards (32-bit) need roughly half.
BUDGET = {"asyncio": 1050, "fast_io": 1100}


@skip_unless_runs("htu21d")
@pytest.mark.parametrize("scheduler", sorted(BUDGET))
def test_ram_per_instance(tmp_path, scheduler):
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    args = [str(script)] + (["fast_io"] if scheduler == "fast_io" else [])
    proc = run_micropython(args, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    name, value = proc.stdout.split()
    print("RAM per HTU21D instance, %s (bytes, MicroPython unix 64-bit):" % scheduler, value)
    assert 0 < int(value) <= BUDGET[scheduler], (scheduler, value)
    stated = readme_figure(scheduler)
    assert abs(int(value) - stated) <= stated * 0.05, ("README says", stated, "measured", value)


def test_mpy_size(tmp_path):
    size = os.path.getsize(compile_mpy(MODULE, tmp_path))
    print("htu21d_mc.mpy:", size, "bytes")
    assert 0 < size <= 4000, size
    # Within 2%: comments move line numbers, which the .mpy's line table records.
    stated = readme_figure("mpy")
    assert abs(size - stated) <= stated * 0.02, ("README says", stated, "measured", size)
