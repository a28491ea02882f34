# Lock: exclusion, arrival order, hand-off, cancellation and timeouts of waiters, errors.
import asyncio

import ptest
from ptest import test

from asyn import Lock


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def excludes_and_serves_waiters_in_arrival_order():
    lock = Lock()
    order = []

    async def worker(n):
        async with lock:
            order.append(("in", n))
            await asyncio.sleep(0.005)
            order.append(("out", n))

    tasks = [asyncio.create_task(worker(n)) for n in range(4)]
    for t in tasks:
        await t
    ptest.eq(order, [(w, n) for n in range(4) for w in ("in", "out")], "order")
    ptest.eq(lock.locked(), False, "locked at the end")


@test
async def release_hands_over_so_a_latecomer_cannot_barge():
    lock = Lock()
    await lock.acquire()
    got = []

    async def waiter():
        await lock.acquire()
        got.append("waiter")
        lock.release()

    t = asyncio.create_task(waiter())
    await _settle()
    lock.release()
    ptest.eq(lock.locked(), True, "locked while handed over")
    ptest.eq(lock.acquire_nowait(), False, "acquire_nowait by a latecomer")
    await t
    ptest.eq(got, ["waiter"], "waiter ran")
    ptest.eq(lock.acquire_nowait(), True, "acquire_nowait once free")
    lock.release()


@test
async def a_cancelled_waiter_leaves_the_queue():
    lock = Lock()
    await lock.acquire()
    order = []

    async def waiter(n):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            order.append(("cancelled", n))
            raise
        order.append(("got", n))
        lock.release()

    tasks = [asyncio.create_task(waiter(n)) for n in range(3)]
    await _settle()
    tasks[1].cancel()
    await _settle()
    lock.release()
    await tasks[0]
    await tasks[2]
    ptest.eq(order, [("cancelled", 1), ("got", 0), ("got", 2)], "order")
    ptest.eq(lock.locked(), False, "locked")


@test
async def a_waiter_cancelled_after_the_hand_over_passes_the_lock_on():
    lock = Lock()
    await lock.acquire()
    got = []

    async def waiter(n):
        await lock.acquire()
        got.append(n)
        lock.release()

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await _settle()
    lock.release()  # handed to a, which has not run yet
    a.cancel()
    await b
    ptest.eq(got, ["b"], "who got the lock")
    ptest.eq(lock.locked(), False, "locked")
    # And with nobody behind it, the lock becomes free.
    await lock.acquire()
    c = asyncio.create_task(waiter("c"))
    await _settle()
    lock.release()
    c.cancel()
    await _settle()
    ptest.eq(lock.locked(), False, "locked after the last waiter was cancelled")


@test
async def a_timed_out_acquire_leaves_the_lock_consistent():
    lock = Lock()
    await lock.acquire()
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(lock.acquire(), 0.03))
    ptest.eq(lock.locked(), True, "still held by its owner")
    lock.release()
    ptest.eq(lock.locked(), False, "free after release")
    await asyncio.wait_for(lock.acquire(), 0.5)
    lock.release()


@test
async def acquire_handed_straight_to_create_task_and_gather():
    # The awaitable that acquire() returns can be a task's own coroutine.
    lock = Lock()
    await lock.acquire()
    a = asyncio.create_task(lock.acquire())
    b = asyncio.create_task(lock.acquire())
    c = asyncio.create_task(lock.acquire())
    await _settle()
    c.cancel()  # while parked
    lock.release()  # handed to a ...
    a.cancel()  # ... which is cancelled before it runs: b gets the lock
    await asyncio.wait_for(b, 1)
    ptest.eq(lock.locked(), True, "held by b")
    await _settle()
    ptest.eq(len(lock._q), 0, "waiters left")
    lock.release()
    ptest.eq(lock.locked(), False, "free")
    d = asyncio.create_task(lock.acquire())
    d.cancel()  # before it ever ran
    await _settle()
    ptest.eq(lock.locked(), False, "free after a task cancelled before it ran")
    res = await asyncio.gather(lock.acquire())
    ptest.eq(res, [True], "acquired through gather")
    lock.release()


@test
def releasing_an_unlocked_lock_is_an_error():
    ptest.raises(RuntimeError, Lock().release)


@test
async def reuse_many_times():
    lock = Lock()
    count = [0]

    async def worker():
        for _ in range(50):
            async with lock:
                v = count[0]
                await asyncio.sleep(0)
                count[0] = v + 1

    tasks = [asyncio.create_task(worker()) for _ in range(3)]
    for t in tasks:
        await t
    ptest.eq(count[0], 150, "count")


ptest.main()
