"""What a Switch or a Pushbutton costs on MicroPython: RAM per instance and the .mpy size.

RAM is measured on the real MicroPython (unix port) with gc.mem_free() around the making of
ten instances, in a fresh interpreter for each kind, after one instance was made and thrown
away so that modules, classes and lazily loaded names are already in RAM. The figures are
printed (run pytest with -s to see them) and checked against budgets (about 30% above what
was measured); drivers/switch/README.md quotes them.
"""

import os

import pytest

from runtimes import ROOT, compile_mpy, run_micropython, unsupported

ASWITCH = os.path.join(ROOT, "drivers", "switch", "aswitch.py")

MEASURE = """\
import asyncio
import gc
import sys

from aswitch import Pushbutton, Switch

N = 10


class Pin:
    def value(self):
        return 1


def noop():
    pass


def pb_bare(pin):
    return Pushbutton(pin)


def pb_all(pin):
    pb = Pushbutton(pin, suppress=True)
    pb.press_func(noop)
    pb.release_func(noop)
    pb.double_func(noop)
    pb.long_func(noop)
    return pb


def pb_events(pin):
    pb = Pushbutton(pin)
    for name in ("press", "release", "double", "long"):
        getattr(pb, name + "_func")(None)
    return pb


def sw_both(pin):
    sw = Switch(pin)
    sw.close_func(noop)
    sw.open_func(noop)
    return sw


async def measure(name, make):
    make(Pin()).deinit()  # warm up: load everything this kind of instance needs
    await asyncio.sleep_ms(20)
    pins = [Pin() for _ in range(N)]
    made = []
    gc.collect()
    before = gc.mem_free()
    for pin in pins:
        made.append(make(pin))
    await asyncio.sleep_ms(0)  # let the new tasks start
    gc.collect()
    used = before - gc.mem_free()
    print(name, used // N)
    for d in made:
        d.deinit()
    del made
    await asyncio.sleep_ms(20)  # let the cancelled tasks finish before the next figure


async def main(name):
    await measure(name, KINDS[name])


KINDS = {
    "pushbutton_bare": pb_bare,
    "pushbutton_all": pb_all,
    "pushbutton_events": pb_events,
    "switch_both": sw_both,
}
asyncio.run(main(sys.argv[1]))
"""

# Bytes per instance on the 64-bit unix port; boards (32-bit) need roughly half.
BUDGET = {
    "pushbutton_bare": 800,
    "pushbutton_all": 3500,
    "pushbutton_events": 4200,
    "switch_both": 600,
}


def test_ram_per_instance(tmp_path):
    if unsupported("switch", "mp-asyncio"):
        pytest.skip(unsupported("switch", "mp-asyncio"))
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    figures = {}
    for kind in BUDGET:  # one fresh interpreter per figure
        proc = run_micropython([str(script), kind])
        assert proc.returncode == 0, proc.stdout + proc.stderr
        name, value = proc.stdout.split()
        figures[name] = int(value)
    print("RAM per instance (bytes, MicroPython unix 64-bit):", figures)
    assert set(figures) == set(BUDGET), proc.stdout
    for name, budget in BUDGET.items():
        assert 0 < figures[name] <= budget, (name, figures[name], budget)


def test_mpy_size(tmp_path):
    size = os.path.getsize(compile_mpy(ASWITCH, tmp_path))
    print("aswitch.mpy:", size, "bytes")
    assert 0 < size <= 4000, size
