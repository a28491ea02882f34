# devmodels.power: a board's time and power, for running low-power applications off-board.
# MIT license; Copyright (c) micropython-async contributors
#
# THE MODEL
# =========
# True time (`board.us`, microseconds since power-on) passes only when the application waits
# or sleeps, or when the model charges CPU time, so a day of application runs in a moment and
# every run gives the same figures. The board is always in one of three states:
#
#   RUN    the CPU executes: profile.round_us for the scheduler round after each wake or
#          wait, charged when the application next waits or sleeps; cpu(us) charges more
#   IDLE   awake but waiting (WFI): time.sleep_ms, the scheduler's own wait
#   WAKE   leaving sleep: profile.wake_us to restart the oscillators and PLL before the
#          first instruction runs at full speed; the CPU meanwhile runs from the slow
#          internal oscillator, which draws profile's wake_ma
#   SLEEP  stop mode or lightsleep: RAM kept, CPU clock stopped; in stop mode (Pyboard) the
#          tick counter behind time.ticks_ms stops too (profile.ticks_in_sleep False)
#
# The RTC always runs: datetime() as on stm32 (subseconds count down from 255 to 0, 1/256 s
# steps) and a periodic wake-up timer (rtc.wakeup(ms)). Interrupts are scheduled in true time
# (interrupt_at / interrupt_in): one ends a sleep or an idle wait early, and its handler runs
# when it happens, as an ISR would. Time spent in each state gives the average current from
# the profile's figures (mA per state).
#
# The application reaches the model through stand-ins for its modules: `board.pyb` (RTC, stop,
# wfi, USB_VCP), `board.machine` (lightsleep, idle) and `board.time` (ticks_ms and friends,
# sleep_ms). `board.use_machine(devmodels.machine)` sets the sleep hook of devmodels' machine
# stand-in, so its lightsleep() sleeps in this model too.

import sys

RUN = "run"
IDLE = "idle"
WAKE = "wake"
SLEEP = "sleep"


def _ticks_period():
    # The model's ticks_ms wraps where the running interpreter's does, so the scheduler's
    # timer heap (C code on MicroPython) orders deadlines across the wrap: 2**30 on boards,
    # 2**62 on the 64-bit unix port. CPython's clock never wraps (fast_io keeps plain keys).
    if sys.implementation.name != "micropython":
        return 0
    import time

    return time.ticks_add(0, -1) + 1


TICKS_PERIOD = _ticks_period()  # 0: no wrap

if TICKS_PERIOD:
    from time import ticks_add as _real_ticks_add
    from time import ticks_diff as _real_ticks_diff

    def _small(t):
        # t (0 <= t < TICKS_PERIOD) as a small int, which the C timer heap and time.ticks_*
        # read keys as. Up to 1.23 a long-int result stays a long-int object even where its
        # value fits a small int (2**62, the 64-bit unix port's period, is a long int), and
        # read as a small int it is garbage: deadlines came out of order. ticks_add returns a
        # small int; its delta may be a long int below half the period, hence three steps.
        a = t // 3
        return _real_ticks_add(_real_ticks_add(_real_ticks_add(0, a), a), t - 2 * a)


class Profile:
    """A board's figures: current (mA) in each state, wake-up time and the CPU time of one
    scheduler round after a wake (us), and whether time.ticks_ms counts during sleep.
    `wake_ma`: the current while waking (default: the run current, an upper bound)."""

    def __init__(
        self,
        name,
        run_ma,
        idle_ma,
        sleep_ma,
        wake_us,
        round_us,
        ticks_in_sleep,
        notes,
        wake_ma=None,
    ):
        self.name = name
        wake_ma = run_ma if wake_ma is None else wake_ma
        self.ma = {RUN: run_ma, IDLE: idle_ma, WAKE: wake_ma, SLEEP: sleep_ma}
        self.wake_us = wake_us
        self.round_us = round_us
        self.ticks_in_sleep = ticks_in_sleep
        self.notes = notes

    def asleep_ceiling(self, wakeups_per_s):
        """The largest fraction of time asleep possible at `wakeups_per_s`: every wake-up
        costs wake_us to restart the clocks and round_us of CPU time before the next sleep,
        whatever decides when to sleep."""
        return 1 - wakeups_per_s * (self.wake_us + self.round_us) / 1e6


