# Queue: order, bounds, nowait errors, task_done/join, hand-over, cancellation of waiters.
import asyncio

import ptest
from ptest import test

from asyn import Queue, QueueEmpty, QueueFull


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def fifo_through_a_bounded_queue():
    q = Queue(2)
    got = []

    async def consumer():
        for _ in range(20):
            got.append(await q.get())
            q.task_done()

    t = asyncio.create_task(consumer())
    for i in range(20):
        await q.put(i)
        assert q.qsize() <= 2, q.qsize()
    await q.join()
    await t
    ptest.eq(got, list(range(20)), "items")
    ptest.eq(q.empty(), True, "empty")


@test
def nowait_forms_and_their_errors():
    q = Queue(2)
    ptest.raises(QueueEmpty, q.get_nowait)
    q.put_nowait("a")
    q.put_nowait("b")
    ptest.eq(q.full(), True, "full")
    ptest.eq(q.qsize(), 2, "qsize")
    ptest.raises(QueueFull, q.put_nowait, "c")
    ptest.eq(q.get_nowait(), "a", "first")
    ptest.eq(q.get_nowait(), "b", "second")
    ptest.raises(ValueError, Queue().task_done)
    u = Queue()
    for i in range(100):
        u.put_nowait(i)
    ptest.eq(u.full(), False, "an unbounded queue is never full")


@test
async def getters_and_putters_are_served_in_arrival_order():
    q = Queue(1)
    got = []

    async def getter(n):
        got.append((n, await q.get()))

    tasks = [asyncio.create_task(getter(n)) for n in range(3)]
    await _settle()
    for item in "xyz":
        q.put_nowait(item)  # promised to the oldest getter at once
        ptest.raises(QueueEmpty, q.get_nowait)
        await _settle()
    for t in tasks:
        await t
    ptest.eq(got, [(0, "x"), (1, "y"), (2, "z")], "getters")
    q.put_nowait("first")
    putters = [asyncio.create_task(q.put(n)) for n in range(3)]
    await _settle()
    out = []
    for _ in range(4):
        out.append(await q.get())
        await _settle()
    for t in putters:
        await t
    ptest.eq(out, ["first", 0, 1, 2], "putters")


@test
async def cancelled_and_timed_out_waiters_lose_nothing():
    q = Queue()
    a = asyncio.create_task(q.get())
    b = asyncio.create_task(q.get())
    await _settle()
    q.put_nowait(1)  # promised to a ...
    a.cancel()  # ... which is cancelled before it runs: b gets it
    ptest.eq(await b, 1, "b's item")
    c = asyncio.create_task(q.get())
    await _settle()
    q.put_nowait(2)
    c.cancel()  # nobody left: the item stays in the queue
    await _settle()
    ptest.eq(q.get_nowait(), 2, "item kept")
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(q.get(), 0.02))
    q.put_nowait(3)
    ptest.eq(q.get_nowait(), 3, "after a timed-out get")
    f = Queue(1)
    f.put_nowait(0)
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(f.put(1), 0.02))
    ptest.eq(f.get_nowait(), 0, "after a timed-out put")
    ptest.eq(f.empty(), True, "nothing else put")


@test
async def join_waits_for_every_task_done():
    q = Queue()
    for i in range(3):
        q.put_nowait(i)
    joined = []

    async def joiner():
        await q.join()
        joined.append(1)

    t = asyncio.create_task(joiner())
    for _ in range(3):
        q.get_nowait()
        await _settle()
        ptest.eq(joined, [], "joined early")
        q.task_done()
    await asyncio.wait_for(t, 1)
    await q.join()  # nothing unfinished: returns at once


ptest.main()
