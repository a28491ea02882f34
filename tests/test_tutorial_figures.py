"""The figures docs/TUTORIAL.md and docs/UNDER_THE_HOOD.md quote are those of the measured
tables they cite (FAST_IO.md's benchmark table, LOWPOWER.md's model table, the RAM tables of
PRIMITIVES.md and the switch README), rounded as printed: when a benchmark is rerun and its
table changes, this fails until the tutorial says the same."""

import os
import re

from runtimes import ROOT


def _read(rel):
    with open(os.path.join(ROOT, rel)) as f:
        return f.read()


def _bench(measure, case, n, column):
    """A MicroPython (default heap) figure of FAST_IO.md's table: column 0 is the built-in's,
    2 is fast_io's."""
    for line in _read("docs/FAST_IO.md").split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[:4] == ["MicroPython", measure, case, str(n)]:
            return float(cells[5 + column].split()[0])
    raise AssertionError("FAST_IO.md has no row %s %s %s" % (measure, case, n))


def _fmt(x):
    """As the tutorial prints a figure: two significant digits."""
    return "%.2f" % x if x < 1 else "%.1f" % x


TUTORIAL = " ".join(_read("docs/TUTORIAL.md").split())
HOOD = " ".join(_read("docs/UNDER_THE_HOOD.md").split())


def test_delay_accuracy_table():
    for n in (10, 100, 1000):
        row = "| %d | %s / %s ms | %s / %s ms |" % (
            n,
            _fmt(_bench("timers_mean", "sleep_ms", n, 0)),
            _fmt(_bench("timers_p99", "sleep_ms", n, 0)),
            _fmt(_bench("timers_mean", "sleep_ms", n, 2)),
            _fmt(_bench("timers_p99", "sleep_ms", n, 2)),
        )
        assert row in TUTORIAL, row


def test_ram_and_allocation_figures():
    assert round(_bench("ram", "sleep", 1000, 0)) == round(_bench("ram", "sleep", 1000, 2)) == 160
    assert round(_bench("ram", "Event", 1000, 0)) == 256
    assert round(_bench("ram", "Event", 1000, 2)) == 160
    assert "about 160 bytes with either scheduler" in TUTORIAL
    assert "256 with the built-in asyncio and 160 with fast_io" in TUTORIAL
    switch = _bench("switch_alloc", "sleep(0)", 1, 0)
    event = _bench("event_alloc", "Event", 2, 0)
    assert "144 bytes requested from the heap with the built-in asyncio, none" in TUTORIAL
    assert "about %d bytes per task switch and %d per Event" % (switch, event) in HOOD
    assert abs(_bench("switch_alloc", "sleep(0)", 1, 2)) < 0.01 and switch == 144


def test_asyn_and_switch_ram_figures():
    per_object = {}
    for m in re.finditer(r"^\| `(\w+)` \| \d+ \| (\d+) \|$", _read("docs/PRIMITIVES.md"), re.M):
        per_object[m.group(1)] = int(m.group(2))
    assert (
        "from %d bytes (`WaitAny`) to %d (`Queue`)"
        % (
            per_object["WaitAny"],
            per_object["Queue"],
        )
        in TUTORIAL
    )
    assert min(per_object.values()) == per_object["WaitAny"]
    assert max(per_object.values()) == per_object["Queue"]
    switch = _read("drivers/switch/README.md")
    bare = re.search(r"`Pushbutton`, no handlers[^|]*\| (\d+) bytes", switch).group(1)
    four = re.search(r"`Pushbutton`, four callback handlers[^|]*\| (\d+) bytes", switch).group(1)
    assert "polling its pin: %s bytes; with four callbacks, %s" % (bare, four) in TUTORIAL


def test_low_power_figures():
    rows = {}
    for line in _read("docs/LOWPOWER.md").split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 12 and cells[0] in ("blink3", "sensor"):
            rows[tuple(cells[:3])] = cells
    hook = rows[("blink3", "pyboard", "hook")]
    awake = rows[("blink3", "pyboard", "awake")]
    sensor = rows[("sensor", "pyboard", "hook")]
    text = "keep a Pyboard asleep %.1f%% of the time, for about %.1f mA on average instead of "
    text += "%d mA"
    assert text % (float(hook[3]), float(hook[9]), round(float(awake[9]))) in TUTORIAL
    assert "costs %d wake-ups a second" % round(float(sensor[7])) in TUTORIAL
