# The order of events that MicroPython's asyncio defines (its tests/extmod/asyncio_*.py) and
# fast_io must keep: a cancelled task is ready at the moment of cancel(), in FIFO order with
# the tasks that other calls make ready; Lock waiters cancelled before a release; wait_for
# cleaning up after a timeout and forwarding a cancel; gather raising the first failure in time
# and finishing with members that ended before it was called. Each test lists the events in
# the order the built-in asyncio gives them.
import asyncio

import ptest
from ptest import test

CPYTHON_ASYNCIO = ptest.RUNTIME == "cpy-asyncio"


async def _sleep_forever(log, name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(name + " cancelled")
        raise


@test
async def a_task_cancelled_before_an_event_is_set_runs_before_its_waiter():
    log = []
    ev = asyncio.Event()

    async def waiter():
        await ev.wait()
        log.append("waiter woke")

    sleeper = asyncio.create_task(_sleep_forever(log, "sleeper"))
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    sleeper.cancel()
    ev.set()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    ptest.eq(log, ["sleeper cancelled", "waiter woke"], "order")
    ptest.eq(w.done() and sleeper.done(), True, "both ended")


@test
async def a_cancelled_task_that_awaits_is_done_after_two_yields():
    log = []
    inner = asyncio.create_task(_sleep_forever(log, "inner"))

    async def outer():
        await inner

    o = asyncio.create_task(outer())
    await asyncio.sleep(0)
    o.cancel()  # forwarded to inner
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    ptest.eq(o.done(), True, "outer done")
    ptest.eq(log, ["inner cancelled"], "log")


@test
async def tasks_cancelling_each_other_do_not_take_over_the_scheduler():
    log = []
    tasks = []

    async def task(i, other):
        for _ in range(2):
            try:
                log.append("start %d" % i)
                await asyncio.sleep(0)
                log.append("done %d" % i)
            except asyncio.CancelledError:
                log.append("cancelled %d" % i)
            if other is not None:
                tasks[other].cancel()

    tasks.extend(asyncio.create_task(task(i, o)) for i, o in ((0, 1), (1, 0), (2, None)))
    await tasks[2]
    # A ready task that is cancelled keeps its place in the queue.
    want = ["start 0", "start 1", "start 2", "done 0", "start 0", "cancelled 1", "start 1"]
    want += ["done 2", "start 2", "cancelled 0", "cancelled 1", "done 2"]
    ptest.eq(log, want, "order")


@test
async def cancelled_lock_waiters_leave_the_lock_to_the_next_one():
    log = []
    lock = asyncio.Lock()
    await lock.acquire()

    async def task(i):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            log.append("%d cancelled" % i)
            return
        log.append("%d has the lock" % i)
        await asyncio.sleep(0)
        lock.release()

    ts = [asyncio.create_task(task(i)) for i in range(4)]
    await asyncio.sleep(0)
    ts[1].cancel()
    ts[2].cancel()
    lock.release()
    for _ in range(6):
        await asyncio.sleep(0)
    ptest.eq(log, ["1 cancelled", "2 cancelled", "0 has the lock", "3 has the lock"], "order")
    ptest.eq(lock.locked(), False, "unlocked")


@test
async def a_waiter_handed_the_lock_and_then_cancelled_passes_it_on():
    log = []
    lock = asyncio.Lock()
    await lock.acquire()

    async def task(i):
        try:
            async with lock:
                log.append("%d has the lock" % i)
        except asyncio.CancelledError:
            log.append("%d cancelled" % i)

    a = asyncio.create_task(task(0))
    asyncio.create_task(task(1))
    await asyncio.sleep(0)
    lock.release()  # handed to task 0 ...
    a.cancel()  # ... which is cancelled before it runs
    for _ in range(4):
        await asyncio.sleep(0)
    ptest.eq(log, ["0 cancelled", "1 has the lock"], "order")
    ptest.eq(lock.locked(), False, "unlocked")


@test
async def wait_for_timing_out_waits_for_the_cleanup_of_its_task():
    log = []

    async def slow():
        try:
            await asyncio.sleep(10)
        finally:
            log.append("cleanup")

    try:
        await asyncio.wait_for(slow(), 0.01)
    except asyncio.TimeoutError:
        log.append("timeout")
    ptest.eq(log, ["cleanup", "timeout"], "order")


@test
async def a_cancelled_wait_for_cancels_its_task_at_once():
    log = []
    lock = asyncio.Lock()

    async def holder():
        async with lock:
            try:
                await asyncio.sleep(10)
            finally:
                log.append("inner cleanup")

    async def waiting():
        try:
            await asyncio.wait_for(holder(), 5)
        except asyncio.CancelledError:
            log.append("wait_for cancelled")
            raise

    t = asyncio.create_task(waiting())
    await asyncio.sleep(0.01)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log.append("awaiter resumes")
    # The inner task's cleanup has run before the awaiter resumes. (CPython's wait_for runs it
    # even before its own except clause.)
    if CPYTHON_ASYNCIO:
        want = ["inner cleanup", "wait_for cancelled", "awaiter resumes"]
    else:
        want = ["wait_for cancelled", "inner cleanup", "awaiter resumes"]
    ptest.eq(log, want, "order")
    ptest.eq(lock.locked(), False, "the inner task released its lock")


@test
async def wait_for_returns_what_finished_just_before_its_cancel():
    async def quick():
        await asyncio.sleep(0)
        return 42

    ptest.eq(await asyncio.wait_for(quick(), 1), 42, "result")


@test
async def gather_raises_the_member_that_failed_first_in_time():
    async def fail(ms, name):
        await asyncio.sleep(ms / 1000)
        raise ValueError(name)

    e = await ptest.araises(ValueError, asyncio.gather(fail(20, "late"), fail(5, "early")))
    ptest.eq(e.args[0], "early", "first failure in time")


@test
async def gather_with_members_finished_before_it_raises_the_first_listed():
    # (CPython's asyncio would log the unretrieved exceptions; the handler keeps it quiet.)
    asyncio.get_event_loop().set_exception_handler(lambda loop, context: None)

    async def early(name):
        raise ValueError(name)

    ts = [asyncio.create_task(early("a")), asyncio.create_task(early("b"))]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    e = await ptest.araises(ValueError, asyncio.gather(*ts))
    ptest.eq(e.args[0], "a", "first listed")
    ptest.eq(await asyncio.gather(*ts, return_exceptions=True) is not None, True, "again")


@test
async def gather_does_not_wait_when_a_member_had_already_failed():
    if CPYTHON_ASYNCIO:
        ptest.skip("CPython's gather waits for the other members")
    asyncio.get_event_loop().set_exception_handler(lambda loop, context: None)
    log = []

    async def failed():
        raise ValueError("failed")

    async def runs():
        for i in range(3):
            log.append(i)
            await asyncio.sleep(0)

    r = asyncio.create_task(runs())
    f = asyncio.create_task(failed())
    await asyncio.sleep(0)
    await ptest.araises(ValueError, asyncio.gather(r, f))
    ptest.eq(r.done(), False, "the running member goes on")
    await r
    ptest.eq(log, [0, 1, 2], "log")


ptest.main()
