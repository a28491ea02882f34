"""The nec_ir package's README example, with the README's model remote.

The example in drivers/nec_ir/README.md is written for a board (`from machine import Pin`).
The README's setup block (shown to readers as "Run it on a PC") runs first:
`devmodels.install()` gives it a `machine` module, and a model remote
(devmodels.nec.NECTransmitter) on pin 13 plays a key held for two repeat codes, then a frame
spoilt by a stray pulse, from the moment the application sets the pin's interrupt. The
remote's EdgeClock stands in for the driver's time.ticks_us, so the edges are stamped exactly
even on a loaded host. tests/test_docs.py only checks that the example finishes; here its
output must be exactly what the README shows, on the real MicroPython (built-in asyncio and
fast_io) and on CPython.
"""

import os

import pytest
from docs_examples import model_examples, run_example
from runtimes import ROOT

README = os.path.join(ROOT, "drivers", "nec_ir", "README.md")

EXPECTED = [
    "address 0x04 command 0x08",
    "repeat: key 0x04 still held",
    "repeat: key 0x04 still held",
    "error -5",
]


def test_readme_shows_the_expected_output():
    with open(README) as f:
        text = f.read()
    assert "```\n" + "\n".join(EXPECTED) + "\n```" in text


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io", "cpy-asyncio"])
def test_readme_example(tmp_path, runtime):
    proc = run_example(tmp_path, model_examples(README)[0], runtime, "nec_ir")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert proc.stdout.splitlines() == EXPECTED, out
