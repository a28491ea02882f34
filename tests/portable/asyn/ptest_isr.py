# Interrupt-context producers: RingbufQueue.put_nowait, Message.set and Delay_ms.trigger run
# with the heap locked (on MicroPython; CPython has no heap lock and runs the same sequence).
import asyncio

import ptest
from ptest import test

from asyn import Message, RingbufQueue

try:
    from micropython import heap_lock, heap_unlock
except ImportError:
    heap_lock = heap_unlock = lambda: None


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def ringbuf_queue_fed_from_an_interrupt():
    q = RingbufQueue([0] * 5)
    got = []

    async def consumer(q):  # an argument: see ringbuf_queue_serves_several_consumers
        async for v in q:
            got.append(v)
            if v == 7:
                return

    t = asyncio.create_task(consumer(q))
    await _settle()
    for batch in ((1, 2, 3), (4, 5), (6, 7)):
        heap_lock()
        try:
            for v in batch:
                q.put_nowait(v)
        finally:
            heap_unlock()
        await _settle()
    await asyncio.wait_for(t, 1)
    ptest.eq(got, [1, 2, 3, 4, 5, 6, 7], "items")


@test
def ringbuf_queue_overrun_drops_the_oldest_and_says_so():
    q = RingbufQueue([0] * 4)  # holds 3
    for v in (1, 2, 3):
        q.put_nowait(v)
    ptest.eq(q.full(), True, "full")
    heap_lock()
    try:
        try:
            q.put_nowait(4)
            overran = False
        except IndexError:
            overran = True
    finally:
        heap_unlock()
    ptest.eq(overran, True, "IndexError on overrun")
    ptest.eq([q.get_nowait() for _ in range(q.qsize())], [2, 3, 4], "items kept")
    ptest.raises(IndexError, q.get_nowait)


@test
async def ringbuf_queue_serves_several_consumers():
    q = RingbufQueue([0] * 8)
    got = {}

    # q comes in as an argument: MicroPython 1.20's compiler fails `async for` over a name
    # that is not a local of the function (NameError; fixed in 1.21).
    async def consumer(n, q):
        got[n] = []
        try:
            async for v in q:
                got[n].append(v)
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            pass

    tasks = [asyncio.create_task(consumer(n, q)) for n in range(3)]
    await _settle()
    items = list(range(1, 31))
    batches = [tuple(items[i : i + 5]) for i in range(0, 30, 5)]
    for i, batch in enumerate(batches):
        heap_lock()
        try:
            for v in batch:
                q.put_nowait(v)
        finally:
            heap_unlock()
        if i == 2:
            tasks[0].cancel()  # the others carry on, one of them listening instead
        await _settle()
    await asyncio.sleep(0.01)
    for t in tasks:
        t.cancel()
    await _settle()
    allgot = sorted(got[0] + got[1] + got[2])
    ptest.eq(allgot, items, "every item, once")
    ptest.eq(len([n for n in got if got[n]]) >= 2, True, "items went to several consumers")


@test
async def ringbuf_queue_put_waits_for_room():
    q = RingbufQueue([0] * 3)  # holds 2
    await q.put(1)
    await q.put(2)
    t = asyncio.create_task(q.put(3))
    await _settle()
    ptest.eq(t.done(), False, "put finished on a full queue")
    ptest.eq(await q.get(), 1, "first")
    await asyncio.wait_for(t, 1)
    ptest.eq([await q.get(), await q.get()], [2, 3], "rest")


@test
async def ringbuf_queue_room_goes_on_past_a_cancelled_putter():
    # A get wakes one waiting putter; if that one is cancelled before it runs, the room must
    # wake the next putter instead of being lost.
    q = RingbufQueue([0] * 3)  # holds 2
    q.put_nowait(1)
    q.put_nowait(2)
    done = []

    async def putter(v):
        await q.put(v)
        done.append(v)

    a = asyncio.create_task(putter(10))
    b = asyncio.create_task(putter(11))
    await _settle()
    ptest.eq(q.get_nowait(), 1, "first")  # room for one: wakes a
    a.cancel()
    await _settle()
    ptest.eq(done, [11], "the next putter took the room")
    ptest.eq([q.get_nowait(), q.get_nowait()], [2, 11], "rest")
    ptest.eq(b.done(), True, "b done")


