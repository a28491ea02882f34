# The same assertions hold on MicroPython's built-in asyncio and on fast_io: order of tasks,
# timers, Event/Lock/ThreadSafeFlag hand-over, gather, wait_for, cancellation, errors.
# runtimes: mp-asyncio mp-fast_io cpy-fast_io
import asyncio

import ptest
from ptest import test


@test
async def order_of_tasks_timers_and_events():
    log = []
    ev = asyncio.Event()

    async def spin(name):
        for i in range(2):
            log.append(name + str(i))
            await asyncio.sleep(0)

    async def timer(name, ms):
        await asyncio.sleep_ms(ms)
        log.append(name)

    async def waiter(name):
        await ev.wait()
        log.append(name)

    ts = [asyncio.create_task(c) for c in (spin("a"), spin("b"), timer("t20", 20))]
    ts += [asyncio.create_task(timer("t10", 10)), asyncio.create_task(waiter("w"))]
    await asyncio.sleep_ms(5)
    ev.set()
    await asyncio.gather(*ts)
    ptest.eq(log, ["a0", "b0", "a1", "b1", "w", "t10", "t20"])


@test
async def lock_and_flag_hand_over_in_order():
    lock = asyncio.Lock()
    flag = asyncio.ThreadSafeFlag()
    log = []

    async def user(i):
        async with lock:
            log.append(i)
            await asyncio.sleep_ms(1)

    async def flagged():
        await flag.wait()
        log.append("flag")

    f = asyncio.create_task(flagged())
    await asyncio.gather(*(user(i) for i in range(3)))
    flag.set()
    await f
    ptest.eq(log, [0, 1, 2, "flag"])


@test
async def gather_wait_for_and_cancel():
    async def val(ms, v):
        await asyncio.sleep_ms(ms)
        return v

    async def forever():
        await asyncio.sleep(60)

    ptest.eq(await asyncio.gather(val(3, "x"), val(1, "y")), ["x", "y"])
    ptest.eq(await asyncio.wait_for_ms(val(1, "in time"), 500), "in time")
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for_ms(forever(), 5))
    t = asyncio.create_task(forever())
    await asyncio.sleep_ms(1)
    ptest.eq(t.cancel(), True)
    await ptest.araises(asyncio.CancelledError, t)
    ptest.eq(t.done(), True)


@test
async def errors_reach_awaiters_and_the_handler():
    loop = asyncio.get_event_loop()
    seen = []
    old = loop.get_exception_handler()
    loop.set_exception_handler(lambda lp, ctx: seen.append(type(ctx["exception"]).__name__))
    try:

        async def bad():
            raise KeyError("k")

        await ptest.araises(KeyError, asyncio.create_task(bad()))
        asyncio.create_task(bad())
        await asyncio.sleep_ms(2)
        ptest.eq(seen, ["KeyError"])
    finally:
        loop.set_exception_handler(old)


ptest.main()
