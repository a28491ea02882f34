# runtimes: mp-asyncio mp-fast_io
# as_tGPS: the PPS interrupt handler, get_ms() and get_t_split() allocate nothing: they run
# with MicroPython's heap locked (any allocation raises MemoryError), with a fractional local
# offset (a float multiplication in the handler would allocate) and the board's own clock.
import devmodels
import micropython
import ptest
from devmodels.gps import sentence
from devmodels.machine import Pin, reset
from ptest import eq, test

from as_tGPS import GPS_Timer

devmodels.install()
PPS = 7


@test
def the_interrupt_handler_allocates_nothing():
    reset()
    timer = GPS_Timer(None, Pin(PPS, Pin.IN), 5.5)  # the board's own clock: time.ticks_us
    timer.update(sentence("GPRMC,120000.00,A,4807.038,N,01131.000,E,0.0,0.0,150624,,,A"))
    eq(timer.utc, (12, 0, 0.0), "a time")
    timer._isr(None)  # once, as a warm-up
    timer._last_utc = -1
    micropython.heap_lock()
    try:
        timer._isr(None)
        timer.get_ms()
        timer.get_t_split()
    finally:
        micropython.heap_unlock()
    eq(timer.t_ms, (17 * 3600 + 30 * 60 + 1) * 1000, "local time of the edge after 12:00:00")
    timer.close()


@test
def the_heap_lock_catches_an_allocation():
    x = 5.5
    caught = []
    micropython.heap_lock()
    try:
        x = x * 3600000
    except MemoryError:
        caught.append(1)
    finally:
        micropython.heap_unlock()
    eq(caught, [1], "a float multiplication under the heap lock raised MemoryError")


ptest.main()
