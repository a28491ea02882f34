# devmodels.clock.running() before, inside and after a loop, and the power model's ticks in
# the scheduler's timer heap: the two things MicroPython 1.21 to 1.23 got wrong for the models.
import sys

import asyncio

import ptest
from devmodels import clock
from devmodels.power import PYBOARD, TICKS_PERIOD, Board
from ptest import eq, test

MICROPYTHON = sys.implementation.name == "micropython"


@test
def running_only_inside_a_loop():
    seen = []

    async def main():
        seen.append(clock.running())
        await clock.sleep_ms(1)
        seen.append(clock.running())
        return clock.running()

    before = clock.running()
    inside = asyncio.run(main())
    # 1.21 and 1.22 go on returning the finished main task as the current one: not running.
    after = clock.running()
    asyncio.run(main())
    eq((before, seen, inside, after, clock.running()), (False, [True] * 4, True, False, False))


@test
def power_model_ticks_order_in_the_timer_heap_across_the_wrap():
    # The scheduler keys its timer heap with the clock lowpower gives it, the model's here.
    # Up to 1.23 a modulo by the 64-bit unix port's period (2**62, a long int) left long-int
    # objects that the C heap read as garbage: a deadline pushed later sorted after a far one.
    b = Board(PYBOARD, ticks_start=(TICKS_PERIOD or 10000) - 2500)
    tm = b.time
    t0 = tm.ticks_ms()
    b.idle(3000)  # across the wrap
    t1 = tm.ticks_ms()
    # The scheduler round after the wait (profile.round_us) passes before the tick is read.
    eq(tm.ticks_diff(t1, t0), 3000 + PYBOARD.round_us // 1000, "3 s across the wrap")
    if TICKS_PERIOD:
        eq(t1 < t0, True, "wrapped")
    if not MICROPYTHON:
        return  # CPython: no C heap, no wrap (plain integers)
    try:
        from _asyncio import Task, TaskQueue
    except ImportError:  # 1.20: no C heap
        return

    async def nothing():
        pass

    q = TaskQueue()
    near, far = Task(nothing()), Task(nothing())
    q.push(near, tm.ticks_add(t1, 300))
    q.push(far, tm.ticks_add(t1, 1000))
    eq(q.pop() is near, True, "the nearer deadline first")
    q.push(near, tm.ticks_add(t1, 600))
    eq(q.peek() is near, True, "a deadline pushed later but due sooner comes first")
    eq(tm.ticks_diff(q.peek().ph_key, t1), 600, "its key")


ptest.main()
