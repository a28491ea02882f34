# The Pushbutton event table in virtual time: every row of tests/lib/pushbutton_rows.py (the
# rows ptest_pushbutton_table.py runs in real time), under fast_io with a VirtualClock. The
# table takes milliseconds of wall time, and each event must come at exactly the virtual ms
# worked out below instead of "up to 150 ms late".
# runtimes: mp-fast_io cpy-fast_io
import asyncio

import ptest
from pushbutton_rows import (
    BOUNCE_MS,
    DEBOUNCE_MS,
    DOUBLE_CLICK_MS,
    GROUPS,
    LONG_PRESS_MS,
    SETTLE_MS,
    GroupTest,
    run_rows,
)

# The script starts 1 ms after the button's first sample, so the button samples at 19, 39, 59
# ... ms of script time. Every contact change in the table is at a multiple of 10 ms and has
# settled (bounce, plus up to 2 ms for the model's last flip) before the next sample, which is
# therefore where the driver reports it: never in the middle of a bounce, and never in the same
# ms as the contact moves, where the order of two due tasks would decide. Timers run from the
# sample that saw the press, and their periods are whole sampling periods, so timed events
# (long press, a release held back for the double-click window) land on samples too.
LEAD_MS = 1
assert BOUNCE_MS + 2 < 10 - LEAD_MS
assert DOUBLE_CLICK_MS % DEBOUNCE_MS == 0 and LONG_PRESS_MS % DEBOUNCE_MS == 0


def sampled_at(ms):
    """Script time of the first sample after a change at `ms` (a multiple of 10)."""
    assert ms % 10 == 0, ms
    return (ms // DEBOUNCE_MS + 1) * DEBOUNCE_MS - LEAD_MS


def check(log, expected):
    exact = [(name, sampled_at(ms)) for name, ms in expected]
    return log.check(exact, late_ms=0, early_ms=0)


def run(rows):
    clock = asyncio.set_clock(asyncio.VirtualClock())
    try:
        asyncio.new_event_loop()
        asyncio.run(run_rows(rows, check, lead_ms=LEAD_MS))
    finally:
        asyncio.set_clock(None)
    # The rows really ran on the virtual clock: each waits SETTLE_MS after its script.
    if clock.ticks() <= SETTLE_MS:
        raise AssertionError("virtual clock at %d ms after the group" % clock.ticks())


for name, rows in GROUPS:
    ptest.test(GroupTest(name, rows, run))

ptest.main()
