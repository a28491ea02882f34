"""The hd44780 README examples, run against the HD44780 models the README's setup block makes.

The examples in drivers/hd44780/README.md are written for a board (`from machine import Pin`,
`I2C`). The README's setup block (shown to readers as "Run it on a PC") comes first:
`devmodels.install()` gives them a `machine` module, a 16x2 display model watches GPIO 2 to 7
and a 20x4 one sits behind a PCF8574 backpack model on I2C bus 0. tests/test_docs.py only
checks that the examples finish; here each must print what the README says, the screens must
show what the examples wrote (custom glyph included), and no protocol or timing rule may be
broken. On the real MicroPython (built-in asyncio and fast_io) and on CPython.
"""

import os

import pytest
from docs_examples import model_examples, run_example
from runtimes import ROOT

README = os.path.join(ROOT, "drivers", "hd44780", "README.md")

EPILOGUE = """
display.check()
backpack_display.check()
print("screen", repr(display.screen()))
print("glyph", display.glyph(0))
print("backpack", repr(backpack_display.screen()))
print("backlight pin", I2C(0).device(0x27).backlight)
"""

BLANK_16X2 = [" " * 16] * 2
BLANK_20X4 = [" " * 20] * 4

EXPECTED = [
    [  # the pins example
        "count 2",
        "screen " + repr(["Temp: 21.5\x00C" + " " * 4, "count 2" + " " * 9]),
        "glyph [12, 18, 18, 12, 0, 0, 0, 0]",
        "backpack " + repr(BLANK_20X4),
        "backlight pin True",  # the backpack was never written to: the PCF8574's outputs high
    ],
    [  # the backpack example
        "row 4 of 4 - backlight on: False",
        "screen " + repr(BLANK_16X2),
        "glyph [0, 0, 0, 0, 0, 0, 0, 0]",
        "backpack " + repr(["row %d of 4" % r + " " * 10 for r in (1, 2, 3, 4)]),
        "backlight pin False",  # P3 low
    ],
]


@pytest.mark.parametrize("which", [0, 1], ids=["pins", "backpack"])
@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io", "cpy-asyncio"])
def test_readme_example(tmp_path, runtime, which):
    example = model_examples(README, len(EXPECTED))[which] + EPILOGUE  # pins, backpack
    proc = run_example(tmp_path, example, runtime, "hd44780")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert proc.stdout.splitlines() == EXPECTED[which], out
