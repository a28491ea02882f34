"""The nec_ir package's README example, with a model remote on the example's pin.

The example in drivers/nec_ir/README.md is written for a board (`from machine import Pin`).
Here `devmodels.install()` makes `machine` the devmodels one, and the example's closing
`asyncio.run(main())` is replaced by a run of `main()` beside a task in which a model remote
(devmodels.nec.NECTransmitter) drives the same pin line: a key held for two repeat codes, then
a frame spoilt by a stray pulse. The remote stamps its edges exactly (its EdgeClock stands in
for the driver's time.ticks_us), so the output is the same on a loaded host. The output must be
exactly what the README shows, on the real MicroPython (built-in asyncio and fast_io) and on
CPython.
"""

import os

import pytest
from docs_examples import examples
from runtimes import ROOT, run_cpython, run_micropython, source_path

README = os.path.join(ROOT, "drivers", "nec_ir", "README.md")

EXPECTED = [
    "address 0x04 command 0x08",
    "repeat: key 0x04 still held",
    "repeat: key 0x04 still held",
    "error -5",
]

PRELUDE = """\
import devmodels

devmodels.install()
"""

REMOTE = """\
async def _with_remote():
    import aremote
    from devmodels.nec import EdgeClock, NECTransmitter, frame, glitch

    clock = EdgeClock()
    aremote.ticks_us = clock.ticks_us
    tx = NECTransmitter(Pin(13), clock)

    async def play():
        await asyncio.sleep(0.05)
        await tx.press(0x04, 0x08, repeats=2)
        await tx.send(glitch(frame(0x04, 0x09), 30000, 200), tx.now() + 100000)

    asyncio.create_task(play())
    await main()


asyncio.run(_with_remote())
"""


def readme_example():
    blocks = examples(README)
    assert len(blocks) == 1, "want exactly one ```python example block in the README"
    return blocks[0][1]


def test_readme_shows_the_expected_output():
    with open(README) as f:
        text = f.read()
    assert "```\n" + "\n".join(EXPECTED) + "\n```" in text


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io", "cpy-asyncio"])
def test_readme_example(tmp_path, runtime):
    example = readme_example()
    closing = "asyncio.run(main())\n"
    assert example.endswith(closing), "the example should end with asyncio.run(main())"
    example = PRELUDE + example[: -len(closing)] + REMOTE
    if runtime.endswith("fast_io"):
        example = "import fast_io\n\nfast_io.install()\n" + example
    (tmp_path / "example.py").write_text(example)
    script = str(tmp_path / "example.py")
    if runtime.startswith("mp-"):
        proc = run_micropython([script], path=source_path(), timeout=60)
    else:
        proc = run_cpython([script], path=source_path(), timeout=60)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert proc.stdout.splitlines() == EXPECTED, out
