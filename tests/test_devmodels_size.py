"""What devmodels costs on MicroPython: RAM once imported, per Pin, and the .mpy sizes.

The modules are cross-compiled to .mpy (as `mip` installs them) and imported on the real
MicroPython (unix port, 64-bit: objects take about twice what they take on a 32-bit board);
gc.mem_free() is read after each step. The figures are printed (pytest -s) and compared with
the table in python-ecosys/devmodels/README.md, which must be within 15 % of them.
"""

import os
import re

from runtimes import compile_mpy, package_dirs, run_micropython, skip_unless_runs

PACKAGE = package_dirs()["devmodels"]
SOURCES = os.path.join(PACKAGE, "devmodels")
README = os.path.join(PACKAGE, "README.md")
# The modules of the package itself; device models (devmodels/<device>.py) quote their own
# sizes with their drivers.
CORE = (
    "__init__",
    "clock",
    "machine",
    "uart",
    "rtc",
    "i2ctarget",
    "timer",
    "analog",
    "contact",
    "faults",
)

MEASURE = """\
import gc

gc.collect()
base = gc.mem_free()


def step(name):
    global base
    gc.collect()
    now = gc.mem_free()
    print(name, base - now)
    base = now


import devmodels

devmodels.install()
from machine import I2C, Pin, Signal

step("machine")
from machine import UART

step("uart")
from machine import RTC, I2CTarget

step("rtc+i2ctarget")
from machine import ADC, PWM, Timer

step("timer+adc+pwm")
from devmodels.contact import Contact

step("contact")
pins = [Pin(i, Pin.IN, Pin.PULL_UP) for i in range(10)]
step("10 pins")
"""


def compile_package(target):
    sizes = {}
    os.makedirs(os.path.join(target, "devmodels"))
    for name in [m + ".py" for m in CORE]:
        folder = os.path.join(target, "devmodels")
        out = compile_mpy(os.path.join(SOURCES, name), folder, "devmodels/" + name)
        sizes[name[:-3] + ".mpy"] = os.path.getsize(out)
    return sizes


def readme_figures():
    """{what: bytes} from the README's "Memory and size" table rows `| what | N bytes |`."""
    with open(README) as f:
        text = f.read().split("## Memory and size", 1)[1].split("\n## ", 1)[0]
    rows = re.finditer(r"\| `?([^|`]+?)`? \| (\d+) bytes", text)
    return {m.group(1): int(m.group(2)) for m in rows}


@skip_unless_runs("devmodels")
def test_ram_and_mpy_sizes_match_the_readme(tmp_path):
    sizes = compile_package(str(tmp_path))
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    proc = run_micropython([str(script)], path=[str(tmp_path)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ram = {}
    for line in proc.stdout.splitlines():
        name, value = line.rsplit(" ", 1)
        ram[name] = int(value)
    figures = dict(ram)
    figures.update(sizes)
    figures["these .mpy files together"] = sum(sizes.values())
    print("devmodels (MicroPython unix 64-bit):", figures)
    quoted = readme_figures()
    missing = sorted(set(figures) - set(quoted))
    assert not missing, "README lacks figures for %s (measured %s)" % (missing, figures)
    off = {k: (quoted[k], v) for k, v in figures.items() if abs(quoted[k] - v) > 0.15 * v}
    assert not off, "README figures (quoted, measured) more than 15%% off: %s" % off
