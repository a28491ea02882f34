# Trace: Event, Lock, gather, wait_for, cancellation.
# same-on-cpython-fast_io
import asyncio


async def waiter(ev, name):
    print(name, "waits")
    await ev.wait()
    print(name, "woke")


async def locker(lock, name):
    async with lock:
        print(name, "has the lock")
        await asyncio.sleep_ms(2)
    print(name, "released")


async def val(ms, v):
    await asyncio.sleep_ms(ms)
    return v


async def sleepy(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise


async def main():
    ev = asyncio.Event()
    for n in ("w1", "w2", "w3"):
        asyncio.create_task(waiter(ev, n))
    await asyncio.sleep_ms(1)
    print("set")
    ev.set()
    ev.clear()
    await asyncio.sleep_ms(1)
    lock = asyncio.Lock()
    await asyncio.gather(*(locker(lock, n) for n in ("l1", "l2", "l3")))
    print(await asyncio.gather(val(10, "a"), val(1, "b"), val(5, "c")))
    print(await asyncio.wait_for(val(1, "in time"), 1))
    try:
        await asyncio.wait_for_ms(sleepy("timed"), 10)
    except asyncio.TimeoutError:
        print("timeout")
    t = asyncio.create_task(sleepy("victim"))
    await asyncio.sleep_ms(1)
    print("cancel returns", t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        print("awaiter sees CancelledError")
    print("cancel again", t.cancel())


asyncio.run(main())
