# Mistakes and corner cases that must fail loudly or behave as with the built-in asyncio, never
# misbehave in silence: `await event` / `await lock`, a loop reset leaving an armed door, an
# exception handler that raises, ready-queue memory after a burst of tasks, and on CPython a
# stream's read(0) and a file descriptor reused by a new connection.
import gc

import asyncio
import ptest
from ptest import test

FAST_IO = ptest.RUNTIME.endswith("fast_io")


@test
async def awaiting_an_event_instead_of_its_wait_raises_type_error():
    ev = asyncio.Event()
    await ptest.araises(TypeError, _await(ev))
    ev.set()
    ptest.eq(await ev.wait(), True, "wait() still works")


@test
async def awaiting_a_lock_instead_of_acquire_raises_type_error():
    lock = asyncio.Lock()
    await ptest.araises(TypeError, _await(lock))
    ptest.eq(lock.locked(), False, "not taken by the mistake")
    async with lock:
        ptest.eq(lock.locked(), True, "taken by async with")


async def _await(x):
    await x


@test
def a_new_loop_forgets_a_sleep_never_awaited():
    if not FAST_IO:
        ptest.skip("fast_io's allocation-free doors")
    forgotten = asyncio.sleep_ms(5)  # made, never awaited: the shared door stays armed
    ptest.eq(asyncio.sleep_ms(1) is forgotten, False, "a second door while the first is armed")
    asyncio.new_event_loop()
    ptest.eq(asyncio.sleep_ms(1) is forgotten, True, "the shared door again after the reset")
    asyncio.new_event_loop()


@test
def an_exception_handler_that_raises_ends_run_with_its_exception():
    if ptest.RUNTIME == "cpy-asyncio":
        ptest.skip("CPython's asyncio logs a failing handler")

    def handler(loop, context):
        raise RuntimeError("from the handler")

    async def fails():
        raise ValueError("nobody awaits this")

    async def main():
        asyncio.get_event_loop().set_exception_handler(handler)
        asyncio.create_task(fails())
        await asyncio.sleep(0.01)

    if ptest.IS_MICROPYTHON:
        asyncio.new_event_loop()
    e = ptest.raises(RuntimeError, asyncio.run, main())
    ptest.eq(e.args[0], "from the handler", "the handler's exception")
    asyncio.get_event_loop().set_exception_handler(None)

    async def after():  # the loop still works
        await asyncio.sleep(0)
        return 5

    if ptest.IS_MICROPYTHON:
        asyncio.new_event_loop()
    ptest.eq(asyncio.run(after()), 5, "next run")


@test
async def the_ready_queue_gives_memory_back_after_a_burst():
    if not (FAST_IO and ptest.IS_MICROPYTHON):
        ptest.skip("fast_io's fixed-size ready ring on MicroPython")

    async def brief():
        await asyncio.sleep(0)

    gc.collect()
    before = gc.mem_alloc()
    ts = [asyncio.create_task(brief()) for _ in range(2000)]
    for t in ts:
        await t
    ts = None
    for _ in range(3):
        await asyncio.sleep(0)
    gc.collect()
    ptest.eq(asyncio.core._cap <= 64, True, "ring capacity %d" % asyncio.core._cap)
    kept = gc.mem_alloc() - before
    ptest.eq(kept < 2000, True, "bytes kept after the burst: %d" % kept)


def _cpython_fast_io_socketpair():
    if ptest.RUNTIME != "cpy-fast_io":
        ptest.skip("fast_io's socket streams on CPython")
    import socket

    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    return a, b


@test
async def read_0_returns_nothing_and_consumes_nothing():
    a, b = _cpython_fast_io_socketpair()
    s = asyncio.StreamReader(a)
    b.send(b"abc")
    ptest.eq(await s.read(0), b"", "read(0)")
    ptest.eq(await s.read(3), b"abc", "then read(3)")
    a.close()
    b.close()


@test
async def a_new_connection_on_a_reused_descriptor_does_not_inherit_a_stale_waiter():
    a, b = _cpython_fast_io_socketpair()
    old = asyncio.StreamReader(a)
    outcome = []

    async def reader():
        try:
            outcome.append(await old.read(10))
        except OSError:
            outcome.append("error")

    t = asyncio.create_task(reader())
    await asyncio.sleep(0)
    fd = a.fileno()
    a.close()  # closed under the waiting task: its descriptor is free again
    b.close()
    c, d = _cpython_fast_io_socketpair()
    if fd not in (c.fileno(), d.fileno()):
        ptest.skip("the system did not reuse the descriptor")
    new = asyncio.StreamReader(c if c.fileno() == fd else d)
    (d if c.fileno() == fd else c).send(b"new")
    # Waits at once, in this turn, before the loop polls again (data is there: no hang).
    ptest.eq(await new.read(10), b"new", "read on the new connection")
    await t
    ptest.eq(len(outcome), 1, "the old waiter woke")
    ptest.eq(outcome[0] in ("error", b""), True, "the old read failed: %r" % outcome)
    c.close()
    d.close()


ptest.main()
