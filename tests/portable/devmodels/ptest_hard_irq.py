# runtimes: mp-asyncio mp-fast_io
# check_hard_irqs(): on MicroPython a hard irq handler runs with the heap locked, as on a board,
# so one that allocates fails at the edge that fired it. (CPython has no heap lock.)
import ptest
from devmodels.machine import Pin, check_hard_irqs, reset
from ptest import eq, raises, test


@test
def a_hard_handler_that_allocates_fails():
    reset()
    eq(check_hard_irqs(), True, "on")
    pin = Pin(0, Pin.IN, Pin.PULL_UP)
    got = []
    pin.irq(lambda p: got.append([p.value()]), Pin.IRQ_FALLING, hard=True)  # a new list
    raises(MemoryError, Pin(0).drive, 0)
    eq(got, [], "nothing recorded")
    Pin(0).undrive()
    pin.irq(lambda p: got.append([p.value()]), Pin.IRQ_FALLING)  # soft: allowed
    Pin(0).drive(0)
    eq(got, [[0]], "a soft handler may allocate")


@test
def a_hard_handler_that_records_into_a_buffer_is_fine():
    reset()
    check_hard_irqs()
    buf = bytearray(4)
    count = [0]

    def handler(p):
        buf[count[0]] = p.value()  # preallocated: no allocation
        count[0] += 1

    pin = Pin(1, Pin.IN, Pin.PULL_UP)
    pin.irq(handler, Pin.IRQ_FALLING | Pin.IRQ_RISING, hard=True)
    Pin(1).drive(0)
    Pin(1).undrive()
    eq((count[0], bytes(buf[:2])), (2, b"\x00\x01"), "both edges recorded")
    reset()
    eq(check_hard_irqs(False), False, "reset() turned it off")


ptest.main()
