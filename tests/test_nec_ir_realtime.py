"""Exact decoding of edges paced in real time, on the real MicroPython with its asyncio.

tests/portable/nec_ir/ptest_realtime.py (run by test_portable.py on fast_io and CPython, and
here on MicroPython's asyncio) requires
that edges paced in real time give the key or errors, never a wrong key; it requires exact
results only of an attempt the host paced cleanly, and says whether it had one. Here that
exact check must have happened: a host too busy to pace any of its attempts cleanly makes this
test a skip, not a pass.
"""

import os

import pytest
from runtimes import PORTABLE, check_ptest_output, run_portable, skip_unless_runs

SCRIPT = os.path.join(PORTABLE, "nec_ir", "ptest_realtime.py")


@skip_unless_runs("nec_ir")
def test_cleanly_paced_edges_decode_exactly():
    out = check_ptest_output(run_portable(SCRIPT, "mp-asyncio"))
    if "exact: no clean attempt" in out:
        pytest.skip("the host was too busy to pace edges within 60 us")
    assert "exact: checked" in out, out
