"""The gps package's README example prints exactly what the README says it prints, on
MicroPython and CPython (tests/test_docs.py only checks that it finishes)."""

import os

import pytest
from docs_examples import examples
from runtimes import ROOT, run_cpython, run_micropython

README = os.path.join(ROOT, "drivers", "gps", "README.md")

EXPECTED = [
    "RMC",
    "GGA",
    "None",
    "40° 42.7685' N 74° 0.3650' W 10.1 m",
    "UTC 01:30:00 local 20:30:00 12/31/24",
    "sentences: 2 checksum failures: 1",
]


@pytest.mark.parametrize("interpreter", ["mp", "cpy"])
def test_readme_example_output(tmp_path, interpreter):
    blocks = examples(README, interpreter)
    assert len(blocks) == 1, "want exactly one ```python example block in the README"
    script = tmp_path / "example.py"
    script.write_text(blocks[0][1])
    run = run_micropython if interpreter == "mp" else run_cpython
    proc = run([str(script)], timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == EXPECTED
    with open(README) as f:
        text = " ".join(f.read().split())
    # The README's sentence about the output quotes these lines.
    for line in EXPECTED[3:]:
        assert line in text, line
