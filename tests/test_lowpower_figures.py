"""The figures docs/LOWPOWER.md and the lowpower README state about the time asleep are those
of the power profiles (devmodels.power) and of the benchmark table LOWPOWER.md quotes (which
tests/test_lowpower_bench.py checks against the benchmark): when a profile changes, this fails
until the prose says the same."""

import os
import sys

from runtimes import ROOT

sys.path.insert(0, os.path.join(ROOT, "python-ecosys", "devmodels"))

from devmodels.power import PICO, PYBOARD  # noqa: E402


def _text(rel):
    with open(os.path.join(ROOT, rel)) as f:
        return " ".join(f.read().split())


DOC = _text("docs/LOWPOWER.md")
README = _text("micropython/lowpower/README.md")
BLINK3_PER_S = 40 / 7  # distinct deadlines of 200/700/1200 ms: 40 in every 7 s


def _row(app, board, mode):
    with open(os.path.join(ROOT, "docs", "LOWPOWER.md")) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[:3] == [app, board, mode] and len(cells) == 12:
                return cells
    raise AssertionError("LOWPOWER.md has no row %s %s %s" % (app, board, mode))


def test_the_99_percent_target():
    hook = float(_row("blink3", "pyboard", "hook")[3])
    coalesced = float(_row("blink3", "pyboard", "coalesce")[3])
    pico = float(_row("blink3", "pico", "hook")[3])
    # The table is the ceiling the profiles give.
    assert abs(hook - 100 * PYBOARD.asleep_ceiling(BLINK3_PER_S)) < 0.01
    assert abs(coalesced - 100 * PYBOARD.asleep_ceiling(5)) < 0.01
    assert abs(pico - 100 * PICO.asleep_ceiling(BLINK3_PER_S)) < 0.01
    restart = PYBOARD.wake_us / 1000
    share = 5 * PYBOARD.wake_us / 1e4  # % of the time at 5 wake-ups a second
    room = 1e4 / BLINK3_PER_S - PICO.round_us  # us a Pico wake-up may take for 99%
    assert share > 1
    assert (
        "STM32F405's %.2f ms clock restart after stop mode alone then takes %.1f%%"
        % (
            restart,
            share,
        )
        in DOC
    )
    assert (
        "blink3 sleeps %.2f%% of the time (%.2f%% with `coalesce_ms=200`)"
        % (
            hook,
            coalesced,
        )
        in DOC
    )
    assert "under %.2f ms" % (room / 1000) in DOC
    assert "1.75 ms each, less the %.2f ms round" % (PICO.round_us / 1000) in DOC
    assert "bound, %d ms, blink3 sleeps %.2f%%" % (PICO.wake_us // 1000, pico) in DOC
    assert "with its %.2f ms round" % (PYBOARD.round_us / 1000) in DOC
    assert "STM32F405's %.1f ms clock restart" % restart in README
    assert "takes %.1f%% of the time" % share in README
    assert (
        "(%.1f%% asleep with the measured round, %.1f%% with `coalesce_ms=200`)"
        % (
            hook,
            coalesced,
        )
        in README
    )
    assert "takes under %.2f ms" % (room / 1000) in README
    assert "bound, %d ms, it is %.1f%%" % (PICO.wake_us // 1000, pico) in README


def test_figures_table_and_bounds():
    p, q = PYBOARD, PICO
    row = "| %.3f ms (c) | %d mA (a) | %.2f ms (f) |" % (
        p.wake_us / 1000,
        p.ma["wake"],
        p.round_us / 1000,
    )
    assert row in DOC, row
    row = "| %d ms, a bound (h) | %d mA, a bound (h) | %.2f ms (f) |" % (
        q.wake_us / 1000,
        q.ma["wake"],
        q.round_us / 1000,
    )
    assert row in DOC, row
    # Timer accuracy: wake-up + round + 1 ms tick (+ the RTC step on stm32).
    pyb = p.wake_us / 1000 + p.round_us / 1000 + 1 + 1000 / 256
    pico = q.wake_us / 1000 + q.round_us / 1000 + 1
    text = "%.1f ms on the Pyboard (%.2f + %.2f + 1 + 3.9 ms) and %.1f ms on the Pico (%d + %.2f"
    assert (
        text
        % (pyb, p.wake_us / 1000, p.round_us / 1000, pico, q.wake_us / 1000, q.round_us / 1000)
        in DOC
    )
    # The break-even of min_sleep_ms: wake-up x (wake - sleep) / (idle - sleep).
    even = p.wake_us / 1000 * (p.ma["wake"] - p.ma["sleep"]) / (p.ma["idle"] - p.ma["sleep"])
    assert round(even) == 1 and "is about 1 ms on the Pyboard" in DOC
    even = q.wake_us / 1000 * (q.ma["wake"] - q.ma["sleep"]) / (q.ma["idle"] - q.ma["sleep"])
    assert round(even) == 5 and "Pico it is at most about 5 ms" in DOC
