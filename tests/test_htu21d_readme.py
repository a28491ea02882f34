"""The htu21d package's README example, run against the HTU21D device model.

The example in drivers/htu21d/README.md is written for a board (`from machine import I2C,
Pin`). The README's setup block ("Run it on a PC") runs first: `devmodels.install()` gives it a
`machine` module, and an HTU21DModel at 21.5 deg C and 45 %RH sits on bus 0. tests/test_docs.py
only checks that the example finishes; here its output must be exactly what the README says,
on the real MicroPython (built-in asyncio and fast_io) and on CPython.
"""

import os

import pytest
from docs_examples import model_examples, run_example
from runtimes import ROOT

README = os.path.join(ROOT, "drivers", "htu21d", "README.md")

EXPECTED = ["21.5 C, 45.0 %RH"] * 3


def test_readme_states_the_output():
    with open(README) as f:
        text = f.read()
    assert "It then prints `%s` three times." % EXPECTED[0] in text


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io", "cpy-asyncio"])
def test_readme_example(tmp_path, runtime):
    proc = run_example(tmp_path, model_examples(README)[0], runtime, "htu21d")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert proc.stdout.splitlines() == EXPECTED, out
