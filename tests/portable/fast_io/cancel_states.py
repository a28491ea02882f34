# fast_io: cancellation and timeouts take effect at once in every state a task can wait in.
# runtimes: mp-fast_io cpy-fast_io
import asyncio
import io

import ptest
from ptest import test


class Quiet(io.IOBase):
    # A stream that never becomes ready.
    def ioctl(self, req, arg):
        return 0 if req == 3 else -1

    def read(self, n=-1):
        return None


async def cancel_soon(coro, log, ms=2):
    t = asyncio.create_task(coro)
    await asyncio.sleep_ms(ms)
    t0 = asyncio.get_event_loop().time()
    ptest.eq(t.cancel(), True, "cancel() of a waiting task")
    await ptest.araises(asyncio.CancelledError, t)
    waited = asyncio.get_event_loop().time() - t0
    ptest.eq(waited < 200, True, "cancel took %d ms" % waited)
    ptest.eq(t.done(), True)
    ptest.eq(t.cancel(), False, "cancel() of a finished task")
    return log


async def logged(log, aw):
    # aw: a coroutine. (A sleep door must be awaited at once, as with MicroPython's asyncio.)
    try:
        await aw
    except asyncio.CancelledError:
        log.append("cancelled")
        raise


async def nap(s):
    await asyncio.sleep(s)


async def nap_low(s):
    await asyncio.after(s)


@test
async def cancel_runnable_task_before_it_starts():
    log = []

    async def never():
        log.append("ran")

    t = asyncio.create_task(never())
    t.cancel()
    await ptest.araises(asyncio.CancelledError, t)
    ptest.eq(log, [])


@test
async def cancel_sleeping_task():
    log = []
    await cancel_soon(logged(log, nap(60)), log)
    ptest.eq(log, ["cancelled"])


@test
async def cancel_low_priority_wait():
    log = []
    await cancel_soon(logged(log, nap_low(60)), log)
    ptest.eq(log, ["cancelled"])
    ptest.eq(asyncio.core._lpq.peek(), None, "low-priority queue empty")


@test
async def cancel_io_wait_removes_the_registration():
    log = []
    s = Quiet()
    reader = asyncio.StreamReader(s)
    await cancel_soon(logged(log, reader.read(10)), log)
    ptest.eq(log, ["cancelled"])
    ptest.eq(asyncio.core._io_queue.n, 0, "no I/O waiter left")
    ptest.eq(len(asyncio.core._io_queue.py), 0, "stream forgotten")


@test
async def cancel_event_wait():
    log = []
    ev = asyncio.Event()
    await cancel_soon(logged(log, ev.wait()), log)
    ev.set()  # nobody left to wake
    ptest.eq(log, ["cancelled"])


@test
async def cancel_thread_safe_flag_wait():
    log = []
    await cancel_soon(logged(log, asyncio.ThreadSafeFlag().wait()), log)
    ptest.eq(asyncio.core._io_queue.n, 0, "no I/O waiter left")


@test
async def cancel_lock_wait():
    log = []
    lock = asyncio.Lock()
    await lock.acquire()
    await cancel_soon(logged(log, lock.acquire()), log)
    lock.release()
    ptest.eq(lock.locked(), False, "lock free again")
    ptest.eq(log, ["cancelled"])


@test
async def cancel_forwards_to_the_awaited_task():
    log = []

    async def inner():
        await logged(log, nap(60))

    async def outer():
        await asyncio.create_task(inner())

    await cancel_soon(logged(log, outer()), log)
    await asyncio.sleep_ms(1)
    ptest.eq(sorted(log), ["cancelled", "cancelled"])


@test
async def task_can_catch_cancel_and_go_on():
    async def stubborn():
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            pass
        await asyncio.sleep_ms(1)
        return "done anyway"

    t = asyncio.create_task(stubborn())
    await asyncio.sleep_ms(1)
    t.cancel()
    ptest.eq(await t, "done anyway")


@test
async def timeouts_in_each_state():
    ev = asyncio.Event()
    lock = asyncio.Lock()
    await lock.acquire()
    r = asyncio.StreamReader(Quiet())
    for aw in (asyncio.sleep(60), ev.wait(), lock.acquire(), r.read(1), asyncio.after(60)):
        t0 = asyncio.get_event_loop().time()
        await ptest.araises(asyncio.TimeoutError, asyncio.wait_for_ms(aw, 5))
        waited = asyncio.get_event_loop().time() - t0
        ptest.eq(waited < 200, True, "timeout took %d ms" % waited)
    ptest.eq(asyncio.core._io_queue.n, 0, "no I/O waiter left")
    lock.release()


@test
async def exception_in_one_task_leaves_the_others_running():
    got = []
    loop = asyncio.get_event_loop()
    old = loop.get_exception_handler()
    loop.set_exception_handler(lambda lp, ctx: got.append(ctx["exception"]))
    try:
        count = [0]

        async def bad():
            await asyncio.sleep_ms(1)
            raise ValueError

        async def good():
            for _ in range(5):
                await asyncio.sleep_ms(1)
                count[0] += 1

        g = asyncio.create_task(good())
        asyncio.create_task(bad())
        await g
        ptest.eq(count[0], 5)
        ptest.eq(len(got), 1)
    finally:
        loop.set_exception_handler(old)


@test
async def cancelling_a_task_that_awaits_the_running_task_is_dropped():
    # The cancel is forwarded to the awaited task, here the running one: dropped, as the
    # built-in does, and the loop goes on undisturbed (no task parked in two queues at once).
    log = []

    async def worker():
        await asyncio.sleep_ms(1)
        ptest.eq(boss.cancel(), True, "cancel()")
        await asyncio.sleep_ms(5)
        return "worked"

    async def supervisor():
        log.append(await w)

    async def ticker():
        for _ in range(10):
            await asyncio.sleep_ms(1)
        log.append("ticked")

    tk = asyncio.create_task(ticker())
    w = asyncio.create_task(worker())
    boss = asyncio.create_task(supervisor())
    await asyncio.wait_for_ms(boss, 1000)
    await asyncio.wait_for_ms(tk, 1000)
    ptest.eq(log, ["worked", "ticked"])


ptest.main()
