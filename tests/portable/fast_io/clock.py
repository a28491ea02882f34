# fast_io: the pluggable clock (VirtualClock) and the idle hook.
# runtimes: mp-fast_io cpy-fast_io
import asyncio
import time

import ptest
from ptest import test


def wall_ms():
    return time.time() * 1000


@test
def virtual_clock_jumps_to_deadlines():
    clock = asyncio.set_clock(asyncio.VirtualClock())
    try:
        log = []

        async def sleeper(name, s):
            await asyncio.sleep(s)
            log.append((name, clock.ticks()))

        async def main():
            t0 = wall_ms()
            ts = [
                asyncio.create_task(sleeper("hour", 3600)),
                asyncio.create_task(sleeper("minute", 60)),
                asyncio.create_task(sleeper("day", 86400)),
            ]
            await asyncio.sleep_ms(5)
            log.append(("main", asyncio.get_event_loop().time()))
            for t in ts:
                await t
            return wall_ms() - t0

        asyncio.new_event_loop()
        real = asyncio.run(main())
        ptest.eq(
            log,
            [("main", 5), ("minute", 60000), ("hour", 3600000), ("day", 86400000)],
        )
        ptest.eq(real < 2000, True, "a virtual day took %d real ms" % real)
    finally:
        asyncio.set_clock(None)


@test
def gather_of_several_sleeps_waits_for_the_longest():
    # The sleep objects are reusable doors; several made before any is awaited must still
    # each keep their own duration (CPython programs write this often).
    clock = asyncio.set_clock(asyncio.VirtualClock())
    try:

        async def main():
            t0 = clock.ticks()
            await asyncio.gather(asyncio.sleep(0.1), asyncio.sleep(0.05), asyncio.sleep_ms(70))
            t1 = clock.ticks()
            await asyncio.gather(asyncio.after_ms(30), asyncio.after_ms(20))
            t2 = clock.ticks()
            await asyncio.sleep_ms(10)  # the shared door works normally afterwards
            return t1 - t0, t2 - t1, clock.ticks() - t2

        asyncio.new_event_loop()
        ptest.eq(asyncio.run(main()), (100, 30, 10))
    finally:
        asyncio.set_clock(None)


@test
def virtual_clock_advance_and_low_priority():
    clock = asyncio.set_clock(asyncio.VirtualClock(1000))
    try:
        log = []

        async def low():
            await asyncio.after_ms(50)
            log.append(("low", clock.ticks()))

        async def main():
            asyncio.create_task(low())
            await asyncio.sleep(0)
            clock.advance(20)
            await asyncio.sleep_ms(100)
            log.append(("main", clock.ticks()))

        asyncio.new_event_loop()
        asyncio.run(main())
        ptest.eq(log, [("low", 1050), ("main", 1120)])
    finally:
        asyncio.set_clock(None)


@test
def public_ticks_follow_the_clock_in_force():
    # asyncio.ticks/ticks_diff/ticks_add are what code outside the loop (asyn's timers) reads:
    # they must switch with every set_clock(), including one made after they were looked up.
    ticks, ticks_diff, ticks_add = asyncio.ticks, asyncio.ticks_diff, asyncio.ticks_add

    class Wrapping(asyncio.VirtualClock):
        # A clock whose arithmetic differs from a plain one, to see that it is used.
        def ticks_diff(self, a, b):
            return ((a - b + 500) % 1000) - 500

        def ticks_add(self, t, delta):
            return (t + delta) % 1000

    try:
        clock = asyncio.set_clock(asyncio.VirtualClock(12345))
        ptest.eq(ticks(), 12345, "ticks() under a VirtualClock")
        clock.advance(7)
        ptest.eq(ticks(), 12352, "ticks() after advance")
        ptest.eq(ticks_add(ticks(), 48), 12400, "ticks_add")
        ptest.eq(ticks_diff(12400, ticks()), 48, "ticks_diff")

        asyncio.set_clock(Wrapping(990))
        ptest.eq(ticks(), 990, "ticks() after a second set_clock")
        ptest.eq(ticks_add(990, 20), 10, "ticks_add wraps with the clock")
        ptest.eq(ticks_diff(10, 990), 20, "ticks_diff wraps with the clock")

        async def main():
            t0 = asyncio.ticks()
            await asyncio.sleep_ms(30)
            return asyncio.ticks_diff(asyncio.ticks(), t0), asyncio.ticks()

        asyncio.set_clock(asyncio.VirtualClock(500))
        asyncio.new_event_loop()
        ptest.eq(asyncio.run(main()), (30, 530), "ticks seen by a task, and the deadline")
    finally:
        asyncio.set_clock(None)
    # Back on the real clock: ticks() moves with the wall clock again.
    t0 = ticks()
    time.sleep(0.02)
    dt = ticks_diff(ticks(), t0)
    ptest.eq(15 <= dt < 1000, True, "real ticks moved %d ms in 20 ms" % dt)
    ptest.eq(ticks_diff(ticks_add(t0, 5), t0), 5, "real ticks_add/ticks_diff")


@test
def idle_hook_gets_the_time_to_the_next_deadline():
    calls = []

    def hook(dt):
        calls.append(dt)
        if dt > 0:
            time.sleep(dt / 1000)

    old = asyncio.set_idle_hook(hook)
    try:

        async def main():
            await asyncio.sleep_ms(50)
            return "woke"

        asyncio.new_event_loop()
        ptest.eq(asyncio.run(main()), "woke")
        ptest.eq(len(calls) >= 1, True, "hook called")
        ptest.eq(0 < calls[0] <= 50, True, "first dt %r" % calls[0])
    finally:
        asyncio.set_idle_hook(old)
    ptest.eq(asyncio.set_idle_hook(None), None)


ptest.main()
