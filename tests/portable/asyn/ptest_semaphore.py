# Semaphore and BoundedSemaphore: counting, arrival order, cancellation, over-release.
import asyncio

import ptest
from ptest import test

from asyn import BoundedSemaphore, Semaphore


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def at_most_value_holders_served_in_arrival_order():
    sem = Semaphore(2)
    inside = [0]
    peak = [0]
    order = []

    async def worker(n):
        async with sem:
            order.append(n)
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
            await asyncio.sleep(0.005)
            inside[0] -= 1

    tasks = [asyncio.create_task(worker(n)) for n in range(6)]
    for t in tasks:
        await t
    ptest.eq(peak[0], 2, "most holders at once")
    ptest.eq(order, list(range(6)), "order of entry")
    ptest.eq(sem.locked(), False, "locked at the end")


@test
async def a_release_goes_to_the_waiter_not_a_latecomer():
    sem = Semaphore(0)
    got = []

    async def waiter():
        await sem.acquire()
        got.append(1)

    t = asyncio.create_task(waiter())
    await _settle()
    sem.release()
    ptest.eq(sem.acquire_nowait(), False, "latecomer acquire_nowait")
    await t
    ptest.eq(got, [1], "waiter got it")


@test
async def cancelled_waiters_do_not_lose_tokens():
    sem = Semaphore(0)
    got = []

    async def waiter(n):
        await sem.acquire()
        got.append(n)

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await _settle()
    a.cancel()  # while parked
    await _settle()
    sem.release()  # to b
    await b
    c = asyncio.create_task(waiter("c"))
    await _settle()
    sem.release()  # handed to c ...
    c.cancel()  # ... which is cancelled before it runs: the token comes back
    await _settle()
    ptest.eq(got, ["b"], "who got tokens")
    ptest.eq(sem.acquire_nowait(), True, "the returned token")
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(sem.acquire(), 0.02))
    ptest.eq(sem.locked(), True, "no token after a timed-out acquire")


@test
def bounded_semaphore_refuses_over_release():
    sem = BoundedSemaphore(2)
    ptest.raises(ValueError, sem.release)
    ptest.eq(sem.acquire_nowait(), True, "first")
    sem.release()
    ptest.raises(ValueError, sem.release)
    ptest.raises(ValueError, Semaphore, -1)


ptest.main()
