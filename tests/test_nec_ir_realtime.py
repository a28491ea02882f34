"""Exact decoding of edges paced in real time, on the real MicroPython.

tests/portable/nec_ir/ptest_realtime.py (run on every runtime by test_portable.py) requires
that edges paced in real time give the key or errors, never a wrong key; it requires exact
results only of an attempt the host paced cleanly, and says whether it had one. Here that
exact check must have happened: a host too busy to pace any of its attempts cleanly makes this
test a skip, not a pass.
"""

import os

import pytest
from runtimes import PORTABLE, check_ptest_output, run_portable

SCRIPT = os.path.join(PORTABLE, "nec_ir", "ptest_realtime.py")


@pytest.mark.parametrize("runtime", ["mp-asyncio", "mp-fast_io"])
def test_cleanly_paced_edges_decode_exactly(runtime):
    out = check_ptest_output(run_portable(SCRIPT, runtime))
    if "exact: no clean attempt" in out:
        pytest.skip("the host was too busy to pace edges within 60 us")
    assert "exact: checked" in out, out
