# Event: set/clear/is_set/value, waking every waiter, awaiting directly, cancellation, reuse.
import asyncio

import ptest
from ptest import test

from asyn import Event


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def set_wakes_every_waiter_in_order_with_its_value():
    ev = Event()
    woke = []

    async def waiter(n):
        await ev.wait()
        woke.append((n, ev.value()))

    tasks = [asyncio.create_task(waiter(n)) for n in range(3)]
    await _settle()
    ptest.eq(woke, [], "woken before set")
    ptest.eq(ev.is_set(), False, "is_set")
    ev.set("data")
    ptest.eq(ev.is_set(), True, "is_set after set")
    for t in tasks:
        await t
    ptest.eq(woke, [(0, "data"), (1, "data"), (2, "data")], "woken")


@test
async def a_set_event_does_not_block_and_is_awaitable_directly():
    ev = Event()
    assert ev, "an Event with no waiters must be true"
    ev.set()
    ptest.eq(await ev.wait(), True, "wait() result")
    await ev
    ev.clear()
    ptest.eq(ev.is_set(), False, "is_set after clear")
    ptest.eq(ev.value(), None, "value of set()")


@test
async def waiters_present_at_set_wake_even_if_cleared_at_once():
    ev = Event()
    woke = []

    async def waiter():
        await ev
        woke.append(1)

    tasks = [asyncio.create_task(waiter()) for _ in range(2)]
    await _settle()
    ev.set()
    ev.clear()
    for t in tasks:
        await asyncio.wait_for(t, 1)
    ptest.eq(woke, [1, 1], "woken")


@test
async def cancelled_and_timed_out_waiters_leave_others_alone():
    ev = Event()
    woke = []

    async def waiter(n):
        await ev.wait()
        woke.append(n)

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await _settle()
    a.cancel()
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(ev.wait(), 0.02))
    ev.set()
    await b
    await _settle()
    ptest.eq(woke, ["b"], "woken")
    ptest.eq(len(ev._q), 0, "waiters left queued")


@test
async def the_same_wait_shared_by_several_tasks():
    ev = Event()
    w = ev.wait()
    tasks = [asyncio.create_task(ev.wait()) for _ in range(3)]

    async def both():
        return await asyncio.gather(ev.wait(), ev.wait())

    g = asyncio.create_task(both())
    await _settle()
    ptest.eq(len(ev._q), 5, "parked")
    ev.set()
    ev.clear()
    for t in tasks:
        ptest.eq(await asyncio.wait_for(t, 1), True, "task result")
    ptest.eq(await asyncio.wait_for(g, 1), [True, True], "gather result")
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(w, 0.02))


@test
async def reuse_set_and_clear_many_times():
    ping, pong = Event(), Event()
    n = 200

    async def responder():
        for _ in range(n):
            await ping.wait()
            ping.clear()
            pong.set()

    t = asyncio.create_task(responder())
    for i in range(n):
        ping.set(i)
        await pong.wait()
        pong.clear()
    await t
    ptest.eq(ping.value(), n - 1, "last value")


ptest.main()
