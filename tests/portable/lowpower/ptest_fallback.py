# lowpower's fallback task under MicroPython's built-in asyncio (no idle hook), on the board
# power model: the same applications as ptest_idle_hook.py. Under fast_io the fallback task
# returns at once (the hook does the work), which the last test checks.
# runtimes: mp-asyncio mp-fast_io

import asyncio
import time

import lowpower
import ptest
from devmodels.power import PICO, PYBOARD, Board
from lowpower_apps import blinker, bound_ms, serve_while_blinking
from ptest import test

FAST_IO = hasattr(asyncio, "set_idle_hook")


# The built-in's C task queue keys a task made ready without a deadline (create_task,
# Event.set) with the real time.ticks_ms(). Start the model's tick well ahead of it, so such
# keys lie in the model's past, as they do on a board (lowpower's clock only runs ahead of
# ticks_ms there); a key in the model's future would make the built-in wait in real time.
AHEAD_MS = 1000000


def _start():
    # Ahead of ticks_ms, on a whole second: coalesce_ms's grid (multiples of the slack on the
    # clock) then meets the blinkers at the same phase in every run (at some phases the 700 ms
    # blinker's wake-ups fall on other grid points and the count per second differs).
    start = time.ticks_add(time.ticks_ms(), AHEAD_MS)
    return time.ticks_add(start, -(start % 1000))


def pyboard():
    b = Board(PYBOARD, ticks_start=_start(), rtc_start=(2026, 1, 1, 4, 23, 59, 57, 255))
    return b, lowpower.PybBoard(b.pyb, b.time)


def pico():
    b = Board(PICO, ticks_start=_start())
    return b, lowpower.MachineBoard(b.machine, b.time)


def run(board, adapter, main, **kw):
    """Run main(sleeper) with the fallback task beside it."""
    s = lowpower.start(adapter, wait=board.idle, **kw)

    async def wrapper():
        fb = asyncio.create_task(s.fallback())
        try:
            return await main(s)
        finally:
            fb.cancel()

    try:
        asyncio.new_event_loop()
        return asyncio.run(wrapper())
    finally:
        lowpower.stop()


def check_ready(make):
    b, hw = make()
    state = {"busy": False, "bad": 0}

    def on_sleep(board, ms):
        if state["busy"]:
            state["bad"] += 1

    b.on_sleep = on_sleep

    async def busy(ev):
        await asyncio.sleep_ms(450)
        state["busy"] = True
        for _ in range(200):
            b.cpu(200)
            await asyncio.sleep(0)
        ev.set()
        await asyncio.sleep(0)

    async def waiter(ev):
        await ev.wait()
        state["busy"] = False

    async def main(s):
        ev = asyncio.Event()
        await asyncio.gather(busy(ev), waiter(ev), blinker(100, 10))
        return s.sleeps

    sleeps = run(b, hw, main)
    ptest.eq(state["bad"], 0, "sleeps while a task was ready")
    ptest.eq(sleeps >= 5, True, "slept while idle (%d)" % sleeps)


@test
def never_sleeps_while_a_task_is_ready():
    check_ready(pyboard)
    check_ready(pico)


def check_deadlines(make):
    b, hw = make()
    late = []

    async def main(s):
        await asyncio.gather(blinker(130, 100, late), blinker(1700, 8, late))

    run(b, hw, main)
    lim = bound_ms(b)
    name = make.__name__
    ptest.eq(min(late) >= 0, True, "%s: a timer fired early: %r" % (name, late))
    ptest.eq(max(late) <= lim, True, "%s: late %r > %r" % (name, max(late), lim))


@test
def wakes_by_every_deadline():
    check_deadlines(pyboard)
    check_deadlines(pico)


