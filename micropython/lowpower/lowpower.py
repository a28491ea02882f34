# lowpower: sleep while the scheduler is idle.
# MIT license; Copyright (c) micropython-async contributors
#
# HOW IT WORKS
# ============
# fast_io calls an idle hook whenever no task is ready, with dt = the ms until the next
# deadline (-1: none). The hook (Sleeper._on_idle) puts the MCU in its lowest-power state that
# keeps RAM, for min(dt, latency) ms, through a *board* object:
#
#   PybBoard      Pyboard 1.x / D and other stm32 boards: rtc.wakeup(ms) then pyb.stop().
#                 SysTick (time.ticks_ms) stops in stop mode, so the Sleeper's clock, which
#                 fast_io reads through set_clock(), is re-anchored on the RTC at every wake.
#   MachineBoard  any port with machine.lightsleep(ms): rp2 and esp32 keep ticks_ms counting
#                 through it; elsewhere the correction is chosen by `correction=`.
#
# Any interrupt (a pin IRQ, UART, USB) ends the sleep early: the hook returns, the loop polls
# I/O and runs whatever became ready. The board sleeps only when the loop would otherwise wait:
# fast_io never calls the hook while a task is ready or a deadline is due (dt == 0).
#
# It stays awake (waiting the way fast_io would without a hook, CPU halted in WFI,
# peripherals running) when: the latency is 0; `stay_awake()` is true (default on Pyboards:
# USB connected); or a task waits on a native stream (a UART, a socket) whose bytes the
# hardware would not receive during stop mode (`keep_streams`).
#
# With MicroPython's built-in asyncio there is no idle hook: Sleeper.fallback() is a task that
# peeks at the built-in's timer queue and sleeps until the next deadline (see fallback()).
#
# Hardware modules (pyb, machine, time) come in by argument, so a power model can stand in for
# them (devmodels.power).

import sys

# Oldest MicroPython supported: 1.21 (see the README). 1.20 names its scheduler uasyncio, and
# fast_io there keeps its timers in a pure-Python heap that misorders deadlines across the
# ticks wrap (after 12.4 days on a board): refuse at once rather than fail then.
if sys.implementation.name == "micropython" and sys.implementation.version < (1, 21):
    raise ImportError("lowpower needs MicroPython 1.21 or later")

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


_DAY_MS = const(86_400_000)
_REANCHOR_MS = const(3_600_000)  # re-read the RTC at least this often while awake
_WAKEUP_MAX_MS = const(65_535_000)  # the stm32 RTC wake-up timer counts at most 65535 s


def _rtc_ms(dt):
    # Milliseconds since midnight from an stm32 RTC datetime() tuple: subseconds count down
    # from 255 to 0 (1/256 s steps), so the fraction elapsed is (255 - ss) / 256, floored.
    return ((dt[4] * 60 + dt[5]) * 60 + dt[6]) * 1000 + (((255 - dt[7]) * 1000) >> 8)


