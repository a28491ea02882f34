"""docs/LOWPOWER.md quotes the model's figures from benchmarks/lowpower/run.py: each row of
the table there must be what the benchmark prints now (the model is deterministic, so the
figures are the same on every machine)."""

import os
import sys

from runtimes import ROOT, run_micropython

sys.path.insert(0, os.path.join(ROOT, "benchmarks", "lowpower"))

import run as bench  # noqa: E402

DOC = os.path.join(ROOT, "docs", "LOWPOWER.md")


def test_docs_quote_the_benchmark_table():
    lines, _ = bench.table()
    with open(DOC) as f:
        doc = f.read().split("\n")
    missing = [line for line in lines if line not in doc]
    assert not missing, (
        "rows of benchmarks/lowpower/run.py not in docs/LOWPOWER.md:\n" + "\n".join(missing)
    )


def test_round_cost_script_runs():
    """benchmarks/lowpower/bench_round.py, whose figure (times MicroPython's published
    benchmark ratio, `run.py --round`) sets the profiles' round_us, still runs through both of
    lowpower's board objects: one wake-up per distinct deadline of blink3, a positive time."""
    for board in ("pyb", "machine"):
        proc = run_micropython([bench.ROUND, board, "60", "1"], path=bench.PATH)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        name, wakeups, us = proc.stdout.split()
        assert name == board and int(wakeups) == 343 and float(us) > 0, proc.stdout
