"""The gps-pps package: its README example prints what the README says (MicroPython with
asyncio and fast_io, the receiver model on UART 1 and PPS on pin 5), and the .mpy size it
quotes."""

import os

import pytest
from docs_examples import examples, run_example
from runtimes import ROOT, compile_mpy

PACKAGE = os.path.join(ROOT, "drivers", "gps-pps")
README = os.path.join(PACKAGE, "README.md")


def _readme():
    with open(README) as f:
        return f.read()


def _quoted_output():
    # The plain ``` block after "it prints:".
    after = _readme().split("it prints:", 1)[1]
    return after.split("```\n", 2)[1].splitlines()


# MicroPython's asyncio only: tests/test_docs.py and test_mip_install.py run it again, and
# ptest_pps*.py run the driver under fast_io (each run takes three PPS seconds).
@pytest.mark.parametrize("runtime", ["mp-asyncio"])
def test_readme_example(tmp_path, runtime):
    blocks = examples(README, "mp")
    assert len(blocks) == 1
    proc = run_example(tmp_path, blocks[0][1], runtime, "gps-pps")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    want = _quoted_output()
    assert len(want) == 3
    assert proc.stdout.splitlines() == want


def test_mpy_size(tmp_path):
    size = os.path.getsize(compile_mpy(os.path.join(PACKAGE, "as_tGPS.py"), tmp_path))
    print("as_tGPS.mpy:", size, "bytes")
    quoted = int(_readme().split("as_tGPS.mpy` (`mpy-cross` 1.29): ", 1)[1].split(" bytes")[0])
    # Another mpy-cross may differ a little; a change of the code by more needs the README.
    assert abs(size - quoted) <= quoted // 20, "update the README's .mpy size: %d" % size
