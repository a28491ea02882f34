"""The htu21d package's README example, run against the HTU21D device model.

The example in drivers/htu21d/README.md is written for a board (`from machine import I2C,
Pin`). The README's setup block ("Run it on a PC") runs first: `devmodels.install()` gives it a
`machine` module, and an HTU21DModel at 21.5 deg C and 45 %RH sits on bus 0. tests/test_docs.py
only checks that the example finishes; here its output must be exactly what the README says,
on the real MicroPython (built-in asyncio and fast_io) and on CPython.
"""

import os

import pytest
from docs_examples import examples
from runtimes import ROOT, run_cpython, run_micropython

README = os.path.join(ROOT, "drivers", "htu21d", "README.md")

EXPECTED = ["21.5 C, 45.0 %RH"] * 3


def readme_example():
    blocks = examples(README)
    assert len(blocks) == 1, "want exactly one ```python example block in the README"
    source = blocks[0][1]
    assert source.startswith("import devmodels\n"), "the setup block comes first"
    return source


def test_readme_states_the_output():
    with open(README) as f:
        text = f.read()
    assert "It then prints `%s` three times." % EXPECTED[0] in text


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io", "cpy-asyncio"])
def test_readme_example(tmp_path, runtime):
    example = readme_example()
    if runtime.endswith("fast_io"):
        example = "import fast_io\n\nfast_io.install()\n" + example
    script = tmp_path / "example.py"
    script.write_text(example)
    run = run_micropython if runtime.startswith("mp-") else run_cpython
    proc = run([str(script)], timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert proc.stdout.splitlines() == EXPECTED, out
