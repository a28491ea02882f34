# WaitAny, WaitAll, Gather/Gatherable, launch and sleep.
import asyncio

import ptest
from ptest import test

from asyn import Event, Gather, Gatherable, WaitAll, WaitAny, launch, sleep


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def wait_any_returns_the_first_and_stops_watching_the_rest():
    a, b = Event(), Event()
    t = asyncio.create_task(WaitAny((a, b)).wait())
    await _settle()
    b.set()
    ptest.eq(await asyncio.wait_for(t, 1), b, "winner")
    await _settle()
    ptest.eq(len(a._q), 0, "watchers left on the other event")


@test
async def wait_all_returns_when_every_event_is_set():
    evs = [Event() for _ in range(3)]
    t = asyncio.create_task(WaitAll(evs).wait())
    for e in evs[:2]:
        e.set()
        await _settle()
        ptest.eq(t.done(), False, "done early")
    evs[2].set()
    await asyncio.wait_for(t, 1)
    nested = Event()
    nested.set()
    inner = WaitAll((nested,))
    ptest.eq(await WaitAny((inner, Event())), inner, "nested WaitAll wins")


@test
async def gather_keeps_input_order_and_records_failures_and_timeouts():
    async def value(v, delay):
        await asyncio.sleep(delay)
        return v

    async def fail():
        await asyncio.sleep(0)
        raise ValueError("member failed")

    res = await asyncio.wait_for(
        Gather(
            (
                Gatherable(value, "slow", 0.05),
                Gatherable(fail),
                Gatherable(value, "late", 5, timeout=0.03),
                Gatherable(value, "fast", 0),
            )
        ).wait(),
        2,
    )
    ptest.eq(res[0], "slow", "slot 0")
    ptest.eq(type(res[1]), ValueError, "slot 1")
    ptest.eq(isinstance(res[2], asyncio.TimeoutError), True, "slot 2 is a TimeoutError")
    ptest.eq(res[3], "fast", "slot 3")
    ptest.eq(await Gather([Gatherable(value, 1, 0)]), [1], "awaited directly")


@test
async def cancelling_a_gather_cancels_its_members():
    ended = []

    async def member():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            ended.append(1)
            raise

    t = asyncio.create_task(Gather((Gatherable(member), Gatherable(member))).wait())
    await _settle()
    t.cancel()
    await ptest.araises(asyncio.CancelledError, t)
    await _settle()
    ptest.eq(ended, [1, 1], "members cancelled")


@test
async def launch_calls_or_schedules():
    ptest.eq(launch(lambda a, b: a + b, (1, 2)), 3, "callback result")

    async def coro(x):
        return x * 2

    task = launch(coro, (4,))
    ptest.eq(await task, 8, "task result")
    await sleep(0.01, 5)


ptest.main()
