# fast_io: the MicroPython asyncio surface (tasks, sleeps, gather, wait_for, Event, Lock, loop).
# runtimes: mp-fast_io cpy-fast_io
import asyncio

import ptest
from ptest import test


@test
def install_makes_asyncio_fast_io():
    import fast_io
    import uasyncio

    ptest.eq(asyncio is fast_io, True, "asyncio is fast_io")
    ptest.eq(uasyncio is fast_io, True, "uasyncio is fast_io")
    ptest.eq("fast_io" in fast_io.version, True, "version names fast_io")


@test
async def tasks_interleave_and_return_values():
    order = []

    async def worker(name, n):
        for i in range(n):
            order.append(name + str(i))
            await asyncio.sleep(0)
        return name

    a = asyncio.create_task(worker("a", 3))
    b = asyncio.create_task(worker("b", 2))
    ptest.eq(a.done(), False, "a.done() before running")
    ptest.eq(await a, "a")
    ptest.eq(await b, "b")
    ptest.eq(a.done(), True, "a.done() after")
    ptest.eq(order, ["a0", "b0", "a1", "b1", "a2"])
    ptest.eq(await a, "a", "awaiting a finished task again")


@test
async def exceptions_reach_the_awaiter():
    async def bad():
        await asyncio.sleep_ms(1)
        raise ValueError("boom")

    t = asyncio.create_task(bad())
    e = await ptest.araises(ValueError, t)
    ptest.eq(str(e), "boom")


@test
async def current_task_and_data():
    seen = []

    async def me():
        seen.append(asyncio.current_task())
        ptest.raises(RuntimeError, asyncio.current_task().cancel)  # can't cancel self

    t = asyncio.create_task(me())
    await t
    ptest.eq(seen[0] is t, True, "current_task() is the task")
    ptest.eq(hasattr(t, "data"), True, "Task.data exists")
    ptest.eq(t.cancel(), False, "cancel() of a finished task")


@test
def current_task_outside_the_loop_raises():
    asyncio.new_event_loop()
    ptest.raises(RuntimeError, asyncio.current_task)


@test
async def sleeps_take_about_as_long_as_asked():
    t0 = asyncio.get_event_loop().time()
    await asyncio.sleep_ms(30)
    await asyncio.sleep(0.02)
    dt = asyncio.get_event_loop().time() - t0
    ptest.eq(48 <= dt < 500, True, "slept %d ms" % dt)


@test
async def gather_collects_results_in_order():
    async def val(ms, v):
        await asyncio.sleep_ms(ms)
        return v

    ptest.eq(await asyncio.gather(val(20, 1), val(5, 2), val(0, 3)), [1, 2, 3])
    ptest.eq(await asyncio.gather(), [])


@test
async def gather_raises_or_returns_exceptions():
    async def ok():
        await asyncio.sleep_ms(5)
        return "ok"

    async def bad():
        raise KeyError("k")

    await ptest.araises(KeyError, asyncio.gather(ok(), bad()))
    res = await asyncio.gather(ok(), bad(), return_exceptions=True)
    ptest.eq(res[0], "ok")
    ptest.eq(isinstance(res[1], KeyError), True, "exception returned")


@test
async def gather_cancelled_cancels_children():
    log = []

    async def child():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("child cancelled")
            raise

    async def parent():
        await asyncio.gather(child(), child())

    p = asyncio.create_task(parent())
    await asyncio.sleep_ms(5)
    p.cancel()
    await ptest.araises(asyncio.CancelledError, p)
    await asyncio.sleep_ms(5)
    ptest.eq(log, ["child cancelled", "child cancelled"])


@test
async def wait_for_returns_raises_and_times_out():
    async def val(ms, v):
        await asyncio.sleep_ms(ms)
        return v

    async def bad():
        await asyncio.sleep_ms(1)
        raise OSError(5)

    ptest.eq(await asyncio.wait_for(val(5, "v"), 1), "v")
    ptest.eq(await asyncio.wait_for_ms(val(5, "w"), 1000), "w")
    ptest.eq(await asyncio.wait_for(val(0, "n"), None), "n")
    await ptest.araises(OSError, asyncio.wait_for(bad(), 1))
    log = []

    async def slow():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("cancelled")
            raise

    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(slow(), 0.01))
    ptest.eq(log, ["cancelled"])
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for_ms(slow(), 10))


@test
async def wait_for_of_an_event_wait_and_a_sleep():
    ev = asyncio.Event()
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for_ms(ev.wait(), 10))
    asyncio.create_task(asyncio.sleep_ms(1))  # a door handed to create_task
    asyncio.get_event_loop().call_later_ms(5, ev.set)
    ptest.eq(await asyncio.wait_for_ms(ev.wait(), 1000), True)


@test
async def event_wakes_all_waiters_even_if_cleared_at_once():
    ev = asyncio.Event()
    woke = []

    async def waiter(i):
        await ev.wait()
        woke.append(i)

    for i in range(3):
        asyncio.create_task(waiter(i))
    await asyncio.sleep_ms(1)
    ptest.eq(ev.is_set(), False)
    ev.set()
    ev.clear()
    await asyncio.sleep_ms(1)
    ptest.eq(woke, [0, 1, 2])
    ev.set()
    ptest.eq(await ev.wait(), True, "wait on a set event")


