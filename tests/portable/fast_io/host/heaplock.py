# Run by tests/test_fast_io_heap.py on the real MicroPython: a loop of tasks using sleep_ms(int),
# sleep(0), Event set/wait, ThreadSafeFlag and stream readiness with the heap locked. Any
# allocation raises MemoryError; the script prints the bytes requested per round.
import io

import micropython

import fast_io as asyncio

ROUNDS = 200


class Dev(io.IOBase):
    def __init__(self):
        self.ready = 0

    def ioctl(self, req, arg):
        return self.ready * arg if req == 3 else -1


counter = [0]
finished = asyncio.Event()
go_home = asyncio.Event()


def done():
    # A plain function returning a door: calling a coroutine function would allocate.
    counter[0] -= 1
    if not counter[0]:
        finished.set()
    return go_home.wait()


async def sleeper():
    for _ in range(ROUNDS // 10):
        await asyncio.sleep_ms(1)
    await done()


async def yielder():
    for _ in range(ROUNDS):
        await asyncio.sleep(0)
        await asyncio.sleep_ms(0)
    await done()


async def ping(e_in, e_out):
    for _ in range(ROUNDS):
        e_out.set()
        await e_in.wait()
        e_in.clear()
    e_out.set()
    await done()


async def flag_waiter(flag):
    for _ in range(ROUNDS):
        await flag.wait()
    await done()


async def flag_setter(flag):
    for _ in range(ROUNDS):
        flag.set()
        while flag.state:  # a flag, not a counter: wait until the waiter took it
            await asyncio.sleep(0)
    await done()


async def io_waiter(dev):
    q = asyncio.core._io_queue
    for _ in range(ROUNDS):
        await q.queue_read(dev)
        dev.ready = 0
    await done()


async def low_priority():
    for _ in range(ROUNDS // 10):
        await asyncio.after_ms(0)
    await done()


async def io_feeder(dev):
    for _ in range(ROUNDS):
        dev.ready = 1
        while dev.ready:
            await asyncio.sleep(0)
    await done()


async def measure(tasks, lock):
    # Bytes requested while the started tasks run until `finished` (with the heap locked if
    # `lock`: any allocation then raises MemoryError); then let them end.
    m0 = micropython.mem_total()
    if lock:
        micropython.heap_lock()
    try:
        await finished.wait()
    finally:
        if lock:
            micropython.heap_unlock()
    m1 = micropython.mem_total()
    go_home.set()
    for t in tasks:
        await t
    return m1 - m0


async def main(lock):
    e1, e2 = asyncio.Event(), asyncio.Event()
    flag = asyncio.ThreadSafeFlag()
    dev = Dev()
    coros = [
        sleeper(),
        yielder(),
        ping(e1, e2),
        ping(e2, e1),
        flag_waiter(flag),
        flag_setter(flag),
        io_waiter(dev),
        io_feeder(dev),
        low_priority(),
    ]
    counter[0] = len(coros)
    finished.clear()
    go_home.clear()
    tasks = [asyncio.create_task(c) for c in coros]
    asyncio.max_overdue_ms(1)  # the low-priority task is forced in among the busy ones
    await asyncio.sleep_ms(0)  # every task has started
    return await measure(tasks, lock)


async def idle_sleepers(lock):
    # Only sleepers: the loop goes idle between wake-ups (the poller's wait, the sleeps).
    async def nap():
        for _ in range(10):
            await asyncio.sleep_ms(2)
        counter[0] -= 1
        if not counter[0]:
            finished.set()
        await go_home.wait()

    counter[0] = 5
    finished.clear()
    go_home.clear()
    tasks = [asyncio.create_task(nap()) for _ in range(5)]
    await asyncio.sleep_ms(0)
    return await measure(tasks, lock)


asyncio.run(idle_sleepers(False))
print("idle bytes", asyncio.run(idle_sleepers(True)))
asyncio.run(main(False))  # warm up: first-use allocations (dict slots, list growth)
print("bytes", asyncio.run(main(False)))
print("locked bytes", asyncio.run(main(True)))
print("io waiters left", asyncio.core._io_queue.n)


async def idle_sockets(lock):
    # I/O priority on, three tasks waiting on sockets that never become readable: the loop
    # polls them before every task while yielders switch.
    import socket

    socks = []

    async def wait(s):
        try:
            await asyncio.StreamReader(s).read(1)
        except asyncio.CancelledError:
            pass

    waiters = []
    for _ in range(3):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(socket.getaddrinfo("127.0.0.1", 0)[0][-1])
        s.setblocking(False)
        socks.append(s)
        waiters.append(asyncio.create_task(wait(s)))
    counter[0] = 2
    finished.clear()
    go_home.clear()
    tasks = [asyncio.create_task(yielder()) for _ in range(2)]
    await asyncio.sleep_ms(1)
    n = await measure(tasks, lock)
    for t in waiters:
        t.cancel()
    await asyncio.sleep_ms(1)
    for s in socks:
        s.close()
    return n


asyncio.set_io_priority(True)
asyncio.run(idle_sockets(False))
print("io priority locked bytes", asyncio.run(idle_sockets(True)))
asyncio.set_io_priority(False)
