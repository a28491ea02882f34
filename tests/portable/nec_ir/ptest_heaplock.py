# runtimes: mp-asyncio mp-fast_io
# The pin interrupt handler allocates nothing: it runs under micropython.heap_lock() (where any
# allocation raises MemoryError) for every kind of edge: the first of a burst (which sets the
# ThreadSafeFlag), the ones inside a frame, and those past a full frame. The edges come at a
# frame's real pace (busy-waiting on time.ticks_us), so the burst decodes afterwards.
import asyncio

import micropython
import ptest
from devmodels.machine import Pin
from devmodels.nec import frame
from ptest import eq, test

from aremote import OVERRUN, NEC_IR


def play_locked(handler, pin, edges):
    # Each edge at its time after the first; the handler alone runs with the heap locked.
    from time import ticks_add, ticks_diff, ticks_us

    t0 = ticks_add(ticks_us(), 200)
    failures = 0
    for e in edges:
        due = ticks_add(t0, e)
        while ticks_diff(due, ticks_us()) > 0:
            pass
        micropython.heap_lock()
        try:
            handler(pin)
        except MemoryError:
            failures += 1
        finally:
            micropython.heap_unlock()
    return failures


async def results(got, n):
    for _ in range(100):
        if len(got) >= n:
            break
        await asyncio.sleep_ms(5)


@test
async def handler_allocates_nothing():
    pin = Pin("ir-heap", Pin.IN)
    got = []
    ir = NEC_IR(pin, lambda data, addr: got.append((data, addr)), False)
    handler = ir._irq  # the bound method the pin holds (made once, outside the lock)
    edges = frame(0x31, 0x32)
    eq(play_locked(handler, pin, edges), 0, "MemoryErrors in a frame")
    await results(got, 1)
    # Past a full frame: the overflow slot and the counter.
    eq(play_locked(handler, pin, edges + [edges[-1] + 600, edges[-1] + 1200]), 0, "overflow")
    await results(got, 2)
    ir.deinit()
    eq(got[1], (OVERRUN, 0), "the frame with two extra edges")
    if got[0] != (0x32, 0x31) and got[0][0] >= 0:
        raise AssertionError("wrong key %r" % (got[0],))
    print("frame decoded as", got[0])


@test
def the_lock_does_catch_an_allocation():
    # The check above can fail: an allocating handler does raise under the lock.
    def allocating(pin):
        return [pin]

    eq(play_locked(allocating, None, [0, 600]), 2, "MemoryErrors")


ptest.main()