def check_interrupt(make):
    b, hw = make()
    seen = {}

    async def waiter(flag):
        await flag.wait()
        seen["woke_at"] = b.now_ms()

    async def main(s):
        flag = asyncio.ThreadSafeFlag()
        b.interrupt_at(3000, flag.set)
        w = asyncio.create_task(waiter(flag))
        await blinker(10000, 1)
        await w

    run(b, hw, main)
    woke = seen["woke_at"]
    ptest.eq(3000 <= woke <= 3000 + bound_ms(b), True, "%s: woken at %r" % (make.__name__, woke))


@test
def an_interrupt_wakes_it_early():
    check_interrupt(pyboard)
    check_interrupt(pico)


@test
def three_blinkers_sleep_all_the_time_the_wake_up_cost_leaves():
    for make in (pyboard, pico):
        b, hw = make()

        async def main(s):
            await asyncio.gather(blinker(200, 300), blinker(700, 85), blinker(1200, 50))

        run(b, hw, main)
        r = b.report()
        name = make.__name__
        # The fallback adds no wake-ups either: still one per distinct deadline (5.71 a
        # second), and the board sleeps all the time the wake-up cost leaves (asleep means
        # in stop mode or lightsleep: not waking, not running; docs/LOWPOWER.md).
        ptest.eq(abs(r["wakeups_per_s"] - 5.71) < 0.05, True, "%s: %r" % (name, r))
        ceiling = b.profile.asleep_ceiling(r["wakeups_per_s"])
        ok = abs(r["asleep"] - ceiling) < 0.001
        ptest.eq(ok, True, "%s: asleep %r, ceiling %r" % (name, r["asleep"], ceiling))


@test
def coalescing_works_from_the_fallback_too():
    # coalesce_ms=200 merges the 700 ms deadlines into the 200 ms ones: 5 wake-ups a second,
    # no timer early, none later than the slack and the usual bound.
    for make in (pyboard, pico):
        b, hw = make()
        late = []

        async def main(s, late=late):
            await asyncio.gather(blinker(200, 300, late), blinker(700, 85, late))

        run(b, hw, main, coalesce_ms=200)
        r = b.report()
        name = make.__name__
        ptest.eq(abs(r["wakeups_per_s"] - 5.0) < 0.1, True, "%s: %r" % (name, r))
        ok = 0 <= min(late) and max(late) <= 200 + bound_ms(b)
        ptest.eq(ok, True, "%s: lateness %r..%r" % (name, min(late), max(late)))


@test
def stays_awake_while_a_native_stream_waits():
    during, after = serve_while_blinking(pico, run, True)
    ptest.eq(during, 0, "sleeps while the server waited")
    ptest.eq(after >= 9, True, "sleeps after it closed: %d" % after)
    during, after = serve_while_blinking(pico, run, False)
    ptest.eq(during >= 9, True, "keep_streams=False sleeps anyway: %d" % during)


@test
def the_stream_check_allocates_nothing():
    # The fallback asks at every idle moment whether a native stream waits: with a
    # ThreadSafeFlag (a Python-level stream) waiting, the answer is no, and costs no heap.
    import micropython

    flag = asyncio.ThreadSafeFlag()

    async def main():
        waiter = asyncio.create_task(flag.wait())
        await asyncio.sleep_ms(0)
        micropython.heap_lock()
        try:
            waiting = lowpower._builtin_streams_waiting()
        finally:
            micropython.heap_unlock()
        waiter.cancel()
        return waiting

    asyncio.new_event_loop()
    ptest.eq(asyncio.run(main()), False, "a ThreadSafeFlag is no native stream")


@test
def the_fallback_returns_at_once_under_fast_io():
    b, hw = pico()

    async def main(s):
        fb = asyncio.create_task(s.fallback())
        await asyncio.sleep_ms(0)
        await asyncio.sleep_ms(0)
        return fb.done()

    s = lowpower.start(hw, wait=b.idle)
    try:
        asyncio.new_event_loop()
        done = asyncio.run(main(s))
    finally:
        lowpower.stop()
    ptest.eq(done, FAST_IO, "fallback finished")


ptest.main()
