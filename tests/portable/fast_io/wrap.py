# Timers across the wrap of the ticks counter. MicroPython's ticks wrap (every 2**30 ms on a
# 32-bit board, about 12.4 days), so deadlines on either side of the wrap must be ordered by
# ticks_diff, never as plain integers: the C TaskQueue does so, and so must fast_io's own
# (firmware without `_asyncio`, as 1.20; tests/test_fast_io.py runs this script that way too).
# runtimes: mp-fast_io cpy-fast_io
import asyncio
import ptest
from ptest import test

try:
    from time import ticks_add

    PERIOD = ticks_add(0, -1) + 1  # the port's ticks period, as the C TaskQueue uses it
except ImportError:
    PERIOD = 1 << 30  # CPython: MicroPython's period on a 32-bit board


class WrappingClock:
    """Milliseconds that wrap as MicroPython's ticks do, moved only by the idle loop."""

    def __init__(self, start):
        self.now = start

    def ticks(self):
        return self.now

    def ticks_add(self, t, delta):
        return (t + delta) % PERIOD

    def ticks_diff(self, a, b):
        d = (a - b) % PERIOD
        return d - PERIOD if d >= PERIOD // 2 else d

    def idle(self, dt):
        if dt > 0:
            self.now = self.ticks_add(self.now, dt)


@test
def sleepers_across_the_wrap_wake_in_deadline_order():
    clock = asyncio.set_clock(WrappingClock(PERIOD - 20))
    woke = []

    async def sleeper(ms):
        await asyncio.sleep_ms(ms)
        woke.append((ms, clock.ticks_diff(clock.ticks(), PERIOD - 20)))

    async def main():
        await asyncio.gather(*(sleeper(ms) for ms in (50, 10, 30, 19, 21)))

    try:
        asyncio.new_event_loop()
        asyncio.run(main())
    finally:
        asyncio.set_clock(None)
    ptest.eq(woke, [(10, 10), (19, 19), (21, 21), (30, 30), (50, 50)], "wake order and times")


ptest.main()
