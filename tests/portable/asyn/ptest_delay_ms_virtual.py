# Delay_ms in virtual time: its timers read the scheduler's clock, so under fast_io with a
# VirtualClock they expire at exactly the virtual deadline, however long, at once in wall time.
# runtimes: mp-fast_io cpy-fast_io
import asyncio
import time

import ptest
from ptest import eq, test

from asyn import Delay_ms

MINUTES_10 = 10 * 60 * 1000


def wall_ms():
    return time.time() * 1000


def in_virtual_time(main, start=0):
    """Run main() on a fresh loop under a VirtualClock starting at `start`; restore the real
    clock afterwards, whatever happens. Returns (main's result, wall ms taken)."""
    clock = asyncio.set_clock(asyncio.VirtualClock(start))
    try:
        asyncio.new_event_loop()
        t0 = wall_ms()
        result = asyncio.run(main(clock))
        return result, wall_ms() - t0
    finally:
        asyncio.set_clock(None)


@test
def a_ten_minute_timer_expires_at_its_virtual_deadline():
    async def main(clock):
        fired = []
        d = Delay_ms(lambda: fired.append(clock.ticks()), duration=MINUTES_10)
        await asyncio.sleep_ms(3)  # any start time will do: the deadline counts from trigger
        t0 = clock.ticks()
        d.trigger()
        await asyncio.wait_for_ms(d.wait(), MINUTES_10 + 1000)
        d.deinit()
        return t0, fired, clock.ticks()

    (t0, fired, end), real = in_virtual_time(main, start=1000)
    eq(t0, 1003, "trigger time")
    eq(fired, [t0 + MINUTES_10], "expiry times")
    eq(end, t0 + MINUTES_10, "virtual time when wait() returned")
    eq(real < 2000, True, "10 virtual minutes took %d wall ms" % real)


@test
def retrigger_and_shorter_trigger_in_virtual_time():
    async def main(clock):
        fired = []
        d = Delay_ms(lambda: fired.append(clock.ticks()), duration=1000)
        d.trigger()  # due at 1000
        await asyncio.sleep_ms(600)
        d.trigger()  # extended: due at 1600
        await asyncio.sleep_ms(900)
        eq(fired, [], "expired while extended")
        # Wake 1 ms after the deadline: a trigger in the deadline's own ms may or may not come
        # before the timer task looks, as two tasks due in the same ms run in either order.
        await asyncio.sleep_ms(101)
        eq(fired, [1600], "expired at the extended deadline")
        d.trigger(5000)  # due at 6601...
        await asyncio.sleep_ms(200)
        d.trigger(50)  # ...brought forward to 1851
        await d.wait()
        eq(clock.ticks(), 1851, "virtual time when wait() returned")
        d.trigger(700)  # due at 2550, then stopped: nothing more
        await asyncio.sleep_ms(300)
        d.stop()
        await asyncio.sleep_ms(10000)
        d.deinit()
        return fired

    fired, _ = in_virtual_time(main)
    eq(fired, [1600, 1851], "expiry times")


@test
def the_real_clock_is_back_afterwards():
    # The timer reads the clock at each call, not the one in force when asyn was imported or
    # the timer built: after set_clock(None) it runs in wall time again.
    async def main():
        d = Delay_ms(duration=40)
        t0 = wall_ms()
        d.trigger()
        await asyncio.wait_for_ms(d.wait(), 2000)
        d.deinit()
        return wall_ms() - t0

    asyncio.new_event_loop()
    dt = asyncio.run(main())
    eq(35 <= dt < 1000, True, "a 40 ms timer took %d wall ms" % dt)


ptest.main()
