"""asi2c between two MicroPython processes: the Initiator (I2C target: devmodels' I2CTarget or
its pyb.I2C model) in one, the Responder (I2C controller) in the other, each with its own
scheduler; the sync and ack lines, the reset line and the I2C bus are carried between them by
devmodels.wire, so every transaction crosses between the processes in real time.

Numbered lines of up to 300 bytes (most span several frames) go both ways through asyncio
streams and are checked at the far end: nothing lost, duplicated, reordered or damaged, under
flow control with a slow reader, with glitches on the handshake lines, across a Responder
frozen for longer than the timeout (the Initiator reports the failure and resynchronises),
and across a Responder killed, or reset through the reset line, and started again.
"""

import os
import signal
import time

import pytest

from linkrig import End, counters, free_port, records
from runtimes import PORTABLE, missing_for

END = os.path.join(PORTABLE, "i2c", "ends", "i2c_end.py")
N = 60


@pytest.fixture(autouse=True)
def _need_micropython():
    for rt in ("mp-asyncio", "mp-fast_io"):
        reason = missing_for(rt)
        if reason:
            pytest.skip(reason)


def start(rt_init, rt_resp, *opts, n=N, boot=1):
    port = free_port()
    i = End(END, rt_init, "init", port, 1, n, *opts)
    r = End(END, rt_resp, "resp", port, boot, n, *opts)
    return i, r, port


def seqs(lines, boot=None):
    return [s for b, s in records(lines, "RX") if boot is None or b == boot]


def fails_line(lines):
    for ln in lines:
        if ln.startswith("FAILS "):
            f = ln.split()
            return {"fails": int(f[1]), f[2]: int(f[3]), f[4]: int(f[5])}
    return None


def check_clean(end, out, n=N):
    assert seqs(end.lines) == list(range(n)), out
    for bad in ("BAD", "JUNK", "STUCK", "Traceback"):
        assert bad not in out, out


@pytest.mark.parametrize(
    "rt_init,rt_resp,target",
    [("mp-asyncio", "mp-fast_io", "i2ctarget"), ("mp-fast_io", "mp-asyncio", "pyb")],
)
def test_long_run_both_ways(rt_init, rt_resp, target):
    opts = ("pyb",) if target == "pyb" else ()
    i, r, _ = start(rt_init, rt_resp, *opts)
    out_i, out_r = i.finish(60), r.finish(60)
    check_clean(i, out_i)
    check_clean(r, out_r)
    # Up once, and down only if the machine was too busy to answer within timeout_ms (then
    # up again: the lines above are still all there, once each).
    assert counters(i.lines)["go"] == fails_line(i.lines)["fails"] + 1, out_i


def test_slow_reader_holds_the_writer_back():
    i, r, _ = start("mp-fast_io", "mp-fast_io", "slow", n=40)
    out_i, out_r = i.finish(60), r.finish(60)
    check_clean(i, out_i, 40)
    check_clean(r, out_r, 40)
    for end, out in ((i, out_i), (r, out_r)):
        f = fails_line(end.lines)
        assert f["held"] > 0, out  # the writer saw the peer's window closed
        assert f["most"] <= 512 + 300, out  # unread data stayed within the receive buffer


@pytest.mark.parametrize("target", ["i2ctarget", "pyb"])
def test_glitches_on_the_handshake_lines(target):
    opts = ("glitch", "pyb") if target == "pyb" else ("glitch",)
    i, r, _ = start("mp-asyncio", "mp-fast_io", *opts)
    out_i, out_r = i.finish(60), r.finish(60)
    check_clean(i, out_i)  # every line exactly once, in order, whatever the glitches did
    check_clean(r, out_r)


def test_frozen_responder_detected_and_resynchronised():
    # The Responder's process is stopped for 400 ms (longer than t_poll + timeout_ms, 120 ms)
    # twice: the Initiator reports each failure (cr_fail), then the link comes back (cr_go)
    # with nothing lost or duplicated either way.
    i, r, _ = start("mp-fast_io", "mp-asyncio", n=80)
    try:
        for k in (10, 40):
            assert r.wait_for(lambda ls, k=k: len(seqs(ls)) >= k, 30), "\n".join(r.lines)
            r.proc.send_signal(signal.SIGSTOP)
            time.sleep(0.4)
            r.proc.send_signal(signal.SIGCONT)
        out_i, out_r = i.finish(60), r.finish(60)
    finally:
        i.kill()
        r.kill()
    check_clean(i, out_i, 80)
    check_clean(r, out_r, 80)
    fails = fails_line(i.lines)["fails"]
    assert fails >= 2, out_i  # each freeze seen (a busy machine may add one)
    assert counters(i.lines)["go"] == fails + 1, out_i


def _restart_checks(i, r1, r2, out_i, out_r):
    # The Initiator got the first Responder's lines in order, then the second's. A stream has
    # no message boundaries: the line the dead Responder was cut in, and the new one's first
    # line, run together into one bad line, so the second's lines start at 0 or 1.
    first, second = seqs(i.lines, 1), seqs(i.lines, 2)
    assert first == list(range(len(first))), out_i
    assert second in (list(range(N)), list(range(1, N))), out_i
    cut = sum(ln.startswith(("JUNK", "BAD")) for ln in i.lines)
    assert cut <= 1 and cut == N - len(second), out_i
    assert "STUCK" not in out_i, out_i
    # The second Responder got the rest of the Initiator's stream, in order, to the end.
    got = seqs(r2.lines)
    assert got == list(range(got[0], N)), out_r
    assert sum(ln.startswith(("JUNK", "BAD")) for ln in r2.lines) <= 1, out_r
    assert fails_line(i.lines)["fails"] >= 1, out_i


def test_responder_killed_and_restarted():
    i, r1, port = start("mp-asyncio", "mp-fast_io")
    try:
        assert i.wait_for(lambda ls: len(seqs(ls)) >= 10, 30), "\n".join(i.lines)
        r1.kill()
        # The board stays down longer than the failure bound (t_poll + timeout_ms, 120 ms),
        # as a rebooting board does: a new process can start faster than that.
        time.sleep(0.4)
        r2 = End(END, "mp-fast_io", "resp", port, 2, N)
        out_i, out_r = i.finish(60), r2.finish(60)
    finally:
        i.kill()
        r1.kill()
    _restart_checks(i, r1, r2, out_i, out_r)


def test_reset_line_restarts_the_responder():
    # The Responder freezes; the Initiator times out, pulses the reset line, and the
    # Responder "reboots" (its process ends on the pulse and a new one starts).
    i, r1, port = start("mp-fast_io", "mp-asyncio", "reset")
    try:
        assert i.wait_for(lambda ls: len(seqs(ls)) >= 10, 30), "\n".join(i.lines)
        r1.proc.send_signal(signal.SIGSTOP)
        time.sleep(0.4)
        r1.proc.send_signal(signal.SIGCONT)
        assert r1.wait_for(lambda ls: "RESET" in ls, 10), "\n".join(r1.lines)
        r1.finish(10)
        r2 = End(END, "mp-fast_io", "resp", port, 2, N, "reset")
        out_i, out_r = i.finish(60), r2.finish(60)
    finally:
        i.kill()
        r1.kill()
    _restart_checks(i, r1, r2, out_i, out_r)
