# fast_io: wait_for, wait_for_ms and gather, and what only failures or rare calls need.
# MIT license; Copyright (c) micropython-async contributors

import sys

from . import core

# Builtins used per task, as globals: see core.py (_len) for why this is faster on MicroPython.
_isinstance = isinstance
_StopIteration = StopIteration


async def _run(waiter, aw, box):
    # Await aw for wait_for's task `waiter` and put the outcome in box: [True, result] or
    # [exception, None]. If the waiter is still in its timeout sleep, wake it now: it joins the
    # tail of the ring, where the built-in asyncio puts it (by cancelling it with the outcome).
    try:
        box[1] = await aw
        box[0] = True
    except BaseException as er:  # noqa: BLE001 (handed to the waiter)
        box[0] = er
    if waiter.data is core._TIMERS:
        core._unsleep(waiter)
        core._ready(waiter)


async def wait_for(aw, timeout, sleep=core.sleep):
    aw = core._promote_to_task(aw)
    if timeout is None:
        return await aw
    box = [None, None]
    runner = core.create_task(_run(core.cur_task, aw, box))
    try:
        await sleep(timeout)
    except core.CancelledError:  # cancelled from outside: cancel aw too (runner forwards it)
        if box[0] is None:
            runner.cancel()
        raise
    status = box[0]
    if status is True:
        return box[1]
    if status is not None:
        raise status from None
    # Timed out: cancel aw (runner forwards the cancel to it) and wait until it has ended.
    runner.cancel()
    await runner
    raise core.TimeoutError


def wait_for_ms(aw, timeout):
    return wait_for(aw, timeout, core.sleep_ms)


class _Gather:
    # The place of a task parked in gather(), and the callback of each child (Task.state).
    def __init__(self, task, return_exceptions):
        self.task = task
        self.n = 0  # children still running
        self.rex = return_exceptions
        self.err = None  # the first failure, in time
        self.parked = True

    def remove(self, task):  # the gathering task is cancelled
        self.parked = False
        core._removed(task)

    def __call__(self, t, er):  # child t ended with er
        if not self.parked:
            return
        if not self.rex and not _isinstance(er, _StopIteration):
            self.err = er
        else:
            self.n -= 1
            if self.n:
                return
        self.parked = False
        core._ready(self.task)


async def gather(*aws, return_exceptions=False):
    if not aws:
        return []
    Task, create_task = core.Task, core.create_task
    ts = [aw if _isinstance(aw, Task) else create_task(aw) for aw in aws]
    g = _Gather(core.cur_task, return_exceptions)
    n = 0
    failed = False  # a child had failed before gather() was called
    for t in ts:
        st = t.state
        if st is True:
            t.state = g
            n += 1
        elif st is g:  # the same task given twice: it counts once
            pass
        elif not st:  # already finished
            t.state = False
            if not return_exceptions and not _isinstance(t.data, _StopIteration):
                failed = True
        else:
            # Awaited elsewhere: give back the tasks registered so far, so that they do not
            # call back into this task, which will be waiting somewhere else by then.
            for u in ts:
                if u.state is g:
                    u.state = True
            raise RuntimeError("can't gather")
    g.n = n
    cancelled = None
    if n and not failed:
        try:
            await core._suspend(g)
        except core.CancelledError as er:
            cancelled = er
    g.parked = False
    err = g.err
    for i in range(len(ts)):
        t = ts[i]
        d = t.data
        if t.state is g:  # still running: forget it (and cancel it if we were cancelled)
            t.state = True
            if cancelled is not None:
                t.cancel()
        elif _isinstance(d, _StopIteration):
            ts[i] = d.value
        else:
            ts[i] = d
            if err is None and not return_exceptions:
                err = d  # failed before gather() was called: the first in the list
    if cancelled is not None:
        raise cancelled
    if err is not None:
        raise err
    return ts


# create_task() of a door (sleep(), after(), ev.wait()...) rather than a coroutine: rare, so
# here rather than in core.py.
async def _await_door(d):
    # e.g. wait_for(ev.wait(), 1): arm the door again when the task runs, since other tasks
    # may have used it in between.
    d._armed = True
    return await d


async def _sleep_coro(ms):
    await core.sleep_ms(ms)


def _as_coro(aw):
    if not isinstance(aw, core._Door):
        raise TypeError("coroutine expected")
    if type(aw) is core._Sleep:  # sleep(): take the duration now, free the door
        ms = aw.ms
        aw.ms = -1
        return _sleep_coro(ms)
    if hasattr(aw, "_as_coro"):  # after(): the same, in lowpri.py
        return aw._as_coro()
    aw._armed = False
    return _await_door(aw)


# The loop's default exception handler, and printing an exception on both interpreters: only
# needed once something has failed, so here rather than in core.py.
def _default_handler(context):
    f = sys.stderr
    print(context["message"], file=f)
    print("future:", context["future"], "coro=", context["future"].coro, file=f)
    print_exception(context["exception"], f)


def print_exception(e, f):
    if core.IS_MICROPYTHON:
        sys.print_exception(e, f)
    else:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__, file=f)
