"""benchmarks/nec_ir/bench_irq.py runs on the real MicroPython (a tiny run: nothing about speed
is asserted, only that it works and prints its four figures)."""

import os

import pytest
from runtimes import ROOT, run_micropython, skip_unless_runs

BENCH = os.path.join(ROOT, "benchmarks", "nec_ir", "bench_irq.py")
NEC_IR = os.path.join(ROOT, "drivers", "nec_ir")
FAST_IO = os.path.join(ROOT, "micropython", "fast_io")


@skip_unless_runs("nec_ir")
@pytest.mark.parametrize("scheduler", ["asyncio", "fast_io"])
def test_bench_runs(scheduler):
    args = [BENCH, "3"] + (["fast_io"] if scheduler == "fast_io" else [])
    proc = run_micropython(args, path=[NEC_IR, FAST_IO])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = dict(line.split() for line in proc.stdout.splitlines())
    assert set(figures) == {"handler_us_per_edge", "empty_us_per_edge", "own_work_us", "ratio"}
    assert float(figures["handler_us_per_edge"]) > 0, figures
