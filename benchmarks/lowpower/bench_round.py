# The CPU time of one wake-up's work in blink3, on this machine: from the moment the board
# wakes to the moment it goes back to sleep. Run by run.py (`--round`):
#
#     micropython bench_round.py BOARD SECONDS REPEATS      BOARD: pyb or machine
#
# blink3 (three tasks toggling an LED every 200, 700 and 1200 ms) runs under fast_io with
# lowpower's idle hook, through lowpower's real board object (PybBoard or MachineBoard), on
# the smallest stand-ins for pyb / machine / time that keep it working: sleeping only moves
# a counter, so the host does nothing but the work a board does between two sleeps (fast_io's
# round, the woken task, lowpower's hook and clock). The stand-ins cost a few Python
# operations per wake-up where a board calls C: the figure is slightly high, never low.
#
# Prints: BOARD wakeups best_us_per_wakeup (the fastest of REPEATS runs: the machine is
# shared, and other load only ever adds time).
import sys
import time

import fast_io

fast_io.install()
import asyncio  # noqa: E402 (after fast_io.install())

import lowpower  # noqa: E402

BOARD = sys.argv[1]
SECONDS = int(sys.argv[2])
REPEATS = int(sys.argv[3])


class Clock:
    """time.ticks_ms and friends on a counter that sleeping moves (a virtual board clock)."""

    def __init__(self):
        self.ms = 0
        self.wakeups = 0

    def ticks_ms(self):
        return self.ms

    ticks_add = staticmethod(time.ticks_add)
    ticks_diff = staticmethod(time.ticks_diff)


class Machine:
    def __init__(self, clock):
        self._c = clock

    def lightsleep(self, ms=0):
        c = self._c
        c.ms = time.ticks_add(c.ms, ms)
        c.wakeups += 1


class RTC:
    # What lowpower's PybBoard uses of pyb.RTC: datetime() follows the clock; wakeup(ms, cb)
    # arms the timer whose interrupt ends the next stop().
    def __init__(self, clock):
        self._c = clock
        self._ms = 0
        self._cb = None

    def datetime(self):
        ms = self._c.ms % 86400000
        s = ms // 1000
        return (2026, 1, 1, 4, s // 3600, s // 60 % 60, s % 60, 255 - (ms % 1000) * 256 // 1000)

    def wakeup(self, ms, cb=None):
        self._ms = ms or 0
        self._cb = cb


class VCP:
    def isconnected(self):
        return False


class Pyb:
    def __init__(self, clock):
        self._c = clock
        self._rtc = RTC(clock)
        self._vcp = VCP()

    def RTC(self):  # noqa: N802 (pyb's name)
        return self._rtc

    def USB_VCP(self):  # noqa: N802
        return self._vcp

    def stop(self):
        c, rtc = self._c, self._rtc
        c.ms = time.ticks_add(c.ms, rtc._ms)
        c.wakeups += 1
        if rtc._cb is not None:
            rtc._cb(rtc)


class Led:
    def __init__(self):
        self.on = 0

    def toggle(self):
        self.on ^= 1


async def blink(led, period, n):
    t = asyncio.ticks()
    for _ in range(n):
        t = asyncio.ticks_add(t, period)
        await asyncio.sleep_ms(asyncio.ticks_diff(t, asyncio.ticks()))
        led.toggle()


async def blink3(seconds):
    n = seconds * 1000
    await asyncio.gather(
        blink(Led(), 200, n // 200), blink(Led(), 700, n // 700), blink(Led(), 1200, n // 1200)
    )


def once():
    clock = Clock()
    if BOARD == "pyb":
        hw = lowpower.PybBoard(Pyb(clock), clock)
    else:
        hw = lowpower.MachineBoard(Machine(clock), clock)
    lowpower.start(hw, latency_ms=1000, stay_awake=lambda: False)
    try:
        asyncio.new_event_loop()
        t0 = time.ticks_us()
        asyncio.run(blink3(SECONDS))
        us = time.ticks_diff(time.ticks_us(), t0)
    finally:
        lowpower.stop()
    return clock.wakeups, us / clock.wakeups


best = None
for _ in range(REPEATS):
    wakeups, per = once()
    if best is None or per < best:
        best = per
print("%s %d %.3f" % (BOARD, wakeups, best))
