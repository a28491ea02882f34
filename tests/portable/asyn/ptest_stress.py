# Many tasks, random pauses, random cancellations and timeouts: the invariants of Lock,
# Semaphore and Queue must hold throughout, and nothing may be lost or left stuck.
import asyncio

import ptest
from ptest import test

from asyn import Lock, Queue, Semaphore


class Rand:
    # A small deterministic generator, the same on every runtime.
    def __init__(self, seed):
        self.x = seed

    def below(self, n):
        self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.x >> 8) % n


async def _pause(r):
    for _ in range(r.below(3)):
        await asyncio.sleep(0)


async def _churn(r, tasks, rounds):
    # Cancel random tasks now and then while they run.
    for _ in range(rounds):
        await _pause(r)
        t = tasks[r.below(len(tasks))]
        if r.below(4) == 0:
            t.cancel()


async def _settle(tasks):
    for t in tasks:
        try:
            await asyncio.wait_for(t, 2)
        except asyncio.CancelledError:
            pass


# Cancellations land on direct awaits of the primitives. (A cancellation that lands on
# asyncio.wait_for just as the wait inside it succeeds loses that success on some schedulers:
# that is wait_for's business, so timeouts are tested one at a time in the other scripts.)


@test
async def lock_and_semaphore_hold_their_invariants():
    r = Rand(1)
    lock, sem = Lock(), Semaphore(3)
    state = {"in_lock": 0, "in_sem": 0, "entries": 0}

    async def worker(n):
        for _ in range(30):
            if r.below(2):
                async with lock:
                    state["in_lock"] += 1
                    state["entries"] += 1
                    try:
                        assert state["in_lock"] == 1, "two tasks hold the lock"
                        await _pause(r)
                    finally:
                        state["in_lock"] -= 1
            else:
                async with sem:
                    state["in_sem"] += 1
                    state["entries"] += 1
                    try:
                        assert state["in_sem"] <= 3, "more holders than tokens"
                        await _pause(r)
                    finally:
                        state["in_sem"] -= 1

    tasks = [asyncio.create_task(worker(n)) for n in range(8)]
    await _churn(r, tasks, 200)
    await _settle(tasks)
    assert state["entries"] > 20, state
    ptest.eq(lock.locked(), False, "lock free at the end")
    ptest.eq(sem.acquire_nowait() and sem.acquire_nowait() and sem.acquire_nowait(), True, "3")
    ptest.eq(sem.locked(), True, "no fourth token")
    ptest.eq(len(lock._q) + len(sem._q), 0, "waiters left")


@test
async def a_queue_loses_and_duplicates_nothing():
    r = Rand(7)
    q = Queue(3)
    got = []
    put = []

    async def producer(base):
        for i in range(40):
            await q.put(base + i)
            put.append(base + i)
            await _pause(r)

    async def consumer():
        while True:
            got.append(await q.get())
            await _pause(r)

    producers = [asyncio.create_task(producer(1000 * n)) for n in range(3)]
    consumers = [asyncio.create_task(consumer()) for _ in range(3)]
    await _churn(r, producers + consumers, 150)
    spare = asyncio.create_task(consumer())  # in case the churn cancelled every consumer
    await _settle(producers)
    await asyncio.sleep(0.01)
    for c in consumers + [spare]:
        c.cancel()
    await asyncio.sleep(0.01)
    while not q.empty():
        got.append(q.get_nowait())
    assert len(put) > 5, len(put)
    ptest.eq(len(got), len(set(got)), "duplicates")
    ptest.eq(sorted(got), sorted(put), "items got against items put")
    ptest.eq(q._getters.waiting() + q._putters.waiting(), 0, "waiters left")


ptest.main()
