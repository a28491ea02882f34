# Delay_ms: expiry, retrigger, stop, callbacks and coroutines, wait(), interrupt-safe trigger.
import asyncio

import ptest
from ptest import test

from asyn import Delay_ms
from asyn._compat import ticks_diff, ticks_ms

SLACK = 100  # ms of scheduling slack allowed on a busy test machine


async def _within(aw, seconds=2):
    # Guard every wait, so a broken timer fails the test instead of hanging it.
    return await asyncio.wait_for(aw, seconds)


@test
async def expires_once_after_the_duration_and_calls_back_with_args():
    calls = []
    d = Delay_ms(lambda a, b: calls.append((a, b)) or "ret", ("x", 2), duration=80)
    ptest.eq(d.running(), False, "running before trigger")
    t0 = ticks_ms()
    d.trigger()
    ptest.eq(d.running(), True, "running after trigger")
    await _within(d.wait())
    dt = ticks_diff(ticks_ms(), t0)
    assert 80 <= dt < 80 + SLACK, dt
    ptest.eq(calls, [("x", 2)], "callback calls")
    ptest.eq(d.running(), False, "running after expiry")
    ptest.eq(d(), False, "__call__ after expiry")
    ptest.eq(d.rvalue(), "ret", "rvalue")
    await asyncio.sleep_ms(120) if hasattr(asyncio, "sleep_ms") else await asyncio.sleep(0.12)
    ptest.eq(len(calls), 1, "calls after waiting longer")
    d.deinit()


@test
async def retrigger_extends_without_a_second_expiry():
    calls = []
    d = Delay_ms(lambda: calls.append(ticks_ms()), duration=100)
    task = d._task
    t0 = ticks_ms()
    d.trigger()
    for _ in range(5):  # keep it alive for ~250 ms
        await asyncio.sleep(0.05)
        d.trigger()
        ptest.eq(calls, [], "expired while being retriggered")
    await _within(d.wait())
    dt = ticks_diff(calls[0], t0)
    assert 350 <= dt < 350 + SLACK, dt
    ptest.eq(len(calls), 1, "expiries")
    assert d._task is task, "a second timer task was started"
    d.deinit()


@test
async def a_shorter_trigger_brings_the_expiry_forward():
    d = Delay_ms(duration=1000)
    d.trigger()
    await asyncio.sleep(0.02)
    t0 = ticks_ms()
    d.trigger(50)
    await _within(d.wait())
    dt = ticks_diff(ticks_ms(), t0)
    assert 50 <= dt < 50 + SLACK, dt
    d.deinit()


@test
async def stop_cancels_the_expiry_and_a_new_trigger_runs_from_then():
    calls = []
    d = Delay_ms(lambda: calls.append(1), duration=60)
    d.trigger(500)
    await asyncio.sleep(0.03)
    d.stop()
    ptest.eq(d.running(), False, "running after stop")
    await asyncio.sleep(0.1)
    ptest.eq(calls, [], "callback after stop")
    t0 = ticks_ms()
    d.trigger()  # 60 ms, although the stopped run would have ended at 500 ms
    await _within(d.wait())
    dt = ticks_diff(ticks_ms(), t0)
    assert 60 <= dt < 60 + SLACK, dt
    ptest.eq(calls, [1], "callback after the new trigger")
    d.deinit()


@test
async def a_coroutine_callback_is_launched_as_a_task():
    got = []

    async def on_expiry(v):
        await asyncio.sleep(0)
        got.append(v)
        return v * 2

    d = Delay_ms(on_expiry, (21,), duration=30)
    d.trigger()
    await _within(d.wait())
    task = d.rvalue()
    ptest.eq(await task, 42, "task result")
    ptest.eq(got, [21], "coroutine ran")
    d.callback(lambda: "plain")
    d.trigger(10)
    await _within(d.wait())
    ptest.eq(d.rvalue(), "plain", "rvalue after callback()")
    d.deinit()


