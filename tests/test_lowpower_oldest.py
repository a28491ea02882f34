"""lowpower on a release older than its README's oldest supported one (run the suite with
MICROPYTHON=<a 1.20 build>): the import refuses with a message that names the release needed,
also with fast_io installed (whose timers misorder across the ticks wrap on 1.20)."""

import pytest

from runtimes import micropython_version, run_micropython


def test_lowpower_says_at_import_that_it_needs_1_21():
    here = micropython_version()
    if here is None or here[:2] >= (1, 21):
        pytest.skip("needs MicroPython 1.20 (MICROPYTHON=path); this is %s" % (here,))
    for code in ("import lowpower", "import fast_io; fast_io.install(); import lowpower"):
        proc = run_micropython(["-c", code])
        assert proc.returncode != 0, proc.stdout
        assert "lowpower needs MicroPython 1.21 or later" in proc.stderr, proc.stderr
