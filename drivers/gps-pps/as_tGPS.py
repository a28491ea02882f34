"""as_tGPS: precise time from a GPS receiver's PPS pulse, on top of as_GPS.

Hardware: the receiver's NMEA output on a UART (as for as_GPS) and its PPS (pulse per
second) output on an input pin. The rising edge of PPS marks the start of a UTC second to
within a microsecond or so; the NMEA sentences that follow say which second it was.

Dependencies: as_GPS (package gps); GPS_RWTimer also needs as_rwGPS (package gps-mtk).

Quick start (inside the application's main coroutine):

    timer = GPS_Timer(asyncio.StreamReader(uart), Pin(5, Pin.IN), local_offset=1)
    await timer.ready()                 # a time received and a PPS edge seen
    print(timer.get_t_split())          # [h, m, s, us], local time, now
    print(await timer.calibrate(10))    # the board clock's error in parts per million

How it works: the pin interrupt takes the board clock's reading (ticks_us) at the edge and
works out which second the edge is: the time of the last sentence plus one update interval
(sentences describe the second whose PPS edge came just before them), rounded to the whole
second. It allocates nothing: small integers and preallocated lists only. Time now is that
second plus the board clock's ticks since the edge, so it is as good as the board clock over
at most a second, however late the sentences arrive.

The board clock is `time` (ticks_us, ticks_diff) unless `clock=` gives another object with
those two functions: the tests give one with a known drift.
"""

import asyncio
import time

import as_GPS

try:
    from as_rwGPS import GPS as _RWGPS
except ImportError:  # gps-mtk not installed: GPS_RWTimer is not available
    _RWGPS = None


class _HostClock:
    # CPython's stand-in for MicroPython's time.ticks_us and ticks_diff (no wrap).
    @staticmethod
    def ticks_us():
        return time.monotonic_ns() // 1000

    @staticmethod
    def ticks_diff(a, b):
        return a - b


_DAY_MS = 86400000


def _machine():
    # The board's machine module (devmodels' once devmodels.install() has run), or None.
    try:
        import machine
    except ImportError:  # CPython without devmodels
        return None
    return machine


def _no_irq_off():
    return 0


def _no_irq_on(state):
    pass