@test
async def wait_is_event_style_and_wakes_every_waiter():
    d = Delay_ms(duration=40)
    woke = []

    async def waiter(n):
        await d.wait()
        woke.append(n)

    tasks = [asyncio.create_task(waiter(n)) for n in range(3)]
    await asyncio.sleep(0)
    ptest.eq(woke, [], "woken before trigger")
    d.trigger()
    for t in tasks:
        await _within(t)
    ptest.eq(woke, [0, 1, 2], "waiters, in order")
    ptest.eq(d.is_set(), True, "is_set after expiry")
    await _within(d.wait())  # already expired: returns at once
    d.clear()
    ptest.eq(d.is_set(), False, "is_set after clear")
    d.trigger()
    ptest.eq(d.is_set(), False, "is_set after trigger")
    await _within(d.wait())
    d.deinit()


@test
async def a_failing_callback_leaves_the_timer_working():
    calls = []

    def bad():
        calls.append(1)
        raise ValueError("callback failed on purpose")

    d = Delay_ms(bad, duration=20)
    d.trigger()
    await _within(d.wait())
    d.trigger()
    await _within(d.wait())
    ptest.eq(calls, [1, 1], "callback calls")
    d.deinit()


@test
async def the_callback_may_retrigger_its_own_timer():
    count = []
    d = Delay_ms(duration=20)

    def again():
        count.append(1)
        if len(count) < 3:
            d.trigger()

    d.callback(again)
    d.trigger()
    while len(count) < 3:
        await _within(d.wait())
        d.clear()
    await asyncio.sleep(0.06)
    ptest.eq(len(count), 3, "expiries")
    ptest.eq(d.running(), False, "running")
    d.deinit()


@test
async def trigger_and_stop_allocate_nothing():
    # A hard interrupt handler runs with the heap locked: model that on MicroPython.
    try:
        from micropython import heap_lock, heap_unlock
    except ImportError:
        heap_lock = heap_unlock = lambda: None
    d = Delay_ms(duration=50)
    await asyncio.sleep(0)
    heap_lock()
    try:
        d.trigger()  # from idle: sets the flag
        d.trigger(30)  # shorter: sets the flag again
        d.trigger(200)  # longer
        d.stop()
        d.trigger()
        running = d.running()
    finally:
        heap_unlock()
    ptest.eq(running, True, "running")
    await _within(d.wait())
    d.deinit()


@test
def built_before_the_loop_runs():
    # Common on CPython: a timer made at import time, whose task starts at the first trigger.
    # (On MicroPython the task is queued at once, and the fresh loop that each test gets
    # drops it: there, as documented, timers are built while the loop runs.)
    if ptest.IS_MICROPYTHON:
        ptest.skip("MicroPython: timers are built while the loop runs")
    fired = []
    d = Delay_ms(lambda: fired.append(1), duration=20)

    async def main():
        d.trigger()
        await _within(d.wait())

    asyncio.run(main())
    ptest.eq(fired, [1], "fired")
    # asyncio.run ended the timer's task with its loop: the next run's trigger starts another.
    asyncio.run(main())
    ptest.eq(fired, [1, 1], "fired in a second run")
    d.deinit()


@test
async def deinit_ends_the_task():
    d = Delay_ms(lambda: None, duration=20)
    task = d._task
    d.trigger()
    d.deinit()
    await asyncio.sleep(0.05)
    ptest.eq(task.done(), True, "task done")
    ptest.eq(d.running(), False, "running")
    d.trigger()  # ignored: no task is started again
    ptest.eq(d.running(), False, "running after a trigger following deinit")
    ptest.eq(d._task, False, "task after deinit")


@test
async def the_callback_may_deinit_its_own_timer():
    # The callback runs in the timer's own task, which MicroPython and fast_io cannot cancel
    # ("can't cancel self"): deinit() must still end the timer for good.
    calls = []
    d = None

    def cb():
        calls.append(1)
        d.deinit()

    d = Delay_ms(cb, duration=20)
    task = d._task
    d.trigger()
    await asyncio.sleep(0.1)
    ptest.eq(calls, [1], "calls after the first expiry")
    ptest.eq(d._task, False, "task after deinit")
    d.trigger()  # ignored
    await asyncio.sleep(0.1)
    ptest.eq(calls, [1], "calls after a trigger following deinit")
    ptest.eq(task.done(), True, "task done")


ptest.main()
