# Trace: task order with sleep(0), timers, awaiting tasks, return values and exceptions.
# same-on-cpython-fast_io
import asyncio


async def worker(name, n, ms):
    for i in range(n):
        print(name, i)
        if ms:
            await asyncio.sleep_ms(ms)
        else:
            await asyncio.sleep(0)
    return name + " done"


async def failing():
    await asyncio.sleep_ms(3)
    raise ValueError("failing")


async def main():
    ts = [asyncio.create_task(worker(c, 3, 0)) for c in "abc"]
    for t in ts:
        print(await t)
    slow = asyncio.create_task(worker("slow", 3, 20))
    fast = asyncio.create_task(worker("fast", 4, 7))
    print(await fast, await slow)
    try:
        await asyncio.create_task(failing())
    except ValueError as e:
        print("caught", e)
    t = asyncio.create_task(worker("late", 1, 0))
    await asyncio.sleep_ms(5)
    print("done() of a finished task", t.done(), await t)
    return "main done"


print(asyncio.run(main()))
