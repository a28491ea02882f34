# fast_io: I/O priority, low-priority waits and callbacks, V2-era calls.
# runtimes: mp-fast_io cpy-fast_io
import asyncio
import io
import sys

import ptest
from ptest import test

IS_MP = sys.implementation.name == "micropython"


class Flagged(io.IOBase):
    # Readable once `ready` is set; read() returns one byte and clears it.
    def __init__(self):
        self.ready = False

    def ioctl(self, req, arg):
        if req != 3:
            return -1
        return 1 if self.ready and arg & 1 else 0

    def read(self, n=-1):
        if not self.ready:
            return None
        self.ready = False
        return b"x"


async def io_order(prio):
    asyncio.set_io_priority(prio)
    dev = Flagged()
    log = []
    stop = [False]

    async def reader():
        r = asyncio.StreamReader(dev)
        while True:
            await r.read(1)
            log.append("R")

    async def hog(name):
        for i in range(4):
            log.append(name + str(i))
            if name == "a" and i == 1:
                dev.ready = True
            await asyncio.sleep(0)
        stop[0] = True

    rt = asyncio.create_task(reader())
    await asyncio.sleep_ms(1)
    hogs = [asyncio.create_task(hog(n)) for n in "abc"]
    await asyncio.gather(*hogs)
    rt.cancel()
    asyncio.set_io_priority(False)
    return log


@test
async def io_priority_runs_the_reader_next():
    log = await io_order(True)
    i = log.index("R")
    ptest.eq(log[i - 1], "a1", "reader right after the task that made the stream ready")


@test
async def without_io_priority_the_reader_waits_its_turn():
    # As with the built-in asyncio: the streams are polled before every task, so the reader,
    # whose stream a1 made ready, is woken before b1 and joins the ring behind the tasks
    # ready then (b, c, a): it runs right after a2.
    log = await io_order(False)
    i = log.index("R")
    ptest.eq(log[i - 1], "a2", "reader queued behind the ready tasks: %r" % log)


@test
async def io_priority_runs_the_reader_when_nothing_else_is_ready():
    # The only ready task is the one I/O woke: it runs at once. (0.2.0 went round without
    # running it until another task became ready.)
    asyncio.set_io_priority(True)
    dev = Flagged()

    async def reader():
        return await asyncio.StreamReader(dev).read(1)

    late = []

    async def watchdog():  # (so that 0.2.0 failed rather than hung)
        await asyncio.sleep_ms(300)
        late.append("the reader had not run after 300 ms")

    t = asyncio.create_task(reader())
    w = asyncio.create_task(watchdog())
    await asyncio.sleep(0)  # the reader waits on dev now
    dev.ready = True
    try:
        got = await t
    finally:
        w.cancel()
        asyncio.set_io_priority(False)
    ptest.eq(late, [], "no other task ran first")
    ptest.eq(got, b"x", "read by the reader")


@test
async def low_priority_runs_at_once_when_all_sleep():
    loop = asyncio.get_event_loop()
    t0 = loop.time()
    await asyncio.after_ms(0)
    await asyncio.after(0.01)
    dt = loop.time() - t0
    ptest.eq(10 <= dt < 200, True, "after_ms took %d ms" % dt)


async def hog_run(ms, lp_delay, overdue):
    loop = asyncio.get_event_loop()
    old = asyncio.max_overdue_ms()
    asyncio.max_overdue_ms(overdue)
    ran = []

    async def low():
        t0 = loop.time()
        await asyncio.after_ms(lp_delay)
        ran.append(loop.time() - t0)

    async def hog():
        t0 = loop.time()
        while loop.time() - t0 < ms:
            await asyncio.sleep(0)
        ran.append("hog done")

    asyncio.create_task(low())
    await asyncio.sleep(0)
    await asyncio.create_task(hog())
    await asyncio.sleep_ms(2)
    asyncio.max_overdue_ms(old)
    return ran


@test
async def low_priority_waits_while_a_hog_runs():
    ran = await hog_run(60, 1, 0)
    ptest.eq(ran[0], "hog done", "low-priority task ran only after the hog: %r" % ran)


@test
async def max_overdue_forces_low_priority_in():
    ran = await hog_run(200, 5, 30)
    ptest.eq(ran[1], "hog done", "forced in while the hog ran: %r" % ran)
    ptest.eq(35 <= ran[0] < 150, True, "ran after %d ms (5 + 30 overdue)" % ran[0])
    ptest.eq(asyncio.max_overdue_ms(), 0)


@test
async def callbacks_soon_later_at_after():
    loop = asyncio.get_event_loop()
    log = []
    loop.call_later_ms(20, log.append, "later_ms")
    loop.call_later(0.01, log.append, "later")
    loop.call_at(loop.time() + 30, log.append, "at")
    loop.call_soon(log.append, "soon")
    asyncio.call_after_ms(0, log.append, "after_ms")
    loop.call_after(0.001, log.append, "after")
    await asyncio.sleep_ms(60)
    ptest.eq(log[0], "soon")
    ptest.eq(set(log[1:3]), {"after_ms", "after"}, "low priority ran when all slept")
    ptest.eq(log[3:], ["later", "later_ms", "at"])


@test
async def v2_get_event_loop_with_sizes_and_time():
    loop = asyncio.get_event_loop(40, 40, 8, 8)
    ptest.eq(asyncio.core._io_prio, True, "ioq_len > 0 turns on I/O priority")
    asyncio.set_io_priority(False)
    t = loop.time()
    ptest.eq(isinstance(t, int), True, "loop.time() is integer ms")
    await asyncio.sleep_ms(5)
    ptest.eq(loop.time() - t >= 5, True)


@test
async def v2_loop_low_priority_methods():
    loop = asyncio.get_event_loop()
    old = loop.max_overdue_ms()
    ptest.eq(loop.max_overdue_ms(25), 25)
    log = []
    loop.call_after_ms(1, log.append, "after_ms")
    loop.call_after(0.001, log.append, "after")
    await asyncio.sleep_ms(20)
    ptest.eq(sorted(log), ["after", "after_ms"])
    loop.max_overdue_ms(old)


@test
async def v2_cancel_coro_and_loop_create_task():
    loop = asyncio.get_event_loop()
    log = []

    async def forever():
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            log.append("cancelled")

    coro = forever()
    loop.create_task(coro)
    await asyncio.sleep_ms(1)
    ptest.eq(asyncio.cancel(coro), True)
    await asyncio.sleep_ms(1)
    ptest.eq(log, ["cancelled"])
    ptest.eq(asyncio.cancel(coro), False, "nothing left to cancel")


class V2Awaitable:
    # V2 style: __iter__ instead of __await__.
    def __init__(self):
        self.n = 0

    def __iter__(self):
        yield from asyncio.sleep_ms(1)
        self.n += 1
        return self.n


@test
async def v2_awaitable_classes_with_iter():
    aw = V2Awaitable()
    if IS_MP:
        ptest.eq(await aw, 1)
    else:  # CPython's await needs __await__: V2 code there runs as generator coroutines

        def gen():
            return (yield from aw)

        ptest.eq(await asyncio.create_task(gen()), 1)


@test
async def v2_generator_coroutines_run_as_tasks():
    def gen():
        yield from asyncio.sleep_ms(1)
        return "gen"

    ptest.eq(await asyncio.create_task(gen()), "gen")


ptest.main()
