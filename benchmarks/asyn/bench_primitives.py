# Round trips per second between two tasks, for asyn's Event, Lock, Queue and Semaphore and
# for the running scheduler's own Event and Lock (and CPython's Queue and Semaphore), in one
# process so the ratios compare like with like. Run it through run.py, or directly:
#     micropython benchmarks/asyn/bench_primitives.py      (asyn on MICROPYPATH)
# Prints one line per benchmark: name, round trips/s, bytes allocated per round trip
# (MicroPython only; -1 elsewhere).
import sys

if "fast_io" in sys.argv[1:]:
    import fast_io

    fast_io.install()

import asyncio

import asyn

try:
    from micropython import mem_total
except ImportError:
    mem_total = None

try:
    from time import ticks_diff, ticks_us

    def elapsed_s(t0):
        return ticks_diff(ticks_us(), t0) / 1e6

    now = ticks_us
except ImportError:
    from time import perf_counter as now

    def elapsed_s(t0):
        return now() - t0


N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5000


async def event_rt(make, n):
    a, b = make(), make()

    async def other():
        for _ in range(n):
            await a.wait()
            a.clear()
            b.set()

    t = asyncio.create_task(other())
    await asyncio.sleep(0)
    for _ in range(n):
        a.set()
        await b.wait()
        b.clear()
    await t


async def lock_rt(make, n):
    # Two tasks take the lock in turn: each release hands it to the other.
    lock = make()

    async def worker():
        for _ in range(n):
            await lock.acquire()
            lock.release()

    await lock.acquire()
    t1 = asyncio.create_task(worker())
    t2 = asyncio.create_task(worker())
    await asyncio.sleep(0)
    lock.release()
    await t1
    await t2


async def queue_rt(make, n):
    q1, q2 = make(), make()

    async def other():
        for _ in range(n):
            q2.put_nowait(await q1.get())

    t = asyncio.create_task(other())
    await asyncio.sleep(0)
    for i in range(n):
        q1.put_nowait(i)
        await q2.get()
    await t


async def semaphore_rt(make, n):
    s1, s2 = make(), make()

    async def other():
        for _ in range(n):
            await s1.acquire()
            s2.release()

    t = asyncio.create_task(other())
    await asyncio.sleep(0)
    for _ in range(n):
        s1.release()
        await s2.acquire()
    await t


def _run(bench, make, n):
    m0 = mem_total() if mem_total else 0
    t0 = now()
    asyncio.run(bench(make, n))
    dt = elapsed_s(t0)
    return dt, (mem_total() - m0) if mem_total else 0


def measure(name, bench, make):
    _run(bench, make, 50)  # warm up: imports, first allocations
    _, small = _run(bench, make, 50)
    dt, big = _run(bench, make, N)
    # Bytes per round trip, without the fixed cost of starting a loop and its tasks.
    per = (big - small) // (N - 50) if mem_total else -1
    print("%s %d %d" % (name, N / dt, per))


def main():
    measure("Event/scheduler", event_rt, asyncio.Event)
    measure("Event/asyn", event_rt, asyn.Event)
    measure("Lock/scheduler", lock_rt, asyncio.Lock)
    measure("Lock/asyn", lock_rt, asyn.Lock)
    if hasattr(asyncio, "Queue"):
        measure("Queue/scheduler", queue_rt, asyncio.Queue)
    measure("Queue/asyn", queue_rt, asyn.Queue)
    if hasattr(asyncio, "Semaphore"):
        measure("Semaphore/scheduler", semaphore_rt, lambda: asyncio.Semaphore(0))
    measure("Semaphore/asyn", semaphore_rt, lambda: asyn.Semaphore(0))


main()
