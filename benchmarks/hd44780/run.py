"""Run bench_refresh.py on the unix MicroPython (built-in asyncio and fast_io) and CPython.

    python benchmarks/hd44780/run.py

Prints, per case, the full-screen refresh time of alcd (best and median of 20 refreshes, in
ms) and the ratio of the best to the controller's minimum for the same bytes (37 us each),
computed in the same run. "driver only" cases use pins or a bus that do nothing (what the
driver itself costs, its waits included); "with model" cases drive the HD44780 model, through
six pins or through the PCF8574 backpack model, whose writes take the bus time of their bytes.
Each figure is the best of 3 runs, since other processes only slow a run down. Nothing here
is asserted: timings depend on the machine.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from runtimes import run_cpython, run_micropython, source_path  # noqa: E402

BENCH = os.path.join(HERE, "bench_refresh.py")
RUNTIMES = ("mp-asyncio", "mp-fast_io", "cpy-asyncio")


def run(runtime):
    args = [BENCH] + (["fast_io"] if runtime.endswith("fast_io") else [])
    run = run_micropython if runtime.startswith("mp") else run_cpython
    proc = run(args, path=source_path(), timeout=600)
    if proc.returncode:
        raise SystemExit(proc.stdout + proc.stderr)
    res = {}
    for line in proc.stdout.splitlines():
        name, best, median, ratio = line.split()
        res[name] = (int(best), int(median), float(ratio))
    return res


def main():
    for runtime in RUNTIMES:
        best = None
        for _ in range(3):
            res = run(runtime)
            if best is None:
                best = res
            else:
                best = {k: min(best[k], v) for k, v in res.items()}
        print(runtime)
        print("  %-28s %9s %9s %8s" % ("case", "best ms", "median ms", "/ 37us"))
        for name, (b, m, r) in best.items():
            print("  %-28s %9.2f %9.2f %8.2f" % (name, b / 1000, m / 1000, r))


if __name__ == "__main__":
    main()