@test
async def message_set_from_an_interrupt_wakes_every_waiter():
    msg = Message()
    got = []

    async def waiter(n):
        got.append((n, await msg.wait()))

    tasks = [asyncio.create_task(waiter(n)) for n in range(3)]
    await _settle()
    data = ("reading", 1)
    heap_lock()
    try:
        msg.set(data)
    finally:
        heap_unlock()
    for t in tasks:
        await asyncio.wait_for(t, 1)
    ptest.eq(sorted(got), [(0, data), (1, data), (2, data)], "woken with the data")
    ptest.eq(msg.is_set(), True, "is_set")
    ptest.eq(await msg, data, "awaiting a set message")
    msg.clear()
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(msg.wait(), 0.02))


@test
async def message_survives_the_cancellation_of_its_listener():
    msg = Message()
    a = asyncio.create_task(msg.wait())  # becomes the listener
    b = asyncio.create_task(msg.wait())
    await _settle()
    a.cancel()
    await _settle()
    msg.set(5)
    ptest.eq(await asyncio.wait_for(b, 1), 5, "b's value")


@test
async def message_set_from_another_thread():
    try:
        import _thread
    except ImportError:
        ptest.skip("no _thread")
    msg = Message()
    _thread.start_new_thread(msg.set, ("thread",))
    ptest.eq(await asyncio.wait_for(msg.wait(), 2), "thread", "value")


@test
def producers_in_another_thread_after_a_second_run():
    # A flag that woke a waiter in a loop that has since closed must still accept set() from
    # another thread (CPython raised "Event loop is closed" at the first one of a new run).
    try:
        import _thread
    except ImportError:
        ptest.skip("no _thread")
    import time

    q = RingbufQueue([0] * 4)
    msg = Message()
    errors = []
    done = []

    def produce(v, delay):
        time.sleep(delay)
        try:
            q.put_nowait(v)
            msg.set(v)
        except Exception as e:
            errors.append(repr(e))
        done.append(v)

    async def consume_first():  # the waiters are asleep when the thread produces
        _thread.start_new_thread(produce, (1, 0.05))
        ptest.eq(await asyncio.wait_for(q.get(), 2), 1, "item in the first run")
        ptest.eq(await asyncio.wait_for(msg.wait(), 2), 1, "message in the first run")
        msg.clear()

    async def produce_first():  # nobody waits yet when the thread produces
        _thread.start_new_thread(produce, (2, 0))
        for _ in range(200):
            if 2 in done:
                break
            await asyncio.sleep(0.01)
        ptest.eq(errors, [], "errors in the producing thread")
        ptest.eq(await asyncio.wait_for(q.get(), 2), 2, "item in the second run")
        ptest.eq(await asyncio.wait_for(msg.wait(), 2), 2, "message in the second run")

    for coro in (consume_first, produce_first):
        if ptest.IS_MICROPYTHON:
            asyncio.new_event_loop()
        asyncio.run(coro())


@test
def a_listener_left_in_an_abandoned_loop_does_not_block_the_next_run():
    # MicroPython's way to start afresh, asyncio.new_event_loop(), drops the tasks of the old
    # loop without running their cleanup (as does Ctrl-C): a consumer or waiter that was
    # sleeping on the flag there must not keep the ones of the next run from listening.
    q = RingbufQueue([0] * 4)
    msg = Message()

    async def first_run():
        async def consumer():
            await q.get()

        async def waiter():
            await msg.wait()

        for _ in range(2):  # one listens on the flag, the other is parked
            asyncio.create_task(consumer())
            asyncio.create_task(waiter())
        await asyncio.sleep(0.01)  # this run ends and leaves them

    async def second_run():
        async def producer():
            await asyncio.sleep(0.02)
            q.put_nowait(7)
            msg.set(8)

        async def consume():
            return await asyncio.wait_for(q.get(), 1)

        asyncio.create_task(producer())
        got = asyncio.create_task(consume())
        ptest.eq(await asyncio.wait_for(msg.wait(), 1), 8, "message")
        ptest.eq(await got, 7, "item")

    async def third_run():
        # Items ready at once: no consumer of this run listens, and none of the old loop's
        # may be handed an item.
        q.put_nowait(1)
        q.put_nowait(2)
        ptest.eq(await q.get(), 1, "first item")
        await asyncio.sleep(0.01)
        ptest.eq(q.get_nowait(), 2, "second item")

    for coro in (first_run, third_run, first_run, second_run):
        if ptest.IS_MICROPYTHON:
            asyncio.new_event_loop()
        asyncio.run(coro())


ptest.main()
