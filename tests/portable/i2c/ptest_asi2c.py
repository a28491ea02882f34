# asi2c with both ends in one process: the Responder's modelled I2C(0) reaches the Initiator's
# I2CTarget(0) directly, and the handshake lines are shared pins. Streams both ways with lines
# longer than a frame, failure detection within t_poll + timeout_ms with cr_fail, the reset
# pulse and cr_go, resynchronisation with nothing lost, and bad arguments.
# The two-process runs are in tests/test_i2c_link.py.
# runtimes: mp-asyncio mp-fast_io
import devmodels

devmodels.install()

import asyncio  # noqa: E402
import time  # noqa: E402

import ptest  # noqa: E402
from machine import I2C, I2CTarget, Pin, reset  # noqa: E402
from ptest import eq, test  # noqa: E402

from asi2c import MAXLEN, Responder  # noqa: E402
from asi2c_i import Initiator  # noqa: E402

LOG = []


def initiator(**kw):
    reset()
    # In one process a line has one mode: each end reads the other's line through a pin
    # made without a mode.
    return Initiator(I2CTarget(0, Responder.addr), Pin("SYNC", Pin.OUT, value=0), Pin("ACK"), **kw)


def responder():
    return Responder(I2C(0), Pin("SYNC"), Pin("ACK", Pin.OUT), verbose=False)


async def until(cond, ms=3000):
    t0 = time.ticks_ms()
    while not cond():
        if time.ticks_diff(time.ticks_ms(), t0) > ms:
            raise AssertionError("condition not met in %d ms" % ms)
        await asyncio.sleep_ms(2)


async def read_lines(chan, count):
    reader = asyncio.StreamReader(chan)
    got = []
    while len(got) < count:
        got.append(await reader.readline())
    return got


def lines(tag, count):
    return [b"%s %d %s\n" % (tag, i, b"x" * (i * 41 % 400)) for i in range(count)]


@test
async def streams_both_ways():
    ini = initiator(verbose=False)
    res = responder()
    a, b = lines(b"I", 12), lines(b"R", 12)
    wi = asyncio.StreamWriter(ini, {})
    wr = asyncio.StreamWriter(res, {})
    for x, y in zip(a, b):
        wi.write(x)
        wr.write(y)
    got_r = asyncio.create_task(read_lines(res, len(a)))
    got_i = asyncio.create_task(read_lines(ini, len(b)))
    await wi.drain()
    await wr.drain()
    eq(await got_r, a, "the Responder read")
    eq(await got_i, b, "the Initiator read")
    assert max(len(x) for x in a) > MAXLEN  # lines span frames
    assert ini.up
    ini.deinit()
    res.deinit()


@test
async def dead_responder_detected_then_resync():
    events = []

    async def go(tag):
        events.append(("go", tag, time.ticks_ms()))

    async def fail(tag):
        events.append(("fail", tag, time.ticks_ms()))

    ini = initiator(verbose=False, cr_go=go, go_args=("up",), cr_fail=fail, f_args=("down",))
    res = responder()
    await until(lambda: ini.up)
    ini.write(b"before\n")
    await until(lambda: res.any() == 7)
    eq(res.read(), b"before\n", "before the failure")
    res.deinit()  # the Responder stops answering
    t_dead = time.ticks_ms()
    ini.write(b"while down\n")
    await until(lambda: not ini.up)
    await until(lambda: len(events) >= 2)
    eq([e[:2] for e in events], [("go", "up"), ("fail", "down")], "cr_go then cr_fail")
    took = time.ticks_diff(events[1][2], t_dead)
    bound = Initiator.t_poll + Initiator.timeout_ms
    assert took <= bound + 60, "failure seen after %d ms (bound %d)" % (took, bound)
    res = Responder(I2C(0), Pin("SYNC"), Pin("ACK", Pin.OUT), verbose=False)
    await until(lambda: ini.up)
    await until(lambda: res.any() >= 11)
    eq(res.read(), b"while down\n", "the line written while the link was down")
    await until(lambda: len(events) >= 3)  # cr_go runs as a task of its own
    eq(events[-1][:2], ("go", "up"), "cr_go again")
    eq(ini.failures, 1, "failures")
    ini.deinit()
    res.deinit()


@test
async def reset_line_pulsed():
    reset()
    levels = []
    rst = Pin("RST", Pin.OUT, value=1)
    Pin("RST").watch(lambda p: levels.append(p.value()))
    ini = Initiator(
        I2CTarget(0, Responder.addr),
        Pin("SYNC", Pin.OUT, value=0),
        Pin("ACK"),
        reset=(rst, 0, 20),
        verbose=False,
    )
    await asyncio.sleep_ms(60)
    eq(levels, [0, 1], "low for 20 ms at the start, then high")
    ini.deinit()


@test
async def flow_control_window():
    ini = initiator(verbose=False)
    res = responder()
    blob = bytes(range(256)) * 8  # 2048 bytes: more than both ends buffer
    w = asyncio.StreamWriter(ini, {})
    w.write(blob)
    drain = asyncio.create_task(w.drain())
    await until(lambda: res.any() == res.rxbufsize)
    await asyncio.sleep_ms(100)
    eq(res.any(), res.rxbufsize, "nothing beyond the reader's buffer")
    assert not drain.done()  # the writer is held back
    got = bytearray()
    while len(got) < len(blob):
        await until(res.any)
        got.extend(res.read())
    await drain
    eq(bytes(got), blob, "all of it, in order")
    ini.deinit()
    res.deinit()


@test
def bad_arguments():
    reset()
    try:
        Initiator(object(), Pin("SYNC", Pin.OUT), Pin("ACK"))
    except TypeError:
        pass
    else:
        raise AssertionError("an object that is no I2C target was accepted")


ptest.main()
