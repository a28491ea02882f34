# No primitive polls: tasks waiting on every primitive are not resumed at all until they are
# woken, so an application whose tasks all wait uses no CPU.
#
# Each waiting task runs its coroutine through Counted, which counts how often the scheduler
# resumes it (every send or throw). A parked waiter is resumed once to start and once when
# woken; a polling one would be resumed again and again during the quiet period. On CPython
# the loop's own iterations during the quiet period are counted too.
import asyncio

import ptest
from ptest import test

from asyn import (
    Barrier,
    Condition,
    Delay_ms,
    Event,
    Lock,
    Message,
    Queue,
    RingbufQueue,
    Semaphore,
    WaitAny,
)


class Counted:
    """A coroutine wrapper that counts how often the scheduler resumes it."""

    def __init__(self, coro):
        self.coro = coro
        self.resumed = 0

    def send(self, v):
        self.resumed += 1
        return self.coro.send(v)

    def throw(self, *exc):
        self.resumed += 1
        return self.coro.throw(*exc)

    def close(self):
        return self.coro.close()

    def __next__(self):
        return self.send(None)

    def __iter__(self):
        return self

    def __await__(self):
        return self


class CountedDelay(Delay_ms):
    def _start(self):
        self.counted = Counted(self._run())
        self._task = asyncio.create_task(self.counted)


QUIET = 0.3  # seconds during which nothing may run


@test
async def waiting_tasks_are_not_resumed_until_woken():
    lock, sem, cond = Lock(), Semaphore(0), Condition()
    ev, msg, bar = Event(), Message(), Barrier(3)
    q, full = Queue(), Queue(1)
    ring = RingbufQueue([0] * 4)
    await lock.acquire()
    full.put_nowait(0)

    async def in_condition():
        async with cond:
            await cond.wait()

    waits = {
        "Lock.acquire": lock.acquire(),
        "Semaphore.acquire": sem.acquire(),
        "Condition.wait": in_condition(),
        "Event.wait": ev.wait(),
        "Message.wait (listener)": msg.wait(),
        "Message.wait (follower)": msg.wait(),
        "Barrier.wait": bar.wait(),
        "Queue.get": q.get(),
        "Queue.put": full.put(1),
        "Queue.join": full.join(),
        "RingbufQueue.get": ring.get(),
        "WaitAny.wait": WaitAny((Event(), Event())).wait(),
    }
    counted = {name: Counted(coro) for name, coro in waits.items()}
    tasks = {name: asyncio.create_task(c) for name, c in counted.items()}
    idle_timer = CountedDelay(duration=50)
    busy_timer = CountedDelay(duration=int(QUIET * 500))
    busy_timer.trigger()

    loop_rounds = None
    loop = asyncio.get_running_loop() if hasattr(asyncio, "get_running_loop") else None
    if loop is not None and hasattr(loop, "_run_once"):  # CPython: count loop iterations
        run_once = loop._run_once
        loop_rounds = [0]

        def counting():
            loop_rounds[0] += 1
            run_once()

        loop._run_once = counting
    await asyncio.sleep(QUIET)
    if loop_rounds is not None:
        del loop._run_once

    for name, c in counted.items():
        ptest.eq(c.resumed, 1, name + ": resumptions while waiting")
    ptest.eq(idle_timer.counted.resumed, 1, "idle Delay_ms task resumptions")
    # A running timer: started, woken by trigger(), woken at expiry.
    assert busy_timer.counted.resumed <= 4, busy_timer.counted.resumed
    ptest.eq(busy_timer.is_set(), True, "running timer expired")
    if loop_rounds is not None:
        # Our sleep, the timer's trigger and expiry, a few bookkeeping rounds: not hundreds.
        assert loop_rounds[0] < 20, loop_rounds[0]

    # Everything wakes when its event happens.
    lock.release()
    sem.release()
    async with cond:
        cond.notify()
    ev.set()
    msg.set(1)
    bar.trigger()
    bar.trigger()
    q.put_nowait(1)
    full.get_nowait()
    full.task_done()
    ring.put_nowait(1)
    await asyncio.sleep(0.01)
    full.get_nowait()
    full.task_done()
    for name, t in tasks.items():
        if name != "WaitAny.wait":
            await asyncio.wait_for(t, 1)
    tasks["WaitAny.wait"].cancel()
    idle_timer.deinit()
    busy_timer.deinit()


ptest.main()
