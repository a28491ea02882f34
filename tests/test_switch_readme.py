"""The switch package's README example, run against the bouncing contact model.

The example in drivers/switch/README.md is written for a board (`from machine import Pin`).
The README's setup block (shown to readers as "Run it on a PC") runs first:
`devmodels.install()` gives it a `machine` module, and a `devmodels.contact.Contact` on pin 0
plays a single click, a double click, then a long press, which ends the example, from the
moment the application makes its pin. tests/test_docs.py only checks that the example
finishes; here its output must be exactly what the README's event table promises, on the real
MicroPython (built-in asyncio and fast_io) and on CPython.
"""

import os

import pytest
from docs_examples import model_examples, run_example
from runtimes import ROOT

README = os.path.join(ROOT, "drivers", "switch", "README.md")

EXPECTED = [
    "press",
    "release (single click)",
    "press",
    "press",
    "double click",
    "press",
    "long press: done",
]


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io", "cpy-asyncio"])
def test_readme_example(tmp_path, runtime):
    proc = run_example(tmp_path, model_examples(README)[0], runtime, "switch")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    lines = [line for line in proc.stdout.splitlines() if not line.startswith("click,")]
    assert lines == EXPECTED, out
