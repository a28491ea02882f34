# The Pushbutton event table (drivers/switch/README.md), row by row, against a bouncing contact,
# in real time. The rows are in tests/lib/pushbutton_rows.py, shared with
# ptest_pushbutton_virtual.py, which runs every row under the fast_io runtimes in virtual time
# with exact times; here they run in real time on MicroPython's and CPython's own asyncio.
# runtimes: mp-asyncio cpy-asyncio
#
# Events must come in exactly the order a row gives, each no earlier than its time and no more
# than LATE_MS later (the driver reports up to one debounce period late, and a busy machine
# adds scheduling delay).
import ptest
from pushbutton_rows import GROUPS, GroupTest, run_rows

LATE_MS = 150


def check(log, expected):
    return log.check(expected, late_ms=LATE_MS)


def run(rows):
    return run_rows(rows, check)


for name, rows in GROUPS:
    ptest.test(GroupTest(name, rows, run))

ptest.main()
