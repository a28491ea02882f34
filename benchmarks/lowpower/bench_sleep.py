# Typical applications on the board power model (devmodels.power), with lowpower sleeping
# through fast_io's idle hook ("hook"), the same with coalesce_ms=200 ("coalesce": deadlines
# up to 200 ms apart share a wake-up), through the fallback task under the built-in asyncio
# ("fallback"), or not at all ("awake": fast_io at latency 0, waiting in WFI). Run by run.py:
#
#     micropython bench_sleep.py MODE [SECONDS]     MODE: hook, coalesce, fallback or awake
#
# Prints one line per application and board:
#     app board asleep waking run idle wakeups_per_s late_mean_ms late_max_ms avg_ma extra host_us
# asleep/waking/run/idle are fractions of the time; lateness is in true (model) time against
# the ideal timetable; extra is, under the fallback, how many times per wake-up the loop
# resumed a task that was not the application's (the fallback task itself; "-" otherwise);
# host_us is the real CPU time per wake-up on this machine (not a board figure).
import sys
import time

MODE = sys.argv[1]
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 120
if MODE != "fallback":
    import fast_io

    fast_io.install()
import asyncio  # noqa: E402 (after fast_io.install())

import lowpower  # noqa: E402
from devmodels.power import PICO, PYBOARD, Board  # noqa: E402

# The built-in's C queue keys tasks made ready without a deadline with the real ticks_ms:
# keep the model's tick ahead of it (see tests/portable/lowpower/ptest_fallback.py).
AHEAD_MS = 1000000


def make(profile):
    # The start on a whole second of the tick: coalescing wakes at multiples of its slack on
    # the clock, so the same start phase gives the same figures in every run.
    start = time.ticks_add(time.ticks_ms(), AHEAD_MS)
    b = Board(profile, ticks_start=time.ticks_add(start, -(start % 1000)))
    if profile is PYBOARD:
        return b, lowpower.PybBoard(b.pyb, b.time)
    return b, lowpower.MachineBoard(b.machine, b.time)


RESUMES = [0]  # task resumes by the built-in's loop (it polls I/O once before each)
if MODE == "fallback":
    import asyncio.core

    _wait_io_event = asyncio.core.IOQueue.wait_io_event

    def _counting(self, dt):
        RESUMES[0] += 1
        return _wait_io_event(self, dt)

    asyncio.core.IOQueue.wait_io_event = _counting


class Lateness:
    def __init__(self, board):
        self.b = board
        self.resumes = 0  # the application's task resumes
        self.n = 0
        self.total = 0.0
        self.max = 0.0

    async def periodic(self, period, n, work_us=0):
        # A task that runs every `period` ms, on a timetable fixed at its start.
        b = self.b
        t, u = asyncio.ticks(), b.now_ms()
        for k in range(1, n + 1):
            t = asyncio.ticks_add(t, period)
            await asyncio.sleep_ms(asyncio.ticks_diff(t, asyncio.ticks()))
            self.resumes += 1
            late = b.now_ms() - (u + k * period)
            self.n += 1
            self.total += late
            if late > self.max:
                self.max = late
            if work_us:
                b.cpu(work_us)


async def blink3(b, lat, secs):
    n = secs * 1000
    await asyncio.gather(
        lat.periodic(200, n // 200), lat.periodic(700, n // 700), lat.periodic(1200, n // 1200)
    )


async def sensor(b, lat, secs):
    # A reading every 10 s (2 ms of work) and a button polled every 50 ms for debouncing.
    n = secs * 1000
    await asyncio.gather(lat.periodic(10000, n // 10000, 2000), lat.periodic(50, n // 50, 50))


async def irq_button(b, lat, secs):
    # A button on a pin interrupt (pressed every 7.3 s) and a 1 s heartbeat.
    flag = asyncio.ThreadSafeFlag()
    presses = []
    for k in range(1, secs * 10 // 73 + 1):
        b.interrupt_at(k * 7300, flag.set)

    async def button():
        while True:
            await flag.wait()
            lat.resumes += 1
            presses.append(b.now_ms())

    t = asyncio.create_task(button())
    await lat.periodic(1000, secs)
    t.cancel()


APPS = (("blink3", blink3), ("sensor", sensor), ("irq_button", irq_button))


def one(name, app, profile):
    b, hw = make(profile)
    lat = Lateness(b)
    latency = 0 if MODE == "awake" else 1000
    coalesce = 200 if MODE == "coalesce" else 0
    s = lowpower.start(
        hw, latency_ms=latency, wait=b.idle, stay_awake=lambda: False, coalesce_ms=coalesce
    )

    async def main():
        fb = asyncio.create_task(s.fallback()) if MODE == "fallback" else None
        await app(b, lat, SECONDS)
        if fb:
            fb.cancel()

    RESUMES[0] = 0
    t0 = time.ticks_us()
    try:
        asyncio.new_event_loop()
        asyncio.run(main())
    finally:
        lowpower.stop()
    host = time.ticks_diff(time.ticks_us(), t0)
    r = b.report()
    wakes = max(1, b.wakeups + s.awake_waits)
    # The main task's start and end are resumes too; the rest that are not the application's
    # are the fallback task's.
    extra = "%.2f" % ((RESUMES[0] - lat.resumes - 2) / wakes) if MODE == "fallback" else "-"
    print(
        "%s %s %.5f %.5f %.5f %.5f %.3f %.3f %.3f %.4f %s %.1f"
        % (
            name,
            "pyboard" if profile is PYBOARD else "pico",
            r["asleep"],
            r["waking"],
            r["run"],
            r["idle"],
            r["wakeups_per_s"],
            lat.total / max(1, lat.n),
            lat.max,
            r["avg_ma"],
            extra,
            host / wakes,
        )
    )


for name, app in APPS:
    for profile in (PYBOARD, PICO):
        one(name, app, profile)
