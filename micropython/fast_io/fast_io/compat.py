# fast_io: the V2-era API (uasyncio 2 and the original fast_io), loaded on first use.
# MIT license; Copyright (c) micropython-async contributors
#
# Callbacks become small tasks; get_event_loop() takes the V2 queue sizes; cancel(coro) finds
# the task running a coroutine.

from . import core


async def _call_soon(cb, args):
    cb(*args)


async def _call_later(ms, cb, args):
    await core.sleep_ms(ms)
    cb(*args)


async def _call_after(ms, cb, args):
    await core._lowpri().after_ms(ms)
    cb(*args)


def call_soon(cb, *args):
    return core.create_task(_call_soon(cb, args))


def call_later_ms(ms, cb, *args):
    return core.create_task(_call_later(ms, cb, args))


def call_later(s, cb, *args):
    return call_later_ms(int(s * 1000), cb, *args)


def call_at(t, cb, *args):
    return call_later_ms(max(0, core._ticks_diff(t, core._ticks())), cb, *args)


def call_after_ms(ms, cb, *args):
    return core.create_task(_call_after(ms, cb, args))


def call_after(s, cb, *args):
    return call_after_ms(int(s * 1000), cb, *args)


def v2_loop(runq_len, waitq_len, ioq_len, lp_len):
    # get_event_loop(runq_len, waitq_len, ioq_len, lp_len): runq_len presizes the ready ring,
    # ioq_len > 0 turns on I/O priority; with any size, cancel(coro) works for every task.
    if runq_len and runq_len > core._cap:
        core._resize(runq_len)
    if ioq_len:
        from .hooks import set_io_priority

        set_io_priority(True)
    if (runq_len or waitq_len or ioq_len or lp_len) and core._coro_map is None:
        core._coro_map = {}


# The loop's V2-era methods (the loop is the class core.Loop).
Loop = core.Loop
Loop.call_soon = call_soon
Loop.call_later = call_later
Loop.call_later_ms = call_later_ms
Loop.call_at = call_at
Loop.call_after = call_after
Loop.call_after_ms = call_after_ms


def max_overdue_ms(t=None):
    return core._lowpri().max_overdue_ms(t)


Loop.max_overdue_ms = max_overdue_ms


def cancel(coro):
    """V2: cancel the task running coroutine `coro`. Returns True if one was cancelled."""
    if isinstance(coro, core.Task):
        return coro.cancel()
    m = core._coro_map
    t = m.get(id(coro)) if m else None
    if t is None or t.coro is not coro:
        return False
    return t.cancel()