class PybBoard:
    """Pyboard 1.x, Pyboard D (stm32): stop mode, woken by the RTC wake-up timer or any
    interrupt. After a wake by the timer the clock is exact to the ms; after an early wake
    by an interrupt it is behind by less than one RTC step (1000/256 ms)."""

    name = "pyb.stop"
    # Shorter idle moments are waited awake. Leaving stop mode restarts the HSE and the PLL
    # (2.2 ms on the 16 MHz HSI, 5 mA, against 12 mA in WFI: STM32F405 datasheet), which
    # breaks even at about 1 ms; 8 ms keeps timers on time in busy moments too, for a little
    # current (docs/LOWPOWER.md, "How it works").
    min_sleep_ms = 8

    def __init__(self, pyb, time):
        self._pyb = pyb
        self._rtc = pyb.RTC()
        self._vcp = pyb.USB_VCP()
        self._ticks_ms = time.ticks_ms
        self.ticks_diff = time.ticks_diff
        self.ticks_add = time.ticks_add
        self._off = 0
        # The anchor: clock value _a corresponds to RTC reading _r (ms since midnight).
        # Re-anchoring moves both by the RTC's own difference, so the 1/256 s rounding of
        # each reading does not add up over many sleeps.
        self._r = _rtc_ms(self._rtc.datetime())
        self._a = time.ticks_ms()
        self._timer = False
        self._cb = self._fired  # made once: the IRQ must not allocate

    def ticks(self):
        return self.ticks_add(self._ticks_ms(), self._off)

    def _reanchor(self, least=None):
        # Set the clock from the RTC. `least`: a value the clock has certainly reached (the
        # wake-up timer fired, so the asked time has passed), sharper than the RTC's 1/256 s.
        before = self.ticks()
        r = _rtc_ms(self._rtc.datetime())
        a = self.ticks_add(self._a, (r - self._r) % _DAY_MS)
        self._a, self._r = a, r
        if least is not None and self.ticks_diff(least, a) > 0:
            a = least
        if self.ticks_diff(a, before) > 0:  # never step back: timers must not fire early
            self._off = self.ticks_diff(a, self._ticks_ms())

    def _fired(self, _rtc):
        # The RTC wake-up interrupt (hard IRQ context: only set a flag).
        self._timer = True

    def sleep(self, ms):
        least = None
        if ms > _WAKEUP_MAX_MS:
            ms = _WAKEUP_MAX_MS
        if ms > 0:
            self._timer = False
            least = self.ticks_add(self.ticks(), ms)
            self._rtc.wakeup(ms, self._cb)
        try:
            self._pyb.stop()
        finally:
            if ms > 0:
                self._rtc.wakeup(None)  # the wake-up timer is periodic: stop it while awake
        if not self._timer:
            least = None  # an interrupt ended the sleep early
        self._reanchor(least)

    def awake(self):
        # Called when the loop is idle but stays awake: keep the anchor fresh, so the day
        # wrap of the RTC cannot be missed during long awake stretches.
        if self.ticks_diff(self.ticks(), self._a) > _REANCHOR_MS:
            self._reanchor()

    def usb_connected(self):
        return bool(self._vcp.isconnected())


class MachineBoard:
    """machine.lightsleep(ms). correction: None where ticks_ms keeps counting in lightsleep
    (rp2, esp32); "asked" adds the part of the asked time that ticks_ms did not count (an
    estimate for ports whose tick stops: an interrupt that ends the sleep early makes the
    clock run ahead by the rest)."""

    name = "machine.lightsleep"
    # Shorter idle moments are waited awake. On rp2 the break-even is at most about 5 ms (the
    # PLLs relock in at most 4 ms at up to 25 mA, against 20 mA in WFI: upper bounds, no
    # datasheet figure; docs/LOWPOWER.md); 2 ms until a board measures it.
    min_sleep_ms = 2

    def __init__(self, machine, time, correction=None):
        if correction not in (None, "asked"):
            raise ValueError("correction must be None or 'asked'")
        self._machine = machine
        self._ticks_ms = time.ticks_ms
        self.ticks_diff = time.ticks_diff
        self.ticks_add = time.ticks_add
        self._asked = correction == "asked"
        self._off = 0

    def ticks(self):
        return self.ticks_add(self._ticks_ms(), self._off)

    def sleep(self, ms):
        t0 = self._ticks_ms()
        if ms > 0:
            self._machine.lightsleep(ms)
        else:
            self._machine.lightsleep()
        if self._asked and ms > 0:
            missed = ms - self.ticks_diff(self._ticks_ms(), t0)
            if missed > 0:
                self._off += missed

    def awake(self):
        pass

    def usb_connected(self):
        return False


def _never():
    return False