@test
async def thread_safe_flag_wakes_its_waiter_and_clears():
    flag = asyncio.ThreadSafeFlag()
    log = []

    async def waiter():
        for i in range(3):
            await flag.wait()
            log.append(i)

    t = asyncio.create_task(waiter())
    for _ in range(3):
        await asyncio.sleep_ms(2)
        flag.set()
    await asyncio.wait_for_ms(t, 1000)
    ptest.eq(log, [0, 1, 2])
    flag.set()
    await flag.wait()  # already set: returns at once, clearing it
    ptest.eq(flag.state, 0, "cleared")
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for_ms(flag.wait(), 5))


@test
async def lock_is_fifo_and_handed_over():
    lock = asyncio.Lock()
    log = []

    async def user(i):
        async with lock:
            log.append(("in", i))
            await asyncio.sleep_ms(2)
            log.append(("out", i))

    ts = [asyncio.create_task(user(i)) for i in range(3)]
    await asyncio.gather(*ts)
    ptest.eq(log, [("in", 0), ("out", 0), ("in", 1), ("out", 1), ("in", 2), ("out", 2)])
    ptest.eq(lock.locked(), False)
    ptest.raises(RuntimeError, lock.release)
    ptest.eq(await lock.acquire(), True)
    lock.release()


@test
async def lock_cancelled_while_being_handed_passes_it_on():
    lock = asyncio.Lock()
    await lock.acquire()
    got = []

    async def user(i):
        await lock.acquire()
        got.append(i)
        lock.release()

    a = asyncio.create_task(user(1))
    b = asyncio.create_task(user(2))
    await asyncio.sleep_ms(1)
    lock.release()  # handed to a, which has not run yet
    a.cancel()
    await asyncio.sleep_ms(5)
    ptest.eq(got, [2])
    ptest.eq(lock.locked(), False)
    ptest.eq(b.done(), True)


@test
def loop_methods():
    loop = asyncio.get_event_loop()
    ptest.eq(asyncio.new_event_loop() is not None, True)
    log = []

    async def main():
        await asyncio.sleep_ms(1)
        log.append("main")
        return 7

    ptest.eq(loop.run_until_complete(main()), 7)
    ptest.eq(loop.run_until_complete(loop.create_task(main())), 7)

    async def stopper():
        await asyncio.sleep_ms(2)
        log.append("stop")
        loop.stop()

    loop.create_task(stopper())
    loop.run_forever()
    ptest.eq(log, ["main", "main", "stop"])
    loop.close()


@test
def exception_handler_gets_unretrieved_errors_and_loop_goes_on():
    loop = asyncio.get_event_loop()
    got = []

    def handler(lp, context):
        got.append((type(context["exception"]).__name__, context["message"]))

    old = loop.get_exception_handler()
    loop.set_exception_handler(handler)
    ptest.eq(loop.get_exception_handler() is handler, True)
    try:

        async def bad():
            raise ValueError("x")

        async def main():
            asyncio.create_task(bad())
            for _ in range(3):
                await asyncio.sleep_ms(1)
            return "still running"

        ptest.eq(asyncio.run(main()), "still running")
        ptest.eq(got, [("ValueError", "Task exception wasn't retrieved")])
        loop.call_exception_handler({"message": "m", "exception": OSError(1), "future": None})
        ptest.eq(got[-1], ("OSError", "m"))
    finally:
        loop.set_exception_handler(old)


@test
def default_exception_handler_prints():
    # It writes the message, the task and the traceback to stderr, and returns.
    loop = asyncio.get_event_loop()

    async def coro():
        pass

    c = coro()
    t = asyncio.create_task(c)
    try:
        raise ValueError("shown on stderr by the default handler (expected)")
    except ValueError as e:
        ctx = {"message": "test message", "exception": e, "future": t}
    ptest.eq(loop.default_exception_handler(loop, ctx), None)
    asyncio.new_event_loop()
    c.close()


@test
def run_raises_the_main_task_exception():
    async def main():
        await asyncio.sleep_ms(1)
        raise ValueError("main")

    ptest.raises(ValueError, asyncio.run, main())


@test
async def gather_of_the_same_task_twice():
    async def val(ms, v):
        await asyncio.sleep_ms(ms)
        return v

    t = asyncio.create_task(val(5, 1))
    ptest.eq(await asyncio.gather(t, t, val(1, 2)), [1, 1, 2])


@test
async def gather_refusing_a_task_leaves_the_others_alone():
    # A task already awaited elsewhere cannot be gathered; the children registered before it
    # must not call back into the gathering task later (it waits somewhere else by then).
    async def val(ms, v):
        await asyncio.sleep_ms(ms)
        return v

    busy = asyncio.create_task(val(5, "busy"))
    keeper = asyncio.create_task(val(0, None))

    async def await_busy():
        return await busy

    holder = asyncio.create_task(await_busy())
    await asyncio.sleep_ms(0)
    child = asyncio.create_task(val(5, "child"))
    await ptest.araises(RuntimeError, asyncio.gather(child, busy))
    t0 = asyncio.get_event_loop().time()
    await asyncio.sleep_ms(30)
    slept = asyncio.get_event_loop().time() - t0
    ptest.eq(slept >= 29, True, "slept %d ms of 30" % slept)
    ptest.eq(await child, "child", "the child still gives its result to an awaiter")
    ptest.eq(await holder, "busy")
    await keeper


ptest.main()
