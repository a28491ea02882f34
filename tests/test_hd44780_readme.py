"""The hd44780 README example, run against the HD44780 model on the example's own pins.

The example in drivers/hd44780/README.md is written for a board (`from machine import Pin`).
Here devmodels.machine stands in for `machine`, and an HD44780Model watches the pins the
example uses (GPIO 2 to 7), so the test checks what the display shows, not only that the
example finishes: the custom glyph in CGRAM, both rows on the screen, no protocol or timing
rule broken. On the real MicroPython (built-in asyncio and fast_io) and on CPython.
"""

import os

import pytest
from docs_examples import examples
from runtimes import ROOT, run_cpython, run_micropython, source_path

README = os.path.join(ROOT, "drivers", "hd44780", "README.md")

PRELUDE = """\
import devmodels

devmodels.install()  # `machine` is devmodels.machine from here on
from devmodels.hd44780 import HD44780Model

model = HD44780Model(16, 2, pins=(2, 3, 4, 5, 6, 7))
"""

EPILOGUE = """
model.check()
print("screen", repr(model.screen()))
print("glyph", model.glyph(0))
"""


def readme_example():
    blocks = examples(README)
    assert len(blocks) == 1, "want exactly one ```python example block in the README"
    return blocks[0][1]


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io", "cpy-asyncio"])
def test_readme_example(tmp_path, runtime):
    example = PRELUDE + readme_example() + EPILOGUE
    if runtime.endswith("fast_io"):
        example = "import fast_io\n\nfast_io.install()\n" + example
    (tmp_path / "example.py").write_text(example)
    script = str(tmp_path / "example.py")
    run = run_micropython if runtime.startswith("mp-") else run_cpython
    proc = run([script], path=source_path(), timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert proc.stdout.splitlines() == [
        "count 2",
        "screen " + repr(["Temp: 21.5\x00C" + " " * 4, "count 2" + " " * 9]),
        "glyph [12, 18, 18, 12, 0, 0, 0, 0]",
    ], out
