# One end of an asi2c link, in its own MicroPython process; tests/test_i2c_link.py runs two of
# them (and stops, kills and restarts one) with the handshake lines and the I2C bus carried
# between the processes by devmodels.wire.
#
#   micropython tests/lib/run_portable.py RUNTIME i2c_end.py ROLE PORT BOOT N [OPTIONS...]
#
# ROLE init (the Initiator, I2C target; listens) or resp (the Responder, I2C controller;
# connects). Writes N numbered lines "boot seq pad" (pads up to 300 bytes: most lines span
# several frames) through an asyncio StreamWriter, reads the peer's through a StreamReader,
# prints "RX boot seq" for each line and "JUNK" for a line that is not one (the restart of a
# peer cuts a line), then "DONE ..." with its counters once all its lines are acknowledged
# and the peer's last one (seq N-1) has come.
# OPTIONS: pyb (the Initiator uses the pyb.I2C model), slow (read a line every 15 ms),
# glitch (hold the input handshake line at the wrong level for 3 ms, three times),
# reset (the Initiator has a reset line; the Responder exits when it is pulsed).
import sys

import devmodels

devmodels.install()

import asyncio  # noqa: E402
import time  # noqa: E402

from devmodels.wire import Wire  # noqa: E402
from machine import I2C, Pin  # noqa: E402

role, port, boot, n = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
opts = sys.argv[7:]
init = role == "init"
ADDR = 0x12
PAD = b"abcdefghijklmnopqrstuvwxyz0123456789" * 9


def pad(seq):
    return PAD[: (seq * 37) % 300]


def out(*a):
    print(*a)


state = {"held": 0, "most": 0, "got": 0, "last": None, "reset": False, "go": 0, "fail": 0}


async def receive(chan):
    reader = asyncio.StreamReader(chan)
    while True:
        line = await reader.readline()
        state["most"] = max(state["most"], len(chan._rx) + len(line))
        if "slow" in opts:
            await asyncio.sleep_ms(15)
        f = line.split(b" ")
        try:
            b, s = int(f[0]), int(f[1])
            ok = f[2] == pad(s) + b"\n"
        except (ValueError, IndexError):
            out("JUNK", len(line))
            continue
        if not ok:
            out("BAD", b, s)
            continue
        out("RX", b, s)
        state["got"] += 1
        state["last"] = s


async def send(chan):
    writer = asyncio.StreamWriter(chan, {})
    for i in range(n):
        writer.write(b"%d %d %s\n" % (boot, i, pad(i)))
        await writer.drain()
        if chan._peer_win == 0 and chan._tx:
            state["held"] += 1  # flow control: the peer has no room, this writer waits


async def go():
    state["go"] += 1
    out("GO", state["go"])


async def fail():
    state["fail"] += 1
    out("FAIL", state["fail"])


async def glitches(line):
    pin = Pin(line)
    for k in range(3):
        while state["got"] < 5 + 8 * k:
            await asyncio.sleep_ms(5)
        pin.stick(pin.value() ^ 1)
        await asyncio.sleep_ms(3)
        pin.stick(None)


async def main():
    if init:
        wire = Wire(outs=("SYNC", "RST"), ins=("ACK",))
        await wire.listen(port)
        if "pyb" in opts:
            from devmodels.pyb_i2c import PybI2C

            target = PybI2C(0, addr=ADDR)
        else:
            from machine import I2CTarget

            target = I2CTarget(0, ADDR)
        from asi2c_i import Initiator

        reset = (Pin("RST", Pin.OUT, value=1), 0, 20) if "reset" in opts else None
        chan = Initiator(
            target,
            Pin("SYNC", Pin.OUT, value=0),
            Pin("ACK", Pin.IN),
            reset=reset,
            verbose=False,
            cr_go=go,
            cr_fail=fail,
        )
    else:
        wire = Wire(outs=("ACK",), ins=("SYNC", "RST"))
        await wire.connect(port)
        wire.controller(ADDR)
        if "reset" in opts:
            rst = Pin("RST", Pin.IN)

            def on_reset(pin):
                if not pin.value() and state["got"]:  # not the pulse at the start
                    state["reset"] = True

            rst.irq(on_reset, rst.IRQ_FALLING)
        while not wire.connected():
            await asyncio.sleep_ms(5)
        from asi2c import Responder

        chan = Responder(I2C(0), Pin("SYNC", Pin.IN), Pin("ACK", Pin.OUT), verbose=False)
    asyncio.create_task(receive(chan))
    sender = asyncio.create_task(send(chan))
    if "glitch" in opts:
        asyncio.create_task(glitches("ACK" if init else "SYNC"))
    t0 = time.ticks_ms()
    while True:
        await asyncio.sleep_ms(10)
        if state["reset"]:
            out("RESET")  # a board would restart: this process ends, the test starts another
            return
        if sender.done() and not chan._tx and state["last"] == n - 1:
            break
        if time.ticks_diff(time.ticks_ms(), t0) > 60000:
            out("STUCK", state, len(chan._tx), chan._inflight, chan._peer_win)
            return
    if init:
        await asyncio.sleep_ms(300)  # the peer completes its last exchanges
    else:
        # Answer until the Initiator has gone. It exchanges every t_poll ms even when idle,
        # and reports an exchange left unanswered as a failure: a Responder that ended 300 ms
        # after its own last line, as the Initiator does, made the Initiator fail whenever an
        # idle exchange fell in the few ms between the two ends' exits (how many exchanges fit
        # in those 300 ms depends on each scheduler's timing, not on the link).
        lost = wire.connections
        t1 = time.ticks_ms()
        while wire.connections == lost and time.ticks_diff(time.ticks_ms(), t1) < 10000:
            await asyncio.sleep_ms(10)
    out("DONE errors", chan.errors, "exchanges", chan.exchanges, "go", state["go"])
    out("FAILS", state["fail"], "held", state["held"], "most", state["most"])


asyncio.run(main())
