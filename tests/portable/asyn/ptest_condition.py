# Condition: both with-forms, notify(n) in arrival order, notify_all, wait_for, errors.
import asyncio

import ptest
from ptest import test

from asyn import Condition, Lock


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def notify_wakes_waiters_in_arrival_order():
    cond = Condition()
    woke = []

    async def waiter(n):
        async with cond:
            await cond.wait()
            woke.append(n)
            ptest.eq(cond.locked(), True, "lock held after wait")

    tasks = [asyncio.create_task(waiter(n)) for n in range(4)]
    await _settle()
    async with cond:
        cond.notify(2)
    await _settle()
    ptest.eq(woke, [0, 1], "after notify(2)")
    async with cond:
        cond.notify()
    await _settle()
    ptest.eq(woke, [0, 1, 2], "after notify()")
    async with cond:
        cond.notify_all()
    for t in tasks:
        await t
    ptest.eq(woke, [0, 1, 2, 3], "after notify_all()")


@test
async def with_await_cond_holds_and_releases_the_lock():
    lock = Lock()
    cond = Condition(lock)
    with await cond:
        ptest.eq(lock.locked(), True, "inside")
    ptest.eq(lock.locked(), False, "after")


@test
async def wait_for_a_predicate():
    cond = Condition()
    box = []

    async def consumer():
        async with cond:
            v = await cond.wait_for(lambda: box)
            return v[0]

    t = asyncio.create_task(consumer())
    await _settle()
    async with cond:
        cond.notify_all()  # predicate still false: the consumer waits again
    await _settle()
    ptest.eq(t.done(), False, "done early")
    async with cond:
        box.append(42)
        cond.notify_all()
    ptest.eq(await t, 42, "value")


@test
async def errors_without_the_lock():
    cond = Condition()
    ptest.raises(RuntimeError, cond.notify)
    ptest.raises(RuntimeError, cond.notify_all)
    await ptest.araises(RuntimeError, cond.wait())


@test
async def a_cancelled_waiter_holds_the_lock_again_and_passes_the_notification():
    cond = Condition()
    woke = []
    seen = []

    async def waiter(n):
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                seen.append(cond.locked())
                raise
            woke.append(n)

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await _settle()
    async with cond:
        cond.notify()  # to a ...
        a.cancel()  # ... cancelled before it runs: b gets the notification
    await b
    await _settle()
    ptest.eq(woke, ["b"], "woken")
    ptest.eq(seen, [True], "lock held when the cancellation arrived")
    ptest.eq(cond.locked(), False, "lock free at the end")
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(_timed(cond), 0.02))
    ptest.eq(cond.locked(), False, "lock free after a timed-out wait")


async def _timed(cond):
    async with cond:
        await cond.wait()


ptest.main()
