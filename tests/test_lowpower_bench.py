"""docs/LOWPOWER.md quotes the model's figures from benchmarks/lowpower/run.py: each row of
the table there must be what the benchmark prints now (the model is deterministic, so the
figures are the same on every machine)."""

import os
import sys

from runtimes import ROOT

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
