"""What syncom costs on MicroPython, checked against drivers/syncom/README.md: the .mpy size
(exact, from mpy-cross) and the RAM its import and one SynCom take (gc.mem_free() on the unix
port, within 25% of the README's figures, which a change of MicroPython may move a little).
"""

import os
import re
import tempfile

import pytest

from runtimes import MPY_CROSS, ROOT, compile_mpy, run_micropython, unsupported

PKG = os.path.join(ROOT, "drivers", "syncom")

MEASURE = """\
import asyncio, json, gc
gc.collect(); m0 = gc.mem_free()
import syncom
gc.collect(); m1 = gc.mem_free()
class P:
    def __call__(self, v=None):
        return 0
s = syncom.SynCom(False, P(), P(), P(), P(), verbose=False)
gc.collect(); m2 = gc.mem_free()
print("import", m0 - m1, "instance", m1 - m2)
"""


def readme_figure(pattern):
    with open(os.path.join(PKG, "README.md")) as f:
        m = re.search(pattern, f.read())
    assert m, "README.md has no line matching %r" % pattern
    return int(m.group(1))


def test_size_and_ram():
    if not MPY_CROSS:
        pytest.skip("no mpy-cross")
    reason = unsupported("syncom", "mp-asyncio")
    if reason:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory() as tmp:
        size = os.path.getsize(compile_mpy(os.path.join(PKG, "syncom.py"), tmp))
        proc = run_micropython(["-c", MEASURE], path=[tmp])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    f = proc.stdout.split()
    imported, instance = int(f[1]), int(f[3])
    print("syncom.mpy", size, "import", imported, "instance", instance)
    assert size == readme_figure(r"`syncom\.mpy`[^\n]*?: (\d+) bytes")
    for got, pattern in (
        (imported, r"`import syncom`[^|]*\| (\d+) bytes"),
        (instance, r"one `SynCom`[^|]*\| (\d+) bytes"),
    ):
        want = readme_figure(pattern)
        assert abs(got - want) <= want // 4, (got, want)
