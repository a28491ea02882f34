# runtimes: mp-asyncio cpy-asyncio
# as_tGPS on the real-time schedulers (MicroPython's and CPython's asyncio): the PPS model on
# a devmodels pin, the NMEA on a devmodels UART, a board clock with a known drift. Every edge
# comes as late as the scheduler runs the model, so the bounds here are loose; the accuracy
# itself is measured in virtual time by ptest_pps.py. (set_rtc() and delta() run in real time
# in the README example, tests/test_gps_pps.py.)
import asyncio

import devmodels
import ptest
from devmodels import clock
from devmodels.gps import GPSReceiver
from devmodels.machine import UART, Pin, reset
from devmodels.uart import stream
from ptest import eq, test

from as_tGPS import GPS_Timer

devmodels.install()
PPS = 7


class DriftingClock:
    def __init__(self, ppm):
        self.factor = 1 + ppm / 1000000
        self.t0 = clock.now_ms()

    def ticks_us(self):
        return int(clock.diff_ms(clock.now_ms(), self.t0) * 1000 * self.factor)

    @staticmethod
    def ticks_diff(a, b):
        return a - b


@test
async def timing_on_a_real_time_scheduler():
    reset()
    uart = UART(1, baudrate=38400)
    rx = GPSReceiver(uart.peer, pps=Pin(PPS), time=(8, 0, 0))
    rx.rates["GSV"] = 0
    edges = []
    timer = GPS_Timer(
        stream(uart),
        Pin(PPS, Pin.IN),
        -3.5,
        pps_cb=lambda tm: edges.append(tm.t_ms),
        clock=DriftingClock(500),
    )
    t0 = clock.now_ms()
    task = asyncio.create_task(rx.run())
    await timer.ready()
    eq(timer.t_ms % 1000, 0, "an edge on a whole second")
    ppm = await timer.calibrate(1)
    # Each edge is as late as the loop runs the model: 1 ms of difference between the two
    # edges' lateness is 1000 ppm here, so only the order of magnitude is checked (a unit
    # error would be off by 10^3 or more).
    if not (-100000 < ppm - 500 < 100000):
        raise AssertionError("calibrate: %r ppm, want about 500" % ppm)
    true_ms = (8 * 3600000 - 3500 * 3600 + clock.diff_ms(clock.now_ms(), t0)) % 86400000
    if abs(timer.get_ms() - true_ms) > 200:
        raise AssertionError("get_ms %d, want about %d" % (timer.get_ms(), true_ms))
    h, m, s, us = timer.get_t_split()
    eq((h, m), (4, 30), "local time (UTC-3:30)")
    if len(edges) < 2:
        raise AssertionError("pps callbacks: %r" % edges)
    task.cancel()
    timer.close()


ptest.main()
