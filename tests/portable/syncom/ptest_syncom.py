# syncom with both ends in one process, their four lines shared through devmodels pins: the
# API (strings, JSON objects, any, await_obj, running, stop, user tasks), bad input, a dead
# peer detected by the timeout, sig_reset pulsed and the awaitable awaited before the restart.
# The two-process runs (real interleaving, noise, a killed end) are in tests/test_syncom_link.py.
import devmodels

devmodels.install()

import asyncio  # noqa: E402

import ptest  # noqa: E402
from machine import Pin, reset  # noqa: E402
from ptest import eq, test  # noqa: E402

from syncom import SynCom  # noqa: E402


def pair(timeout=0, string_mode=False, reset_id=None):
    reset()
    reset_pin = None if reset_id is None else Pin(reset_id, Pin.OUT, value=0)
    a = SynCom(
        False,
        Pin("PCK"),
        Pin("ACK", Pin.OUT, value=0),
        Pin("PD"),
        Pin("AD", Pin.OUT, value=0),
        sig_reset=reset_pin,
        timeout=timeout,
        string_mode=string_mode,
        verbose=False,
    )
    # In one process a line has one mode: the passive end reads the active's outputs through
    # pins made without a mode (Pin.IN would turn the active's outputs into inputs).
    p = SynCom(
        True,
        Pin("ACK"),
        Pin("PCK", Pin.OUT, value=0),
        Pin("AD"),
        Pin("PD", Pin.OUT, value=0),
        timeout=timeout,
        string_mode=string_mode,
        verbose=False,
    )
    return a, p


async def until(cond, ms=5000):
    for _ in range(ms // 5):
        if cond():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not met in %d ms" % ms)


@test
async def objects_both_ways():
    a, p = pair()
    ta = asyncio.create_task(a.start())
    tp = asyncio.create_task(p.start())
    objs = [{"n": 1, "list": [1, 2.5, None, True]}, "text", 42, [], {"é": "ü"}]
    for o in objs:
        a.send(o)
        p.send([o])
    got_p = []
    got_a = []
    for _ in objs:  # (MicroPython has no await inside a comprehension)
        got_p.append(await p.await_obj())
        got_a.append(await a.await_obj())
    eq(got_p, objs, "passive received")
    eq(got_a, [[o] for o in objs], "active received")
    eq(a.any() + p.any(), 0, "nothing left")
    eq((a.errors, p.errors), (0, 0), "errors")
    assert a.running() and p.running()
    a.stop()
    p.stop()
    await ta
    await tp
    assert not a.running() and not p.running()


@test
async def strings_and_bad_input():
    a, p = pair(string_mode=True)
    for bad in (b"bytes", 1, None):
        try:
            a.send(bad)
        except TypeError:
            pass
        else:
            raise AssertionError("string mode accepted %r" % (bad,))
    a2, _ = pair()
    for bad in ({1, 2}, object()):  # JSON cannot carry them
        try:
            a2.send(bad)
        except TypeError:
            pass
        else:
            raise AssertionError("%r was accepted" % (bad,))
    eq(len(a2._txq), 0, "nothing queued after a refused send")
    a, p = pair(string_mode=True)
    ta = asyncio.create_task(a.start())
    tp = asyncio.create_task(p.start())
    long = "x" * 300 + "\n\x00\x01 end"
    a.send("")
    a.send(long)
    eq(await p.await_obj(), "", "empty string")
    eq(await p.await_obj(), long, "long string with control bytes")
    a.stop()
    p.stop()
    await ta
    await tp


@test
async def user_task_runs_while_up():
    a, p = pair()
    seen = []

    async def user(chan):
        seen.append(chan is a)
        chan.send("hello from the user task")
        await asyncio.sleep(10)

    ta = asyncio.create_task(a.start(user))
    tp = asyncio.create_task(p.start())
    eq(await p.await_obj(), "hello from the user task", "message")
    eq(seen, [True], "user task started with the SynCom")
    a.stop()
    p.stop()
    await ta
    await tp


@test
async def dead_peer_detected_and_reset_pulsed():
    pulses = []
    a, p = pair(timeout=100, reset_id="RST")
    Pin("RST").watch(lambda pin: pulses.append(pin.value()))
    waited = []

    async def after_reset():
        waited.append(1)

    ta = asyncio.create_task(a.start(None, after_reset))
    tp = asyncio.create_task(p.start())
    a.send("one")
    eq(await p.await_obj(), "one", "before")
    p.stop()  # the passive end goes silent
    await tp
    await until(lambda: a.timeouts >= 1 and waited)
    assert not a.running()
    eq(pulses[:2], [1, 0], "sig_reset pulsed high then low")
    tp = asyncio.create_task(p.start())  # back up: the link restarts
    await until(a.running)
    a.send("two")
    eq(await p.await_obj(), "two", "after the restart")
    a.stop()
    p.stop()
    await ta
    await tp


ptest.main()
