# fast_io: a virtual clock, for tests and simulations.
# MIT license; Copyright (c) micropython-async contributors

from . import core


class VirtualClock:
    """Milliseconds that pass only when told to: advance(ms), or whenever the loop has no task
    ready, when the clock jumps straight to the next deadline instead of sleeping. Install it
    with fast_io.set_clock(VirtualClock()) before the tasks start sleeping; a program that
    sleeps for hours then runs in milliseconds, with the same order of events."""

    def __init__(self, start=0):
        self.now = start

    def ticks(self):
        return self.now

    def ticks_diff(self, a, b):
        return a - b

    def ticks_add(self, t, delta):
        return t + delta

    def advance(self, ms):
        self.now += ms

    def idle(self, dt):
        if dt > 0:
            self.now += dt
        elif dt < 0:
            # Only I/O (or nothing) can wake the loop: let real time pass a little.
            core._wait(1)
