"""The gps package's README examples print exactly what the README says they print.

- The test-mode example (the ```python block that makes `AS_GPS(None)`), on MicroPython and
  CPython.
- The board example (```python example mp, with the README's setup block that puts the
  receiver model on UART 1's line), on MicroPython with asyncio and with fast_io. (It is
  also run by tests/test_docs.py and, from installed files, tests/test_mip_install.py.)
"""

import os

import pytest
from docs_examples import examples
from runtimes import ROOT, run_cpython, run_micropython

README = os.path.join(ROOT, "drivers", "gps", "README.md")

TEST_MODE = [
    "RMC",
    "GGA",
    "None",
    "40° 42.7685' N 74° 0.3650' W 10.1 m",
    "UTC 01:30:00 local 20:30:00 12/31/24",
    "sentences: 2 checksum failures: 1",
]
BOARD = [
    "48° 7.0380' N 11° 31.0000' E June 15th, 2024",
    "5 satellites in view, used: [4, 5, 9, 12, 24]",
]


def _readme():
    with open(README) as f:
        return f.read()


def _plain_blocks(text):
    blocks = []
    for part in text.split("```python\n")[1:]:
        blocks.append(part.split("```", 1)[0])
    return blocks


def _said(lines):
    text = " ".join(_readme().split())
    for line in lines:
        assert line in text, "the README does not quote %r" % line


@pytest.mark.parametrize("interpreter", ["mp", "cpy"])
def test_test_mode_example(tmp_path, interpreter):
    blocks = [b for b in _plain_blocks(_readme()) if "AS_GPS(None" in b]
    assert len(blocks) == 1
    script = tmp_path / "example.py"
    script.write_text(blocks[0])
    run = run_micropython if interpreter == "mp" else run_cpython
    proc = run([str(script)], timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == TEST_MODE
    _said(TEST_MODE[3:])


@pytest.mark.parametrize("scheduler", ["asyncio", "fast_io"])
def test_board_example(tmp_path, scheduler):
    blocks = examples(README, "mp")
    assert len(blocks) == 1, "want one ```python example mp block in the README"
    source = blocks[0][1]
    if scheduler == "fast_io":
        source = "import fast_io\n\nfast_io.install()\n" + source
    script = tmp_path / "example.py"
    script.write_text(source)
    proc = run_micropython([str(script)], timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == BOARD
    _said(BOARD)


DOC = os.path.join(ROOT, "docs", "GPS.md")


@pytest.mark.parametrize("interpreter", ["mp", "cpy"])
def test_docs_gps_example(tmp_path, interpreter):
    # docs/GPS.md's model example prints what the text after it says.
    blocks = examples(DOC, interpreter)
    assert len(blocks) == 1
    script = tmp_path / "example.py"
    script.write_text(blocks[0][1])
    run = run_micropython if interpreter == "mp" else run_cpython
    proc = run([str(script)], timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    want = ["33.856800° S 151.215300° E", "10:59:59 March 2nd, 2025 5 satellites"]
    assert proc.stdout.splitlines() == want
    with open(DOC) as f:
        text = " ".join(f.read().split())
    for line in want:
        assert line in text, line
