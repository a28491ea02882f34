"""syncom between two MicroPython processes: each end with its own scheduler, the four lines
carried by devmodels.wire, so bits cross in real time with real interleaving.

Long runs both ways (sequence numbers checked at the far end), noise on a clock and a data
line, and an end killed mid-stream and started again.
"""

import os

import pytest

from linkrig import End, counters, free_port, records
from runtimes import PORTABLE, missing_for

END = os.path.join(PORTABLE, "syncom", "ends", "syncom_end.py")
N = 20


@pytest.fixture(autouse=True)
def _need_micropython():
    for rt in ("mp-asyncio", "mp-fast_io"):
        reason = missing_for(rt)
        if reason:
            pytest.skip(reason)


def start_pair(rt_active, rt_passive, n=N, glitch=None, boot=1):
    port = free_port()
    extra = [glitch] if glitch else []
    a = End(END, rt_active, "active", port, 1, n, *extra)
    p = End(END, rt_passive, "passive", port, boot, n, *extra)
    return a, p


def in_order(seqs):
    return all(b > a for a, b in zip(seqs, seqs[1:]))


@pytest.mark.parametrize("rt_active,rt_passive", [("mp-asyncio", "mp-fast_io")])
def test_long_run_both_ways(rt_active, rt_passive):
    a, p = start_pair(rt_active, rt_passive)
    out_a, out_p = a.finish(60), p.finish(60)
    for end, out in ((a, out_a), (p, out_p)):
        seqs = [s for _, s in records(end.lines, "RX")]
        assert seqs == list(range(N)), out
        assert counters(end.lines) == {"errors": 0, "timeouts": 0, "pulses": 0}, out
        assert "BAD" not in out and "Traceback" not in out, out


@pytest.mark.parametrize("line", ["clock", "data"])
def test_glitches_drop_nothing_damaged(line):
    # Each end holds one of its input lines at the wrong level for 10 ms, twice. A frame may
    # be lost (one per glitch); none is delivered damaged or out of order, and the link goes
    # on to the end.
    # (A clock glitch can happen to leave the ends in step, so only the data line's noise is
    # sure to be seen.)
    a, p = start_pair("mp-fast_io", "mp-asyncio", glitch=line)
    out_a, out_p = a.finish(60), p.finish(60)
    errors = 0
    for end, out in ((a, out_a), (p, out_p)):
        seqs = [s for _, s in records(end.lines, "RX")]
        assert "BAD" not in out and "Traceback" not in out, out
        # syncom does not retransmit: each glitch may cost the frame it spoiled.
        assert in_order(seqs) and len(seqs) >= N - 2 and seqs[-1] >= N - 3, out
        c = counters(end.lines)
        assert c is not None, out
        errors += c["errors"] + c["timeouts"]
    if line == "data":
        assert errors >= 1, out_a + out_p  # the noise was seen


def test_peer_killed_and_restarted():
    n = 30
    port = free_port()
    a = End(END, "mp-asyncio", "active", port, 1, n)
    p1 = End(END, "mp-fast_io", "passive", port, 1, n)
    try:
        assert a.wait_for(lambda ls: len(records(ls, "RX")) >= 8, 30), "\n".join(a.lines)
        p1.kill()  # mid-stream: a frame is usually on the wire
        p2 = End(END, "mp-fast_io", "passive", port, 2, n)
        out_a, out_p = a.finish(60), p2.finish(60)
    finally:
        a.kill()
        p1.kill()
    rx = records(a.lines, "RX")
    first = [s for b, s in rx if b == 1]
    second = [s for b, s in rx if b == 2]
    assert in_order(first) and first[0] == 0, out_a
    assert second == list(range(n)), out_a  # everything the restarted end sent
    c = counters(a.lines)
    assert c["timeouts"] >= 1 and c["pulses"] >= 1, out_a  # detected; sig_reset pulsed
    seqs = [s for _, s in records(p2.lines, "RX")]
    assert in_order(seqs) and seqs[-1] == n - 1 and seqs[0] > first[0], out_p
