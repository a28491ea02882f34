# fast_io: wait_for, wait_for_ms and gather.
# MIT license; Copyright (c) micropython-async contributors

from . import core

# wait_for keeps its state in a list: [status, value, sleeping]; status None while aw runs,
# True when it returned value, False when it raised value; sleeping is True while the waiter
# is still in its timeout sleep (the only time the runner may wake it by cancelling it).


async def _run(waiter, aw, box):
    try:
        box[1] = await aw
        box[0] = True
    except BaseException as er:  # noqa: BLE001 (handed to the waiter)
        box[1] = er
        box[0] = False
    if box[2]:
        box[2] = False
        waiter.cancel()


async def wait_for(aw, timeout, sleep=core.sleep):
    aw = core._promote_to_task(aw)
    if timeout is None:
        return await aw
    box = [None, None, True]
    runner = core.create_task(_run(core.cur_task, aw, box))
    try:
        await sleep(timeout)
    except core.CancelledError:
        box[2] = False
        if box[0] is None:  # cancelled from outside: cancel aw too
            runner.cancel()
            raise
        if box[0]:
            return box[1]
        raise box[1] from None
    # Timed out: cancel aw (runner forwards the cancel to it) and wait until it has ended.
    box[2] = False
    runner.cancel()
    await runner
    if not aw.done():
        aw.cancel()
    raise core.TimeoutError


def wait_for_ms(aw, timeout):
    return wait_for(aw, timeout, core.sleep_ms)


class _Gather:
    # The place of a task parked in gather(), and the callback of each child (Task.state).
    def __init__(self, task, return_exceptions):
        self.task = task
        self.n = 0  # children still running
        self.rex = return_exceptions
        self.err = None
        self.parked = True

    def remove(self, task):  # the gathering task is cancelled
        self.parked = False

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
                g.err = t.data
        else:
            # Awaited elsewhere: give back the tasks registered so far, so that they do not
            # call back into this task, which will be waiting somewhere else by then.
            for u in ts:
                if u.state is g:
                    u.state = True
            raise RuntimeError("can't gather")
    cancelled = None
    if g.n and g.err is None:
        try:
            await core._suspend(g)
        except core.CancelledError as er:
            cancelled = er
    g.parked = False
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
    if cancelled is not None:
        raise cancelled
    if g.err is not None:
        raise g.err
    return ts