# Figures, and where they come from (docs/LOWPOWER.md "Figures" says how sure each one is).
# "DS8626" is ST's STM32F405xx/STM32F407xx datasheet; its tables are named, not numbered,
# since the numbers move between revisions. round_us is measured: benchmarks/lowpower/run.py
# --round times one wake-up's work of blink3 on the unix MicroPython and scales it by
# MicroPython's own benchmark scores (see there and docs/LOWPOWER.md).
PYBOARD = Profile(
    "Pyboard 1.1 (STM32F405 at 168 MHz), pyb.stop()",
    # DS8626, "current consumption in Run mode ... from Flash memory (ART accelerator
    # enabled)", 168 MHz, all peripherals disabled, typical.
    run_ma=40.0,
    # DS8626, "current consumption in Sleep mode" (WFI), 168 MHz, peripherals disabled, typ.
    idle_ma=12.0,
    # MicroPython's documentation of pyb.stop(): "less than 500 uA" (the whole board).
    sleep_ma=0.5,
    # What MicroPython does after stop mode (ports/stm32/powerctrl.c,
    # powerctrl_enter_stop_mode): the chip wakes on the HSI, then MicroPython starts the HSE
    # and waits for it, then the PLL, then switches to it. DS8626: wake-up from Stop with
    # the regulator in low-power mode and the Flash in deep power-down (as MicroPython sets
    # them) 113 us typ ("Low-power mode wakeup timings"), HSE start-up 2 ms typ ("HSE 4-26 MHz
    # oscillator characteristics"), main PLL lock 100 us typ at a 432 MHz VCO, an upper
    # bound for the Pyboard's 336 MHz ("Main PLL characteristics").
    wake_us=113 + 2000 + 100,
    # Meanwhile the CPU busy-waits on the 16 MHz HSI: DS8626, Run mode at 16 MHz, peripherals
    # disabled, typ (the HSE and PLL, starting, add well under 1 mA: left out).
    wake_ma=5.0,
    round_us=1150,  # measured (run.py --round): 9.3 us on the host x 123 (pystone)
    ticks_in_sleep=False,
    notes="SysTick stops in stop mode; the RTC (LSE 32768 Hz) keeps time",
)

PICO = Profile(
    "Raspberry Pi Pico (RP2040 at 125 MHz), machine.lightsleep()",
    # Not sourced: no datasheet figure for MicroPython's busy loop was found here; kept as
    # an estimate a little above idle_ma. It only prices the time running (under 2.5%).
    run_ma=25.0,
    # A user's measurement of a Pico waiting in WFI at 125 MHz (rp-rs/rp-hal issue #659).
    idle_ma=20.0,
    # MicroPython commit b004e7e397 (rp2 lightsleep), Damien George: a Pico in
    # lightsleep(5000) draws about 1.5 mA from USB (Peter Hinch measured 0.99 mA from VSYS,
    # PR #8832).
    sleep_ma=1.5,
    # A timed lightsleep keeps the XOSC running (ports/rp2/modmachine.c); the wake path is
    # runtime_init_clocks_optional_usb(): both PLLs (sys and, on a battery, USB) relock,
    # then the clocks are reconfigured. The RP2040 datasheet gives no PLL lock time (none
    # found here), so this is the only sourced bound: MicroPython's board test
    # tests/ports/rp2/rp2_lightsleep_thread.py requires 5 x lightsleep(250) to take 1250
    # +- 20 ms, i.e. at most 4 ms per lightsleep beyond the asked time. An upper bound.
    wake_us=4000,
    # Meanwhile the CPU runs from the ring oscillator (clk_sys on clk_ref on the ROSC,
    # nominal 6.5 MHz, RP2040 datasheet "Ring Oscillator"): drawn at run_ma, an upper bound.
    wake_ma=25.0,
    round_us=1030,  # measured (run.py --round): 5.5 us x 123 (pystone) x 19.8/13.0 (Pico/pyb)
    ticks_in_sleep=True,
    notes="the timer behind ticks_ms also ends the lightsleep, so it keeps counting",
)


class AsleepForever(RuntimeError):
    """Raised when the application sleeps with nothing that could ever wake it."""