class Sleeper:
    """Puts the board to sleep whenever the scheduler is idle. Also the clock fast_io reads
    (ticks, ticks_diff, ticks_add), so timers stay right across sleeps."""

    def __init__(
        self,
        board,
        latency_ms=1000,
        stay_awake=None,
        keep_streams=True,
        wait=None,
        min_sleep_ms=None,
        coalesce_ms=0,
    ):
        self.board = board
        # Shorter idle moments are waited awake (None: the board's own break-even figure).
        if min_sleep_ms is None:
            min_sleep_ms = getattr(board, "min_sleep_ms", 1)
        if not isinstance(min_sleep_ms, int) or min_sleep_ms < 0:
            raise ValueError("min_sleep_ms must be an int >= 0 (ms)")
        self.min_sleep_ms = min_sleep_ms
        self.ticks = board.ticks
        self.ticks_diff = board.ticks_diff
        self.ticks_add = board.ticks_add
        self._latency = 0
        self.latency(latency_ms)
        self._coalesce = 0
        self.coalesce(coalesce_ms)
        self.stay_awake = board.usb_connected if stay_awake is None else stay_awake
        self.keep_streams = keep_streams
        self._wait = wait  # how to wait awake; None: fast_io's own wait (set by start)
        self._streams = _never
        self.sleeps = 0  # times the board was put to sleep
        self.awake_waits = 0  # idle moments spent awake
        self.errors = 0  # sleeps (or stay_awake() calls) that raised
        self.last_error = None

    def latency(self, ms=None):
        """Read (no argument) or set the longest time in ms the board may stay asleep in one
        go, so that tasks that poll (I/O no interrupt wakes, flags set by other code) are
        served at least that often. 0: never sleep (full speed)."""
        if ms is not None:
            if not isinstance(ms, int) or ms < 0:
                raise ValueError("latency must be an int >= 0 (ms)")
            self._latency = ms
        return self._latency

    def coalesce(self, ms=None):
        """Read (no argument) or set the slack, in ms, by which a wake-up may be put off so
        that deadlines close together share one: the board wakes only at multiples of `ms`
        on the clock, at the first one at or after the next deadline, and every timer due
        by then runs in that round. Timers then fire up to `ms` late. 0 (the default): wake
        for each deadline on time."""
        if ms is not None:
            if not isinstance(ms, int) or ms < 0:
                raise ValueError("coalesce must be an int >= 0 (ms)")
            self._coalesce = ms
        return self._coalesce

    def _failed(self, e):
        # A sleep, or a stay_awake() callable, that raises must not stop the scheduler: count
        # it, keep the latest for the application to look at, and wait awake this time.
        self.errors += 1
        self.last_error = e

    def _slept(self, dt):
        # Sleep for up to dt ms (-1: none), at most the latency. False: stay awake instead.
        lat = self._latency
        c = self._coalesce
        if c and dt > 0:
            # Put the wake-up off to the next multiple of c on the clock (the grid moves once
            # at the ticks wrap, which is only one irregular slot).
            dt += -self.ticks_add(self.ticks(), dt) % c
        if not lat or 0 <= dt < self.min_sleep_ms:
            return False
        try:
            if self.stay_awake() or self._streams():
                return False
            self.board.sleep(lat if dt < 0 or dt > lat else dt)
        except Exception as e:
            self._failed(e)
            return False
        self.sleeps += 1
        return True

    def _on_idle(self, dt):
        # fast_io's idle hook: no task is ready, the next deadline is dt ms away (-1: none).
        if not self._slept(dt):
            self.board.awake()
            self.awake_waits += 1
            self._wait(dt)

    async def fallback(self):
        """The task to run under MicroPython's built-in asyncio, which has no idle hook:
        `asyncio.create_task(sleeper.fallback())` in the main coroutine. It looks at the
        built-in's task queue: while a task is ready it only yields; otherwise it sleeps until
        the next deadline (at most the latency), then yields so the woken tasks run. Under
        fast_io it returns at once (the idle hook does the work)."""
        import asyncio

        if hasattr(asyncio, "set_idle_hook"):
            return
        q = asyncio.core._task_queue
        ticks, diff = self.ticks, self.ticks_diff
        while True:
            h = q.peek()
            dt = -1 if h is None else diff(h.ph_key, ticks())
            if dt == 0 or (h is not None and dt < 0):
                await asyncio.sleep_ms(0)  # a task is ready: let it run
            elif self._slept(dt):
                await asyncio.sleep_ms(0)
            else:
                self.board.awake()
                self.awake_waits += 1
                if self._wait is not None:
                    self._wait(dt)  # a given awake wait (a power model's)
                    await asyncio.sleep_ms(0)
                else:
                    # Park until the next deadline: the built-in waits (and polls I/O) its
                    # own way meanwhile.
                    await asyncio.sleep_ms(dt if dt > 0 else (self._latency or 100))


_sleeper = None


def _fast_io_core():
    return sys.modules.get("fast_io.core")


