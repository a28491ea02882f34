"""benchmarks/links/run.py (syncom and asi2c between two MicroPython processes, and the wire
model's own round trip as the reference) runs: a tiny run, on both schedulers. Nothing about
speed is asserted, only that every figure comes out and is positive."""

import os
import subprocess
import sys

import pytest

from runtimes import ROOT, missing_for

RUN = os.path.join(ROOT, "benchmarks", "links", "run.py")
FIGURES = {
    "wire_round_trip_us",
    "syncom_bytes_per_s",
    "syncom_bit_us",
    "syncom_round_trip_ms",
    "i2c_a_to_b_bytes_per_s",
    "i2c_b_to_a_bytes_per_s",
    "i2c_a_to_b_exchange_us",
    "i2c_b_to_a_exchange_us",
    "i2c_round_trip_ms",
    "local_syncom_bit_us",
    "local_empty_loop_ns",
    "local_tsf_wake_us",
    "local_i2c_exchange_us",
    "local_i2c_bytes_per_s",
    "syncom_bit_per_wire_round_trip",
    "i2c_a_to_b_exchange_per_wire_round_trip",
    "i2c_b_to_a_exchange_per_wire_round_trip",
}


@pytest.mark.parametrize("scheduler", ["asyncio", "fast_io"])
def test_bench_runs(scheduler):
    reason = missing_for("mp-" + scheduler)
    if reason:
        pytest.skip(reason)
    proc = subprocess.run(
        [sys.executable, RUN, "--scale", "0.1", "--scheduler", scheduler],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = dict(line.split() for line in proc.stdout.splitlines())
    assert set(figures) == FIGURES, proc.stdout
    assert all(float(v) > 0 for v in figures.values()), figures
