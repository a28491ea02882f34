# fast_io.hooks: set_clock(), get_clock(), set_idle_hook() and set_io_priority(), loaded on
# first use (most programs never call them). They set the globals the loop in core.py reads.
# MIT license; Copyright (c) micropython-async contributors

from . import core


def set_clock(clock=None):
    """Drive the loop from `clock`: an object with ticks(), ticks_diff(a, b), ticks_add(t, d)
    (integer milliseconds) and optionally idle(dt), called instead of sleeping when no task is
    ready (dt: ms to the next deadline, -1 if none). None restores the real clock. Call it
    while no task sleeps: deadlines already set keep the old clock's values."""
    if clock is None:
        core._ticks = core._real_ticks
        core._ticks_diff = core._real_ticks_diff
        core._ticks_add = core._real_ticks_add
        core._clock_idle = None
    else:
        core._ticks, core._ticks_diff, core._ticks_add = (
            clock.ticks,
            clock.ticks_diff,
            clock.ticks_add,
        )
        core._clock_idle = getattr(clock, "idle", None)
    return clock


def get_clock():
    """The ticks function the loop uses now (integer ms)."""
    return core._ticks


def set_idle_hook(fn=None):
    """Call fn(dt) whenever no task is ready, instead of sleeping in the poller: dt is the
    time in ms until the next deadline (-1: none, only I/O or nothing can wake the loop). fn
    may sleep (lightsleep) for up to dt ms and may return early; the loop then polls I/O and
    reruns whatever became ready. None restores the built-in wait. Returns the old hook."""
    old = core._idle_hook
    core._idle_hook = fn
    return old


def set_io_priority(on=True):
    """Turn on (or off) I/O priority: a task whose stream became ready runs before the other
    ready tasks instead of joining the tail. Either way the streams are polled before every
    task while some task waits on I/O, as the built-in asyncio does."""
    core._io_prio = bool(on)
    core._io_hot = core._io_queue.n > 0 or len(core._io_first) > 0
    if core._io_hot:
        core._chores = True
    return core._io_prio
