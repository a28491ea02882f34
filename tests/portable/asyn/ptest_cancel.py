# Cancellable, NamedTask, the cancellable decorator, groups, cancel_all and barriers.
import asyncio

import ptest
from ptest import test

from asyn import Barrier, Cancellable, NamedTask, cancel_all, cancellable


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


def _worker(log):
    async def worker(n, pause=0.05):
        try:
            while True:
                await asyncio.sleep(pause)
        finally:
            await asyncio.sleep(0.01)  # cleanup that takes time
            log.append(("ended", n))

    return worker


@test
async def cancel_all_cancels_a_group_and_waits_for_the_ends():
    log = []
    worker = _worker(log)
    for n in range(3):
        asyncio.create_task(Cancellable(worker, n, group=1)())
    asyncio.create_task(Cancellable(worker, "other", group=2)())
    await _settle()
    ptest.eq(Cancellable.running(1), 3, "running in group 1")
    ptest.eq(await Cancellable.cancel_all(group=1), 3, "cancelled")
    ptest.eq(sorted(log), [("ended", 0), ("ended", 1), ("ended", 2)], "ended (cleanup done)")
    ptest.eq(Cancellable.running(1), 0, "running in group 1 after")
    ptest.eq(Cancellable.running(2), 1, "group 2 untouched")
    await cancel_all(2, nowait=True)
    ptest.eq(len(log), 3, "nowait returned before the cleanup")
    await asyncio.sleep(0.05)
    ptest.eq(log[-1], ("ended", "other"), "group 2 ended")


@test
async def a_directly_awaited_cancellable_returns_none_to_its_caller():
    log = []
    worker = _worker(log)
    results = []

    async def caller():
        results.append(await Cancellable(worker, "direct", group=3)())
        results.append("caller carried on")

    t = asyncio.create_task(caller())
    await _settle()
    await cancel_all(3)
    await asyncio.wait_for(t, 1)
    ptest.eq(results, [None, "caller carried on"], "results")

    async def quick(x):
        return x + 1

    ptest.eq(await Cancellable(quick, 1)(), 2, "result of one that finished")


@test
async def cancelling_the_caller_still_cancels_the_cancellable():
    log = []
    worker = _worker(log)

    async def caller():
        await Cancellable(worker, "inner", group=4)()

    t = asyncio.create_task(caller())
    await _settle()
    t.cancel()
    await ptest.araises(asyncio.CancelledError, t)
    await asyncio.sleep(0.05)
    ptest.eq(log, [("ended", "inner")], "inner ended")
    ptest.eq(Cancellable.running(4), 0, "running")


@test
async def named_tasks_by_name_with_a_barrier():
    log = []
    worker = _worker(log)
    bar = Barrier(3)
    asyncio.create_task(NamedTask("a", worker, "a", barrier=bar)())
    asyncio.create_task(NamedTask("b", worker, "b", barrier=bar)())
    await _settle()
    ptest.eq(NamedTask.is_running("a"), True, "a running")
    ptest.eq(await NamedTask.cancel("a"), True, "cancel a")
    ptest.eq(await NamedTask.cancel("b"), True, "cancel b")
    ptest.eq(await NamedTask.cancel("nobody"), False, "cancel an unknown name")
    await asyncio.wait_for(bar.wait(), 1)  # both triggered it as they ended
    ptest.eq(sorted(log), [("ended", "a"), ("ended", "b")], "ended")
    ptest.eq(NamedTask.is_running("a"), False, "a running after")
    asyncio.create_task(NamedTask("c", worker, "c")())
    await _settle()
    await ptest.araises(ValueError, NamedTask("c", worker, "c2")())
    ptest.eq(await NamedTask.cancel("c", nowait=False), True, "cancel c")
    ptest.eq(log[-1], ("ended", "c"), "c ended before cancel returned")


@test
async def the_decorator_puts_calls_in_a_group():
    log = []

    @cancellable
    async def job(n):
        try:
            await asyncio.sleep(10)
        finally:
            log.append(n)

    asyncio.create_task(job(1))
    asyncio.create_task(job(2, group=5))
    await _settle()
    ptest.eq(await cancel_all(5), 1, "group 5")
    ptest.eq(log, [2], "ended")
    ptest.eq(await cancel_all(), 1, "group 0")
    ptest.eq(sorted(log), [1, 2], "ended")


@test
async def named_tasks_and_cancellables_are_awaited_without_the_call():
    log = []

    async def job(name, ms):
        try:
            await asyncio.sleep(ms / 1000)
            return name
        finally:
            log.append(name)

    ptest.eq(await Cancellable(job, "plain", 1), "plain", "await Cancellable(...)")
    ptest.eq(await NamedTask("n", job, "n", 1), "n", "await NamedTask(...)")

    async def awaits_directly():
        return await NamedTask("long", job, "long", 10000)

    t = asyncio.create_task(awaits_directly())
    await asyncio.sleep(0.01)
    ptest.eq(NamedTask.is_running("long"), True, "is_running for a directly awaited task")
    ptest.eq(await NamedTask.cancel("long", nowait=False), True, "cancel(name)")
    ptest.eq(NamedTask.is_running("long"), False, "ended")
    ptest.eq(await t, None, "the awaiting task carries on")
    ptest.eq(log, ["plain", "n", "long"], "cleanup ran")


ptest.main()