class _Timing:
    # What GPS_Timer and GPS_RWTimer add to their NMEA reader.

    def _setup(self, pps_pin, pps_cb, pps_cb_args, clock):
        self._pps_pin = pps_pin
        self._pps_cb = pps_cb
        self._pps_cb_args = pps_cb_args
        if clock is None:
            clock = time if hasattr(time, "ticks_us") else _HostClock
        self._ticks_us = clock.ticks_us
        self._ticks_diff = clock.ticks_diff
        self.t_ms = 0  # local time at the last PPS edge, ms since midnight
        self.pps_day = None  # its local date, in days from 2000-01-01 (None: no date yet)
        self._offset_ms = int(round(self.local_offset * 3600000))
        self.acquired = None  # board clock (ticks_us) at the last PPS edge; None before one
        self._last_utc = -1  # UTC ms of day of the last edge (to skip edges without news)
        self._time = [0, 0, 0, 0]  # get_t_split()'s result, reused
        self._rtc = None
        # get_ms() and get_t_split() read the interrupt's two values with interrupts off.
        m = _machine()
        self._irq_off = getattr(m, "disable_irq", _no_irq_off)
        self._irq_on = getattr(m, "enable_irq", _no_irq_on)
        self._rtc_buf = [0] * 8  # what the interrupt writes into the RTC
        self._rtc_set = False  # set_rtc() asks the interrupt to set the RTC
        # The interrupt wakes waiters through a ThreadSafeFlag (MicroPython's asyncio,
        # fast_io); on CPython's asyncio the models call the handler in the loop's thread,
        # so an Event does.
        self._pps_flag = asyncio.ThreadSafeFlag() if hasattr(asyncio, "ThreadSafeFlag") else None
        self._pps_event = None if self._pps_flag else asyncio.Event()
        pps_pin.irq(self._isr, trigger=pps_pin.IRQ_RISING, hard=True)

    def _isr(self, _):
        # The PPS edge. Allocates nothing (a hard interrupt on a board): small integers,
        # attributes and preallocated lists only.
        acquired = self._ticks_us()
        utc = self._ms
        if utc < 0:  # no time received yet
            return
        # Sentences describe the second whose edge came before them: this edge is one
        # update interval after the last time received, on a whole second.
        utc = (utc + self._update_ms + 500) // 1000 * 1000
        day = self._day
        if utc >= _DAY_MS:
            utc -= _DAY_MS
            if day is not None:
                day += 1
        if utc == self._last_utc:  # no sentence since the last edge: an outage
            return
        self._last_utc = utc
        local = utc + self._offset_ms
        shift = local // _DAY_MS  # -1, 0 or 1: the local date is not the UTC date
        self.t_ms = local - shift * _DAY_MS
        self.pps_day = None if day is None else day + shift
        self.acquired = acquired
        if self._rtc_set:
            buf = self._rtc_buf
            s = self.t_ms // 1000
            buf[4] = s // 3600
            buf[5] = s // 60 % 60
            buf[6] = s % 60
            buf[7] = 0
            self._rtc.datetime(buf)
            self._rtc_set = False
        if self._pps_flag is not None:
            self._pps_flag.set()
        else:
            self._pps_event.set()
        if self._pps_cb is not None:
            self._pps_cb(self, *self._pps_cb_args)

    async def _next_pps(self):
        # Wait for the next PPS edge with a known time (one waiter at a time).
        if self._pps_flag is not None:
            if hasattr(self._pps_flag, "clear"):  # forget an edge nobody waited for
                self._pps_flag.clear()
            await self._pps_flag.wait()
        else:
            self._pps_event.clear()
            await self._pps_event.wait()

    async def ready(self):
        """Wait until a time has been received and a PPS edge seen."""
        while self.acquired is None:
            await self._next_pps()

    def get_ms(self):
        """Local time now, in ms since midnight (it may reach 86400000 for the second
        before the next edge's rollover is seen). Allocates nothing."""
        state = self._irq_off()
        t = self.t_ms
        acquired = self.acquired
        self._irq_on(state)
        if acquired is None:
            return 0
        return t + self._ticks_diff(self._ticks_us(), acquired) // 1000

    def get_t_split(self):
        """Local time now as [hours, minutes, seconds, microseconds] (one list, reused)."""
        state = self._irq_off()
        t = self.t_ms
        acquired = self.acquired
        self._irq_on(state)
        us = 0 if acquired is None else self._ticks_diff(self._ticks_us(), acquired)
        us += (t % 1000) * 1000
        s = t // 1000 + us // 1000000
        r = self._time
        r[0] = s // 3600 % 24
        r[1] = s // 60 % 60
        r[2] = s % 60
        r[3] = us % 1000000
        return r

    def _dtset(self):
        # A new time was received (task context): the local offset in ms for the interrupt,
        # which must not multiply floats.
        self._offset_ms = int(round(self.local_offset * 3600000))

    def _get_rtc(self):
        if self._rtc is None:
            m = _machine()
            if not hasattr(m, "RTC"):
                raise OSError("this port has no machine.RTC")
            self._rtc = m.RTC()
        return self._rtc

    async def set_rtc(self):
        """Set the board's RTC to local time at the next PPS edge (the interrupt writes it)
        and return once it is set."""
        rtc = self._get_rtc()
        await self.ready()
        while self.pps_day is None:  # a time but no date yet
            await self._next_pps()
        while True:
            # The date of the next edge (one second on), for the interrupt's buffer.
            day = self.pps_day + (1 if self.t_ms + 1000 >= _DAY_MS else 0)
            y, m, d = as_GPS.civil_from_days(day)
            buf = self._rtc_buf
            buf[0], buf[1], buf[2] = y, m, d
            buf[3] = (day + 5) % 7  # 0 is Monday (2000-01-01 was a Saturday)
            self._rtc = rtc
            self._rtc_set = True
            await self._next_pps()
            if not self._rtc_set:
                return

    def _rtc_us(self):
        # The RTC's reading in µs from 2000-01-01; subseconds as µs (devmodels, ESP32, RP2).
        dt = self._rtc.datetime()
        days = as_GPS.days_from_civil(dt[0], dt[1], dt[2])
        return ((days * 24 + dt[4]) * 60 + dt[5]) * 60000000 + dt[6] * 1000000 + dt[7]

    async def delta(self):
        """µs by which the board's RTC leads local GPS time, measured just after a PPS
        edge (the RTC's reading, less the board clock's ticks since the edge)."""
        self._get_rtc()
        await self.ready()
        await self._next_pps()
        while self.pps_day is None:
            await self._next_pps()
        rtc = self._rtc_us()
        since = self._ticks_diff(self._ticks_us(), self.acquired)
        gps = (self.pps_day * 86400000 + self.t_ms) * 1000 + since
        return rtc - gps

    async def calibrate(self, seconds=10):
        """The board clock's error in parts per million, measured between two PPS edges
        `seconds` apart (positive: the board clock runs fast). At least 1 second; the
        resolution is 1 / seconds ppm with a clock of 1 µs."""
        if seconds < 1:
            raise ValueError("seconds must be >= 1")
        await self.ready()
        await self._next_pps()
        t0, a0 = self.t_ms, self.acquired
        while True:
            await self._next_pps()
            gps_ms = (self.t_ms - t0) % _DAY_MS
            if gps_ms >= seconds * 1000:
                break
        board_us = self._ticks_diff(self.acquired, a0)
        gps_us = gps_ms * 1000
        return (board_us - gps_us) * 1000000 / gps_us

    def close(self):
        """Stop the PPS interrupt and the reader."""
        self._pps_pin.irq(None)
        self.deinit()


