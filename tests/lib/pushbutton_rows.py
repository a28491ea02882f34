"""The Pushbutton event table (drivers/switch/README.md) as data, shared by the real-time run
(tests/portable/switch/ptest_pushbutton_table.py) and the virtual-time one
(ptest_pushbutton_virtual.py), so both check the same rows.

Timing for every button: debounce_ms 20, double_click_ms 300, long_press_ms 600; the contact
bounces for 5 ms on each make and break. Scripts give (press_at_ms, hold_ms). A row is
(name, suppress, handlers, script, expected), `expected` listing (event, ms after the script
starts) at the times the table gives: the real-time run allows lateness, the virtual-time run
says exactly how late each event must be.

Runs unchanged on MicroPython and CPython.
"""

import asyncio

from devmodels.clock import sleep_ms
from devmodels.contact import Contact, Log

from aswitch import Pushbutton

DEBOUNCE_MS = 20
DOUBLE_CLICK_MS = 300
LONG_PRESS_MS = 600
BOUNCE_MS = 5
SETTLE_MS = 600  # after the script ends: longer than the double-click window

SINGLE = [(0, 80)]
DOUBLE = [(0, 80), (160, 80)]
LONG = [(0, 900)]
DOUBLE_LONG = [(0, 80), (160, 900)]  # second press of the double click held long
SLOW = [(0, 450)]  # held past the double-click window, released before the long press
TRIPLE = [(0, 80), (160, 80), (320, 80)]

ALL = ("press", "release", "double", "long")

WITHOUT_SUPPRESS = [
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
        [("press", 0), ("release", 80), ("press", 160), ("double", 160), ("release", 1060)],
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

WITH_SUPPRESS = [
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

_NO_DOUBLE = ("press", "release", "long")
SUPPRESS_WITHOUT_DOUBLE_HANDLER = [
    # No window to wait for: the release comes at once.
    ("single", True, _NO_DOUBLE, SINGLE, [("press", 0), ("release", 80)]),
    ("long", True, _NO_DOUBLE, LONG, [("press", 0), ("long", 600)]),
    # Without a double handler two clicks are two single clicks...
    (
        "double",
        True,
        _NO_DOUBLE,
        DOUBLE,
        [("press", 0), ("release", 80), ("press", 160), ("release", 240)],
    ),
    # ...and a quick click followed by a long hold is a long press.
    (
        "double, second press long",
        True,
        _NO_DOUBLE,
        DOUBLE_LONG,
        [("press", 0), ("release", 80), ("press", 160), ("long", 760)],
    ),
    ("slow single", True, _NO_DOUBLE, SLOW, [("press", 0), ("release", 450)]),
    (
        "triple",
        True,
        _NO_DOUBLE,
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

_NO_LONG = ("press", "release", "double")
SUPPRESS_WITHOUT_LONG_HANDLER = [
    # Nothing to report a long press, so a long hold ends with a release.
    ("long", True, _NO_LONG, LONG, [("press", 0), ("release", 900)]),
    (
        "double, second press long",
        True,
        _NO_LONG,
        DOUBLE_LONG,
        [("press", 0), ("press", 160), ("double", 160)],
    ),
]

# Nothing to report a release to: the driver must not fail, and keeps reporting.
_NO_RELEASE = ("press", "double", "long")
SUPPRESS_WITHOUT_RELEASE_HANDLER = [
    ("single", True, _NO_RELEASE, SINGLE, [("press", 0)]),
    ("two singles", True, _NO_RELEASE, [(0, 80), (500, 80)], [("press", 0), ("press", 500)]),
    ("double", True, _NO_RELEASE, DOUBLE, [("press", 0), ("press", 160), ("double", 160)]),
    ("long", True, _NO_RELEASE, LONG, [("press", 0), ("long", 600)]),
]

ONLY_A_DOUBLE_HANDLER = [
    ("double", True, ("double",), DOUBLE, [("double", 160)]),
    ("single", True, ("double",), SINGLE, []),
    ("double", False, ("double",), DOUBLE, [("double", 160)]),
]

# Every group of the table, by the name of the test that runs it.
GROUPS = (
    ("without_suppress", WITHOUT_SUPPRESS),
    ("with_suppress", WITH_SUPPRESS),
    ("suppress_without_double_handler", SUPPRESS_WITHOUT_DOUBLE_HANDLER),
    ("suppress_without_long_handler", SUPPRESS_WITHOUT_LONG_HANDLER),
    ("suppress_without_release_handler", SUPPRESS_WITHOUT_RELEASE_HANDLER),
    ("only_a_double_handler", ONLY_A_DOUBLE_HANDLER),
)


async def run_row(row, seed, check, lead_ms=0):
    """Play one row on its own contact and button; `check(log, expected)` returns a list of
    problems, each prefixed here with the row's name. The script starts `lead_ms` after the
    button is made (so after its first sample)."""
    name, suppress, handlers, script, expected = row
    contact = Contact(released=1, bounce_ms=BOUNCE_MS, seed=seed)
    pb = Pushbutton(contact, suppress=suppress)
    pb.debounce_ms = DEBOUNCE_MS
    pb.double_click_ms = DOUBLE_CLICK_MS
    pb.long_press_ms = LONG_PRESS_MS
    log = Log(contact)
    for h in handlers:
        getattr(pb, h + "_func")(log, (h,))
    if lead_ms:
        await sleep_ms(lead_ms)
    await contact.play(script)
    await sleep_ms(SETTLE_MS)
    pb.deinit()
    return ["%s: %s" % (name, p) for p in check(log, expected)]


async def run_rows(rows, check, lead_ms=0):
    """Run a group's rows at the same time, each on its own contact and button (seeds 1, 2,
    ...), to keep the suite short; raise AssertionError listing every problem."""
    results = await asyncio.gather(
        *[run_row(row, seed + 1, check, lead_ms) for seed, row in enumerate(rows)]
    )
    problems = []
    for r in results:
        problems.extend(r)
    if problems:
        raise AssertionError("\n".join(problems))


class GroupTest:
    """A ptest test (something callable with a __name__, which MicroPython's functions do not
    let us set) that runs one group through `run(rows)`."""

    def __init__(self, name, rows, run):
        self.__name__ = name
        self.rows = rows
        self.run = run

    def __call__(self):
        return self.run(self.rows)
