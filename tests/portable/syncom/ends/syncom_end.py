# One end of a syncom link, in its own MicroPython process; tests/test_syncom_link.py runs two
# of them (and kills and restarts one) with the four lines carried between the processes by
# devmodels.wire.
#
#   micropython tests/lib/run_portable.py RUNTIME syncom_end.py ROLE PORT BOOT N [GLITCH]
#
# ROLE active (listens) or passive (connects). Sends N numbered messages, prints
# "RX boot seq" for each one received and "DONE ..." with its counters once it has sent all
# N and received the peer's last (seq N-1) (with GLITCH, a frame may be lost: or once nothing
# has come for 4 s after all its own are sent). GLITCH: "clock" or "data" holds that input line
# at the wrong level for 10 ms, twice, while messages flow.
import sys

import devmodels

devmodels.install()

import asyncio  # noqa: E402
import time  # noqa: E402

from devmodels.wire import Wire  # noqa: E402
from machine import Pin  # noqa: E402

from syncom import SynCom  # noqa: E402

role, port, boot, n = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
glitch = sys.argv[7] if len(sys.argv) > 7 else None
active = role == "active"
me, peer = ("A", "P") if active else ("P", "A")
TIMEOUT = 300
DEBUG = 0


def out(*a):
    print(*a)


async def inject(chan, line):
    pin = Pin(line)
    for k in range(2):
        while len(got) < 4 + 6 * k:
            await asyncio.sleep_ms(5)
        pin.stick(pin.value() ^ 1)
        await asyncio.sleep_ms(10)
        pin.stick(None)
        await asyncio.sleep_ms(200)


got = []


async def main():
    wire = Wire(outs=(me + "CK", me + "D", me + "RST"), ins=(peer + "CK", peer + "D"))
    if active:
        await wire.listen(port)
    else:
        await wire.connect(port)
    pulses = [0]

    def count(pin):
        if pin.value():
            pulses[0] += 1

    rst = Pin(me + "RST", Pin.OUT, value=0)
    rst_watch = Pin(me + "RST")
    rst_watch.watch(count)
    chan = SynCom(
        not active,
        Pin(peer + "CK", Pin.IN),
        Pin(me + "CK", Pin.OUT, value=0),
        Pin(peer + "D", Pin.IN),
        Pin(me + "D", Pin.OUT, value=0),
        sig_reset=rst,
        timeout=TIMEOUT,
        verbose=False,
    )
    link = asyncio.create_task(chan.start())
    if glitch:
        asyncio.create_task(inject(chan, peer + ("CK" if glitch == "clock" else "D")))
    sent = 0
    last = None
    t0 = t_rx = time.ticks_ms()
    while True:
        if time.ticks_diff(time.ticks_ms(), t0) > 40000:
            out(
                "STUCK",
                role,
                link.done(),
                getattr(link, "data", None),
                chan.running(),
                chan._ck,
                Pin(peer + "CK").value(),
                chan.errors,
                chan.timeouts,
                chan.restarts,
                len(chan._txq),
                wire.connected(),
            )
            return
        while sent < n and len(chan._txq) < 2:
            chan.send({"boot": boot, "seq": sent, "pad": "abc" * (sent % 7)})
            sent += 1
        while chan.any():
            m = await chan.await_obj()
            got.append(m)
            if m["pad"] != "abc" * (m["seq"] % 7):
                out("BAD", m)
            out("RX", m["boot"], m["seq"])
            last = m["seq"]
            t_rx = time.ticks_ms()
        if sent == n and not chan._txq:
            if last == n - 1:
                break
            # With noise a frame may be lost, the last one too: once everything is sent,
            # stop when nothing has come for a while.
            if glitch and time.ticks_diff(time.ticks_ms(), t_rx) > 4000:
                break
        await asyncio.sleep_ms(2)
        if DEBUG:
            out("DBG", chan.errors, chan.timeouts, chan.restarts, chan.running(), chan._ck)
    await asyncio.sleep_ms(300)  # the peer completes its last byte
    out("DONE errors", chan.errors, "timeouts", chan.timeouts, "pulses", pulses[0])
    chan.stop()
    await link
    wire.close()


asyncio.run(main())