def _native_streams_waiting():
    # Tasks waiting on native streams (UART, socket) in fast_io's poller. Python-level
    # pollables (ThreadSafeFlag) do not count: an interrupt both sets them and wakes the MCU.
    core = _fast_io_core()
    io = getattr(core, "_io_queue", None)
    return bool(getattr(io, "nnative", 0))


def _builtin_streams_waiting():
    # The same for the built-in asyncio (the fallback task): its poller's map holds
    # [reader, writer, stream] entries; a Python-level stream (ThreadSafeFlag) has an ioctl
    # method, a native one does not (fast_io tells them apart the same way).
    import asyncio

    streams = getattr(getattr(asyncio.core, "_io_queue", None), "map", None)
    if streams:
        for k in streams:  # not .values(), which allocates a view at every idle moment
            if getattr(type(streams[k][2]), "ioctl", None) is None:
                return True
    return False


def _fast_io_wait(dt):
    # The wait fast_io does when no hook is set: poll I/O for up to dt ms. fast_io keeps it in
    # private names, which differ between its versions: its poller's wait(), or (where the
    # poller is made on first use) core._wait() while no stream is registered.
    core = _fast_io_core()
    io = getattr(core, "_io_queue", None)
    wait = getattr(io, "wait", None)
    plain = getattr(core, "_wait", None)
    if wait is not None and (getattr(io, "n", 0) or plain is None):
        wait(dt)
    elif plain is not None:
        plain(3 if dt < 0 else dt)
    else:
        import time

        time.sleep_ms(1) if hasattr(time, "sleep_ms") else time.sleep(0.001)


def _default_board():
    import time

    try:
        import pyb

        return PybBoard(pyb, time)
    except ImportError:
        pass
    try:
        import machine

        machine.lightsleep  # noqa: B018 (raises AttributeError where there is none)
    except (ImportError, AttributeError):
        raise OSError("no sleep on this port: pass board=") from None
    return MachineBoard(machine, time)


def start(
    board=None,
    latency_ms=1000,
    stay_awake=None,
    keep_streams=True,
    wait=None,
    min_sleep_ms=None,
    coalesce_ms=0,
):
    """Sleep whenever the scheduler is idle: one call at the top of main.py, before
    asyncio.run(). Under fast_io this installs the idle hook and the clock; under the built-in
    asyncio it installs the clock and the application runs `sleeper.fallback()` as a task.
    Returns the Sleeper."""
    global _sleeper
    import asyncio

    s = Sleeper(
        board or _default_board(),
        latency_ms,
        stay_awake,
        keep_streams,
        wait,
        min_sleep_ms,
        coalesce_ms,
    )
    if _sleeper is not None:  # only now: a start() refused for bad input changes nothing
        stop()
    if hasattr(asyncio, "set_idle_hook"):
        if keep_streams:
            s._streams = _native_streams_waiting
        if s._wait is None:
            s._wait = _fast_io_wait
        asyncio.set_clock(s)
        asyncio.set_idle_hook(s._on_idle)
    else:
        # The built-in reads its clock through the globals of asyncio.core: point them at
        # ours (MicroPython 1.13+, where the built-in is written in Python over _asyncio).
        core = asyncio.core
        if keep_streams:
            s._streams = _builtin_streams_waiting
        s._saved = (core.ticks, getattr(asyncio, "ticks", None))
        core.ticks = s.ticks
        if s._saved[1] is not None:
            asyncio.ticks = s.ticks
    _sleeper = s
    return s


def stop():
    """Stop sleeping: put back fast_io's idle hook and clock (or the built-in's clock)."""
    global _sleeper
    import asyncio

    s = _sleeper
    if s is None:
        return
    _sleeper = None
    if hasattr(asyncio, "set_idle_hook"):
        asyncio.set_idle_hook(None)
        asyncio.set_clock(None)
    else:
        asyncio.core.ticks = s._saved[0]
        if s._saved[1] is not None:
            asyncio.ticks = s._saved[1]


def Latency(ms=None):  # noqa: N802 (the original collection's name)
    """Read or set the latency of the running Sleeper (see Sleeper.latency)."""
    if _sleeper is None:
        raise RuntimeError("lowpower.start() first")
    return _sleeper.latency(ms)