class Board:
    """A board's clock, RTC, interrupts and power. `profile`: a Profile (PYBOARD, PICO).
    `ticks_start`: the first time.ticks_ms() value (start near the wrap, TICKS_PERIOD, to test
    it).
    `rtc_start`: the RTC's datetime() at power-on (start near midnight to test the day wrap)."""

    def __init__(self, profile=PYBOARD, ticks_start=0, rtc_start=(2026, 1, 1, 4, 12, 0, 0, 255)):
        self.profile = profile
        self.us = 0
        self.in_state = {RUN: 0, IDLE: 0, WAKE: 0, SLEEP: 0}
        self.wakeups = 0  # sleeps ended (by the timer or an interrupt)
        self.early_wakeups = 0  # sleeps ended by an interrupt before their timeout
        self.longest_sleep_us = 0  # the longest single sleep so far
        self.deepsleeps = 0  # machine.deepsleep() calls seen through use_machine()
        self.usb = False  # what USB_VCP().isconnected() answers
        self.on_sleep = None  # called as on_sleep(board, ms) when the application sleeps
        self._tick_us = ticks_start * 1000
        y, mo, d, wd, h, mi, s, ss = rtc_start
        self._rtc_base = (y, mo, d, wd)
        self._rtc_us0 = (((h * 60 + mi) * 60 + s) * 1000000) + ((255 - ss) * 1000000 >> 8)
        self._wakeup_period = 0  # RTC wake-up timer period in us (0: off)
        self._wakeup_next = 0
        self._wakeup_cb = None
        self._irqs = []  # [at_us, handler], sorted by time
        self._owed = 0  # CPU time of the round in progress, charged at the next wait
        self.pyb = _Pyb(self)
        self.machine = _Machine(self)
        self.time = _Time(self)

    # --- time and accounting -------------------------------------------------------------

    def now_ms(self):
        """True time since power-on, in ms (float)."""
        return self.us / 1000

    def _pass(self, state, us):
        if us <= 0:
            return
        self.us += us
        self.in_state[state] += us
        if state != SLEEP or self.profile.ticks_in_sleep:
            self._tick_us += us

    def _fire_due(self):
        irqs = self._irqs
        while irqs and irqs[0][0] <= self.us:
            irqs.pop(0)[1]()

    def _charge_round(self):
        # The scheduler round since the last wake ran on the CPU.
        self._pass(RUN, self._owed)
        self._owed = 0
        self._fire_due()

    def cpu(self, us):
        """Charge `us` of CPU time now (a task that computes); interrupts due meanwhile run."""
        self._pass(RUN, us)
        self._fire_due()

    def interrupt_at(self, ms, handler):
        """An external interrupt at true time `ms` (since power-on): it ends a sleep or an
        idle wait early and `handler()` runs then, like an ISR (a pin IRQ, a UART byte)."""
        at = int(ms * 1000)
        irqs = self._irqs
        i = 0
        while i < len(irqs) and irqs[i][0] <= at:
            i += 1
        irqs.insert(i, [at, handler])

    def interrupt_in(self, ms, handler):
        self.interrupt_at(self.us / 1000 + ms, handler)

    def _wait(self, state, timeout_us):
        # Wait in `state` until timeout_us passes (-1: no timeout), the RTC wake-up timer
        # fires (in sleep) or an interrupt comes. Returns True if an interrupt ended it.
        start = self.us
        end = -1 if timeout_us < 0 else start + timeout_us
        timer = False
        if state == SLEEP and self._wakeup_period:
            t = self._wakeup_next
            while t <= self.us:
                t += self._wakeup_period
            if end < 0 or t <= end:
                end = t
                timer = True
        early = False
        if self._irqs and (end < 0 or self._irqs[0][0] < end):
            end = max(self._irqs[0][0], self.us)
            early = True
            timer = False
        if end < 0:
            raise AsleepForever("asleep with no timeout and no interrupt to come")
        self._pass(state, end - self.us)
        if state == SLEEP:
            if end - start > self.longest_sleep_us:
                self.longest_sleep_us = end - start
            self.wakeups += 1
            self.early_wakeups += early
            self._pass(WAKE, self.profile.wake_us)
            if timer and self._wakeup_cb is not None:
                self._wakeup_cb(self.pyb._rtc)
        self._owed = self.profile.round_us
        self._fire_due()
        return early

    def sleep(self, ms):
        """Sleep (stop mode / lightsleep) for up to `ms` (-1 or None: until an interrupt)."""
        self._charge_round()
        if self.on_sleep is not None:
            self.on_sleep(self, ms)
        return self._wait(SLEEP, -1 if ms is None or ms < 0 else int(ms * 1000))

    def idle(self, ms):
        """Wait awake (WFI) for up to `ms` (-1: until an interrupt)."""
        self._charge_round()
        return self._wait(IDLE, -1 if ms < 0 else int(ms * 1000))

    def ticks_ms(self):
        if self._owed:
            self._charge_round()  # the CPU time of the round so far passes before it reads
        t = self._tick_us // 1000
        return _small(t % TICKS_PERIOD) if TICKS_PERIOD else t

    def rtc_datetime(self):
        us = self._rtc_us0 + self.us
        day_us = us % 86400000000
        days = us // 86400000000
        s = day_us // 1000000
        frac = day_us % 1000000
        y, mo, d, wd = self._rtc_base
        # Only the time of day and the subseconds matter to the model's users; the date moves
        # by whole days without month arithmetic.
        ss = 255 - (frac * 256 // 1000000)
        return (y, mo, d + days, (wd + days - 1) % 7 + 1, s // 3600, s // 60 % 60, s % 60, ss)

    # --- the report ------------------------------------------------------------------------

    def report(self):
        """Time in each state, fraction asleep, wake-ups per second and average current."""
        total = self.us or 1
        ma = self.profile.ma
        avg = sum(self.in_state[s] * ma[s] for s in ma) / total
        return {
            "seconds": self.us / 1e6,
            "asleep": self.in_state[SLEEP] / total,
            "idle": self.in_state[IDLE] / total,
            "waking": self.in_state[WAKE] / total,
            "run": self.in_state[RUN] / total,
            "wakeups_per_s": self.wakeups * 1e6 / total,
            "avg_ma": avg,
        }

    def use_machine(self, machine, real_time=True):
        """Make devmodels' machine stand-in sleep in this model: its lightsleep() ends in
        Board.sleep(), which keeps the figures. real_time True: the application keeps its
        own clock (time.ticks_ms, or devmodels' virtual one), and the time slept then passes
        there too. False: the application reads this board's clock (MachineBoard(machine,
        board.time)), which the model has moved already. deepsleep() is only counted."""

        def hook(kind, ms):
            if kind != "lightsleep":
                self.deepsleeps += 1
                return None
            before = self.us
            self.sleep(ms)
            return (self.us - before) // 1000 if real_time else 0

        machine.set_sleep_hook(hook)
        return machine


class _RTC:
    def __init__(self, board):
        self._b = board

    def datetime(self):
        return self._b.rtc_datetime()

    def wakeup(self, ms, callback=None):
        b = self._b
        if ms is None or ms <= 0:
            b._wakeup_period = 0
            b._wakeup_cb = None
        else:
            b._wakeup_cb = callback
            b._wakeup_period = int(ms * 1000)
            b._wakeup_next = b.us + b._wakeup_period


class _VCP:
    def __init__(self, board):
        self._b = board

    def isconnected(self):
        return self._b.usb


class _Pyb:
    """Stand-in for the parts of `pyb` that lowpower uses."""

    def __init__(self, board):
        self._b = board
        self._rtc = _RTC(board)

    def RTC(self):  # noqa: N802 (pyb's name)
        return self._rtc

    def USB_VCP(self):  # noqa: N802
        return _VCP(self._b)

    def stop(self):
        # Stop mode ends on the RTC wake-up timer or an interrupt; nothing else.
        self._b.sleep(-1)

    def wfi(self):
        self._b.idle(-1)


class _Machine:
    """Stand-in for machine.lightsleep / machine.idle."""

    def __init__(self, board):
        self._b = board
        self.RTC = lambda: board.pyb.RTC()

    def lightsleep(self, ms=None):
        self._b.sleep(ms)

    def idle(self):
        self._b.idle(-1)


class _Time:
    """Stand-in for `time`: ticks_ms counts the board's tick, which stops in stop mode."""

    def __init__(self, board):
        self._b = board

    def ticks_ms(self):
        return self._b.ticks_ms()

    if TICKS_PERIOD:
        # The interpreter's own: the model's ticks wrap where its do (see _ticks_period).
        ticks_add = staticmethod(_real_ticks_add)
        ticks_diff = staticmethod(_real_ticks_diff)

    else:

        def ticks_add(self, t, d):
            return t + d

        def ticks_diff(self, a, b):
            return a - b

    def sleep_ms(self, ms):
        self._b.idle(ms)
