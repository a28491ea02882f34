# runtimes: mp-fast_io cpy-fast_io
# as_tGPS accuracy: PPS timing against the receiver model (devmodels.gps), whose PPS pin rises
# at the start of each UTC second, and a board clock with a known drift. Under fast_io the
# tests run in virtual time: the edges come at exact times and minutes of receiver time take
# moments, so accuracy is checked to the millisecond and the calibration to half a ppm.
# (ptest_pps_realtime.py runs the driver on the real-time schedulers.)
import asyncio

import devmodels
import ptest
from devmodels import clock
from devmodels.gps import GPSReceiver
from devmodels.machine import RTC, UART, Pin, reset
from devmodels.uart import stream
from ptest import eq, test
from vtime import virtual_time

import as_GPS
from as_tGPS import GPS_RWTimer, GPS_Timer

devmodels.install()  # `import machine` gives devmodels' (its RTC, disable_irq)

VIRTUAL = ptest.RUNTIME.endswith("fast_io")
TOL_MS = 1 if VIRTUAL else 60  # error allowed in a time reading (ms)
PPS = 7


class DriftingClock:
    """A board clock (ticks_us, ticks_diff) that runs `ppm` parts per million fast (slow if
    negative) against the scheduler's clock, which is GPS time here."""

    def __init__(self, ppm):
        self.factor = 1 + ppm / 1000000
        self.t0 = clock.now_ms()

    def ticks_us(self):
        return int(clock.diff_ms(clock.now_ms(), self.t0) * 1000 * self.factor)

    @staticmethod
    def ticks_diff(a, b):
        return a - b


class Setup:
    def __init__(self, ppm=0, offset=0, time=(12, 0, 0), date=(2024, 6, 15), rw=False, **kw):
        reset()
        self.uart = UART(1, baudrate=9600)
        self.rx = GPSReceiver(self.uart.peer, pps=Pin(PPS), time=time, date=date)
        self.rx.rates["GSV"] = 0
        s = stream(self.uart)
        self.board = DriftingClock(ppm)
        pin = Pin(PPS, Pin.IN)
        if rw:
            self.timer = GPS_RWTimer(s, s, pin, offset, clock=self.board, **kw)
        else:
            self.timer = GPS_Timer(s, pin, offset, clock=self.board, **kw)
        self.start_ms = ((time[0] * 60 + time[1]) * 60 + time[2]) * 1000
        self.offset_ms = int(offset * 3600000)
        self.t0 = clock.now_ms()  # the first edge (the receiver starts now)
        self.tasks = [asyncio.create_task(self.rx.run())]

    def true_local_ms(self):
        # Local GPS time now, from the receiver's start.
        return (self.start_ms + self.offset_ms + clock.diff_ms(clock.now_ms(), self.t0)) % (
            86400000
        )

    def close(self):
        for t in self.tasks:
            t.cancel()
        self.timer.close()


def near(got, want, tol, what):
    if abs(got - want) > tol:
        raise AssertionError("%s: got %r, want %r (+-%r)" % (what, got, want, tol))


@test
@virtual_time
async def time_of_day_to_the_millisecond():
    t = Setup(ppm=80, offset=5.5)
    await t.timer.ready()
    for wait in (137, 409, 777, 1250, 2999):  # at odd moments between edges
        await clock.sleep_ms(wait)
        near(t.timer.get_ms(), t.true_local_ms(), TOL_MS, "get_ms after %d" % wait)
        h, m, s, us = t.timer.get_t_split()
        near(((h * 60 + m) * 60 + s) * 1000 + us // 1000, t.true_local_ms(), TOL_MS, "split")
    eq(t.timer.t_ms % 1000, 0, "edges are on whole seconds")
    t.close()


@test
@virtual_time
async def calibrate_measures_the_board_clocks_drift():
    for ppm in (40, -125.5):
        t = Setup(ppm=ppm)
        seconds = 10 if VIRTUAL else 2
        got = await t.timer.calibrate(seconds)
        near(got, ppm, 0.5 if VIRTUAL else 30000, "calibrate()")
        t.close()
    ptest.raises(ValueError, lambda: t.timer.calibrate(0).send(None))


@test
@virtual_time
async def set_rtc_and_delta():
    t = Setup(offset=-8)
    rtc = RTC()
    rtc.datetime((2020, 1, 1, 2, 0, 0, 0, 0))
    d = await t.timer.delta()
    if d > -100000000000000:  # years behind
        raise AssertionError("delta before setting: %d us" % d)
    await t.timer.set_rtc()
    eq(rtc.datetime()[:3], (2024, 6, 15), "local date (UTC-8)")
    near(await t.timer.delta(), 0, TOL_MS * 1000, "delta after set_rtc (us)")
    await clock.sleep_ms(3000)
    near(await t.timer.delta(), 0, TOL_MS * 1000, "three seconds later")
    t.close()


@test
@virtual_time
async def midnight_and_an_outage():
    t = Setup(ppm=-60, offset=-5, time=(23, 59, 57), date=(2024, 12, 31))
    await t.timer.ready()
    await clock.sleep_ms(4500)  # past UTC midnight (19:00 local)
    near(t.timer.get_ms(), t.true_local_ms(), TOL_MS, "local time after UTC midnight")
    if VIRTUAL:
        eq(as_GPS.civil_from_days(t.timer.pps_day), (2024, 12, 31), "local date of the edge")
    t.uart.peer.silent = True  # the sentences stop, the pulses go on
    await clock.sleep_ms(3300)
    near(t.timer.get_ms(), t.true_local_ms(), TOL_MS, "during the outage")
    t.uart.peer.silent = False
    await clock.sleep_ms(2200)
    near(t.timer.get_ms(), t.true_local_ms(), TOL_MS, "after the outage")
    t.close()


@test
@virtual_time
async def local_midnight_rolls_the_day():
    t = Setup(offset=2, time=(21, 59, 58), date=(2024, 2, 28))
    await t.timer.ready()
    await clock.sleep_ms(3200)
    if VIRTUAL:
        eq(as_GPS.civil_from_days(t.timer.pps_day), (2024, 2, 29), "leap day, local")
    near(t.timer.get_ms(), t.true_local_ms(), TOL_MS, "just after local midnight")
    t.close()


@test
@virtual_time
async def pps_callback_and_rw_timer():
    edges = []
    t = Setup(rw=True, pps_cb=lambda tm, tag: edges.append((tag, tm.t_ms)), pps_cb_args=("e",))
    t.tasks.append(asyncio.create_task(t.rx.serve()))
    await t.timer.ready()
    await t.timer.update_interval(500)  # sentences twice a second, pulses once
    await clock.sleep_ms(3100)
    near(t.timer.get_ms(), t.true_local_ms(), TOL_MS, "with 500 ms updates")
    eq(all(ms % 1000 == 0 for _, ms in edges), True, "callbacks at whole seconds")
    if len(edges) < 3 or edges[0][0] != "e":
        raise AssertionError(edges)
    t.close()


ptest.main()
