# The Pushbutton event table (drivers/switch/README.md), row by row, against a bouncing contact.
#
# Timing for every button here: debounce_ms 20, double_click_ms 300, long_press_ms 600; the
# contact bounces for 5 ms on each make and break. Scripts give (press_at_ms, hold_ms). The
# expected lists give (event, ms after the script starts); events must come in exactly that
# order, each no earlier than its time and no more than LATE_MS later. A group's rows run at
# the same time, each on its own contact and button, to keep the suite short.
import asyncio

import ptest
from contact_model import Contact, Log
from ptest import test

from aswitch import Pushbutton

LATE_MS = 150
SETTLE_MS = 600  # after the script ends: longer than the double-click window

SINGLE = [(0, 80)]
DOUBLE = [(0, 80), (160, 80)]
LONG = [(0, 900)]
DOUBLE_LONG = [(0, 80), (160, 900)]  # second press of the double click held long
SLOW = [(0, 450)]  # held past the double-click window, released before the long press
TRIPLE = [(0, 80), (160, 80), (320, 80)]

ALL = ("press", "release", "double", "long")


async def run_row(row, seed):
    name, suppress, handlers, script, expected = row
    contact = Contact(released=1, bounce_ms=5, seed=seed)
    pb = Pushbutton(contact, suppress=suppress)
    pb.debounce_ms = 20
    pb.double_click_ms = 300
    pb.long_press_ms = 600
    log = Log(contact)
    for h in handlers:
        getattr(pb, h + "_func")(log, (h,))
    await contact.play(script)
    await asyncio.sleep(SETTLE_MS / 1000)
    pb.deinit()
    return ["%s: %s" % (name, p) for p in log.check(expected, late_ms=LATE_MS)]


async def run_rows(rows):
    results = await asyncio.gather(*[run_row(row, seed + 1) for seed, row in enumerate(rows)])
    problems = []
    for r in results:
        problems.extend(r)
    if problems:
        raise AssertionError("\n".join(problems))


@test
async def without_suppress():
    await run_rows(
        [
            ("single", False, ALL, SINGLE, [("press", 0), ("release", 80)]),
            (
                "double",
                False,
                ALL,
                DOUBLE,
                [("press", 0), ("release", 80), ("press", 160), ("double", 160), ("release", 240)],
            ),
            ("long", False, ALL, LONG, [("press", 0), ("long", 600), ("release", 900)]),
            (
                "double, second press long",
                False,
                ALL,
                DOUBLE_LONG,
                [
                    ("press", 0),
                    ("release", 80),
                    ("press", 160),
                    ("double", 160),
                    ("release", 1060),
                ],
            ),
            ("slow single", False, ALL, SLOW, [("press", 0), ("release", 450)]),
            (
                "triple",
                False,
                ALL,
                TRIPLE,
                [
                    ("press", 0),
                    ("release", 80),
                    ("press", 160),
                    ("double", 160),
                    ("release", 240),
                    ("press", 320),
                    ("release", 400),
                ],
            ),
        ]
    )


@test
async def with_suppress():
    await run_rows(
        [
            # The release waits for the double-click window (300 ms from the press) to close.
            ("single", True, ALL, SINGLE, [("press", 0), ("release", 300)]),
            ("double", True, ALL, DOUBLE, [("press", 0), ("press", 160), ("double", 160)]),
            ("long", True, ALL, LONG, [("press", 0), ("long", 600)]),
            (
                "double, second press long",
                True,
                ALL,
                DOUBLE_LONG,
                [("press", 0), ("press", 160), ("double", 160)],
            ),
            # The window closed while the button was held: the release is reported at once.
            ("slow single", True, ALL, SLOW, [("press", 0), ("release", 450)]),
            (
                "triple",
                True,
                ALL,
                TRIPLE,
                [("press", 0), ("press", 160), ("double", 160), ("press", 320), ("release", 620)],
            ),
        ]
    )


@test
async def suppress_without_double_handler():
    h = ("press", "release", "long")
    await run_rows(
        [
            # No window to wait for: the release comes at once.
            ("single", True, h, SINGLE, [("press", 0), ("release", 80)]),
            ("long", True, h, LONG, [("press", 0), ("long", 600)]),
            # Without a double handler two clicks are two single clicks...
            (
                "double",
                True,
                h,
                DOUBLE,
                [("press", 0), ("release", 80), ("press", 160), ("release", 240)],
            ),
            # ...and a quick click followed by a long hold is a long press.
            (
                "double, second press long",
                True,
                h,
                DOUBLE_LONG,
                [("press", 0), ("release", 80), ("press", 160), ("long", 760)],
            ),
            ("slow single", True, h, SLOW, [("press", 0), ("release", 450)]),
            (
                "triple",
                True,
                h,
                TRIPLE,
                [
                    ("press", 0),
                    ("release", 80),
                    ("press", 160),
                    ("release", 240),
                    ("press", 320),
                    ("release", 400),
                ],
            ),
        ]
    )


@test
async def suppress_without_long_handler():
    h = ("press", "release", "double")
    await run_rows(
        [
            # Nothing to report a long press, so a long hold ends with a release.
            ("long", True, h, LONG, [("press", 0), ("release", 900)]),
            (
                "double, second press long",
                True,
                h,
                DOUBLE_LONG,
                [("press", 0), ("press", 160), ("double", 160)],
            ),
        ]
    )


@test
async def suppress_without_release_handler():
    # Nothing to report a release to: the driver must not fail, and keeps reporting.
    h = ("press", "double", "long")
    await run_rows(
        [
            ("single", True, h, SINGLE, [("press", 0)]),
            ("two singles", True, h, [(0, 80), (500, 80)], [("press", 0), ("press", 500)]),
            ("double", True, h, DOUBLE, [("press", 0), ("press", 160), ("double", 160)]),
            ("long", True, h, LONG, [("press", 0), ("long", 600)]),
        ]
    )


@test
async def only_a_double_handler():
    await run_rows(
        [
            ("double", True, ("double",), DOUBLE, [("double", 160)]),
            ("single", True, ("double",), SINGLE, []),
            ("double", False, ("double",), DOUBLE, [("double", 160)]),
        ]
    )


ptest.main()