class GPS_Timer(_Timing, as_GPS.AS_GPS):
    """as_GPS.AS_GPS with PPS timing. `pps_cb(timer, *pps_cb_args)` runs in the interrupt
    at each edge with a known time: on a board it must not allocate."""

    def __init__(
        self,
        sreader,
        pps_pin,
        local_offset=0,
        fix_cb=None,
        cb_mask=as_GPS.RMC,
        fix_cb_args=(),
        pps_cb=None,
        pps_cb_args=(),
        *,
        clock=None,
    ):
        as_GPS.AS_GPS.__init__(self, sreader, local_offset, fix_cb, cb_mask, fix_cb_args)
        self._setup(pps_pin, pps_cb, pps_cb_args, clock)


if _RWGPS is not None:

    class GPS_RWTimer(_Timing, _RWGPS):
        """as_rwGPS.GPS (MTK commands) with PPS timing: update_interval() also sets the
        interval the interrupt counts with."""

        def __init__(
            self,
            sreader,
            swriter,
            pps_pin,
            local_offset=0,
            fix_cb=None,
            cb_mask=as_GPS.RMC,
            fix_cb_args=(),
            msg_cb=None,
            msg_cb_args=(),
            pps_cb=None,
            pps_cb_args=(),
            *,
            clock=None,
        ):
            _RWGPS.__init__(
                self,
                sreader,
                swriter,
                local_offset,
                fix_cb,
                cb_mask,
                fix_cb_args,
                msg_cb,
                msg_cb_args,
            )
            self._setup(pps_pin, pps_cb, pps_cb_args, clock)

else:

    def GPS_RWTimer(*args, **kw):
        raise ImportError("GPS_RWTimer needs as_rwGPS: install the gps-mtk package")
