"""The gps-mtk package: its README example prints what the README says (MicroPython with
asyncio and fast_io, the receiver model answering on the UART), and the .mpy size it quotes.
"""

import os
import subprocess

import pytest
from docs_examples import examples
from runtimes import MPY_CROSS, ROOT, run_micropython

PACKAGE = os.path.join(ROOT, "drivers", "gps-mtk")
README = os.path.join(PACKAGE, "README.md")


def _quoted_output():
    # The plain ``` block that follows "check that it prints:" in the README.
    with open(README) as f:
        text = f.read()
    after = text.split("check that it prints:", 1)[1]
    return after.split("```\n", 2)[1].splitlines()


@pytest.mark.parametrize("scheduler", ["asyncio", "fast_io"])
def test_readme_example(tmp_path, scheduler):
    blocks = examples(README, "mp")
    assert len(blocks) == 1
    source = blocks[0][1]
    if scheduler == "fast_io":
        source = "import fast_io\n\nfast_io.install()\n" + source
    script = tmp_path / "example.py"
    script.write_text(source)
    proc = run_micropython([str(script)], timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    want = _quoted_output()
    assert len(want) == 4
    assert proc.stdout.splitlines() == want


def test_mpy_size(tmp_path):
    out = tmp_path / "as_rwGPS.mpy"
    src = os.path.join(PACKAGE, "as_rwGPS.py")
    subprocess.run([MPY_CROSS, "-s", "as_rwGPS.py", "-o", str(out), src], check=True)
    size = os.path.getsize(out)
    print("as_rwGPS.mpy:", size, "bytes")
    with open(README) as f:
        text = f.read()
    quoted = int(text.split("as_rwGPS.mpy` (`mpy-cross` 1.29): ", 1)[1].split(" bytes")[0])
    # Another mpy-cross may differ a little; a change of the code by more needs the README.
    assert abs(size - quoted) <= quoted // 20, "update the README's .mpy size: %d" % size
