# Barrier: cycles, trigger(), busy(), callbacks and coroutines, cancellation of a waiter.
import asyncio

import ptest
from ptest import test

from asyn import Barrier


async def _settle():
    for _ in range(5):
        await asyncio.sleep(0)


@test
async def releases_all_when_the_set_completes_cycle_after_cycle():
    calls = []
    bar = Barrier(3, lambda tag: calls.append(tag) or len(calls), ("done",))
    log = []

    async def member(n):
        for cycle in range(3):
            log.append(("arrive", cycle, n))
            await bar
            log.append(("leave", cycle, n))

    tasks = [asyncio.create_task(member(n)) for n in range(3)]
    for t in tasks:
        await t
    ptest.eq(calls, ["done"] * 3, "callback per cycle")
    ptest.eq(bar.result(), 3, "result of the last callback")
    for cycle in range(3):  # nobody leaves a cycle before everyone arrived in it
        arrivals = [i for i, e in enumerate(log) if e[:2] == ("arrive", cycle)]
        leaves = [i for i, e in enumerate(log) if e[:2] == ("leave", cycle)]
        ptest.eq(len(leaves), 3, "leaves in cycle %d" % cycle)
        assert max(arrivals) < min(leaves), log


@test
async def trigger_counts_without_waiting_and_busy_reports_a_partial_set():
    bar = Barrier(2)
    ptest.eq(bar.busy(), False, "busy at start")
    t = asyncio.create_task(bar.wait())
    await _settle()
    ptest.eq(bar.busy(), True, "busy with one arrived")
    bar.trigger()
    await asyncio.wait_for(t, 1)
    ptest.eq(bar.busy(), False, "busy after completion")


@test
async def a_coroutine_callback_is_launched():
    ran = []

    async def on_complete():
        ran.append(1)

    bar = Barrier(1, on_complete)
    await bar
    await bar.result()
    ptest.eq(ran, [1], "coroutine ran")


@test
async def a_cancelled_waiter_no_longer_counts():
    bar = Barrier(2)
    t = asyncio.create_task(bar.wait())
    await _settle()
    t.cancel()
    await _settle()
    ptest.eq(bar.busy(), False, "busy after the cancellation")
    await ptest.araises(asyncio.TimeoutError, asyncio.wait_for(bar.wait(), 0.02))
    ptest.eq(bar.busy(), False, "busy after a timeout")
    t = asyncio.create_task(bar.wait())
    await _settle()
    bar.trigger()
    await asyncio.wait_for(t, 1)


@test
def needs_a_participant():
    ptest.raises(ValueError, Barrier, 0)


ptest.main()
