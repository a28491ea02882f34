"""What asi2c costs on MicroPython, checked against drivers/i2c/README.md: the .mpy sizes
(exact, from mpy-cross) and the RAM the imports and one Responder or Initiator take
(gc.mem_free() on the unix port, within 25% of the README's figures).
"""

import os
import re
import tempfile

import pytest

from runtimes import MPY_CROSS, ROOT, compile_mpy, run_micropython, unsupported

PKG = os.path.join(ROOT, "drivers", "i2c")

MEASURE = """\
import asyncio, gc
gc.collect(); m0 = gc.mem_free()
import asi2c
gc.collect(); m1 = gc.mem_free()
import asi2c_i
gc.collect(); m2 = gc.mem_free()
class P:
    IRQ_RISING = 1
    IRQ_FALLING = 2
    def __call__(self, v=None):
        return 0
    def irq(self, *a, **k):
        pass
class T:
    IRQ_READ_REQ = 4
    IRQ_WRITE_REQ = 8
    def irq(self, *a, **k):
        pass
async def main():
    gc.collect(); m3 = gc.mem_free()
    r = asi2c.Responder(object(), P(), P(), verbose=False)
    gc.collect(); m4 = gc.mem_free()
    i = asi2c_i.Initiator(T(), P(), P(), verbose=False)
    gc.collect(); m5 = gc.mem_free()
    print(m0 - m1, m1 - m2, m3 - m4, m4 - m5)
asyncio.run(main())
"""


def readme_figure(pattern):
    with open(os.path.join(PKG, "README.md")) as f:
        m = re.search(pattern, f.read())
    assert m, "README.md has no line matching %r" % pattern
    return int(m.group(1))


def test_size_and_ram():
    if not MPY_CROSS:
        pytest.skip("no mpy-cross")
    reason = unsupported("i2c", "mp-asyncio")
    if reason:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory() as tmp:
        sizes = {}
        for name in ("asi2c", "asi2c_i"):
            sizes[name] = os.path.getsize(compile_mpy(os.path.join(PKG, name + ".py"), tmp))
        proc = run_micropython(["-c", MEASURE], path=[tmp])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ram = [int(x) for x in proc.stdout.split()]
    print(sizes, ram)
    for name, size in sizes.items():
        assert size == readme_figure(r"`%s\.mpy`[^\n]*?: (\d+) bytes" % name), name
    patterns = (
        r"`import asi2c`[^|]*\| (\d+) bytes",
        r"`import asi2c_i`[^|]*\| (\d+) bytes",
        r"one `Responder`[^|]*\| (\d+) bytes",
        r"one `Initiator`[^|]*\| (\d+) bytes",
    )
    for got, pattern in zip(ram, patterns):
        want = readme_figure(pattern)
        assert abs(got - want) <= want // 4, (pattern, got, want)
