# fast_io: wait_for, wait_for_ms and gather.
# MIT license; Copyright (c) micropython-async contributors

from . import core


def _outcome(er):
    # The CancelledError with which _run wakes wait_for carries (status, result).
    a = er.args
    return a if len(a) == 2 else (None, None)


async def _run(waiter, aw):
    # Await aw for wait_for's task `waiter`; if the waiter is still in its timeout sleep (or
    # ready to leave it), cancel it with the outcome, so it wakes now.
    try:
        result = await aw
        status = True
    except BaseException as er:  # noqa: BLE001 (handed to the waiter)
        result = None
        status = er
    d = waiter.data
    if d is core._TIMERS or d is core._RING:
        if waiter.cancel():
            waiter.data = core.CancelledError(status, result)


async def wait_for(aw, timeout, sleep=core.sleep):
    aw = core._promote_to_task(aw)
    if timeout is None:
        return await aw
    runner = core.create_task(_run(core.cur_task, aw))
    try:
        await sleep(timeout)
    except core.CancelledError as er:
        status, result = _outcome(er)
        if status is None:  # cancelled from outside: cancel aw too (runner forwards it)
            runner.cancel()
            raise er
        if status is True:
            return result
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
        if not self.rex and not isinstance(er, StopIteration):
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
    ts = [core._promote_to_task(aw) for aw in aws]
    g = _Gather(core.cur_task, return_exceptions)
    failed = False  # a child had failed before gather() was called
    for t in ts:
        st = t.state
        if st is True:
            t.state = g
            g.n += 1
        elif st is g:  # the same task given twice: it counts once
            pass
        elif not st:  # already finished
            t.state = False
            if not return_exceptions and not isinstance(t.data, StopIteration):
                failed = True
        else:
            # Awaited elsewhere: give back the tasks registered so far, so that they do not
            # call back into this task, which will be waiting somewhere else by then.
            for u in ts:
                if u.state is g:
                    u.state = True
            raise RuntimeError("can't gather")
    cancelled = None
    if g.n and not failed:
        try:
            await core._suspend(g)
        except core.CancelledError as er:
            cancelled = er
    g.parked = False
    err = g.err
    for i in range(len(ts)):
        t = ts[i]
        if t.state is g:  # still running: forget it (and cancel it if we were cancelled)
            t.state = True
            if cancelled is not None:
                t.cancel()
        elif isinstance(t.data, StopIteration):
            ts[i] = t.data.value
        else:
            ts[i] = t.data
            if err is None and not return_exceptions:
                err = t.data  # failed before gather() was called: the first in the list
    if cancelled is not None:
        raise cancelled
    if err is not None:
        raise err
    return ts
