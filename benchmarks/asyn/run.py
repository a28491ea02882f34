"""Run bench_primitives.py on every scheduler and print round trips per second as ratios.

    python benchmarks/asyn/run.py [round trips [runs]]

Each figure is the best of `runs` (default 3) runs, since other processes only slow a run.

Rows: MicroPython with its built-in asyncio and with fast_io, each on the default heap and on
`-X heapsize=192k`; CPython with asyncio and with fast_io. Each ratio is asyn's primitive
against the same scheduler's own in the same process: the scheduler's Event for Event and
Queue (MicroPython has no Queue of its own) and Semaphore where it has none, its Lock for
Lock. Above 1.00 means asyn is faster. Bytes are allocated per round trip (MicroPython).
Nothing here is asserted: timings depend on the machine.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from runtimes import MICROPYTHON, run_cpython, run_micropython  # noqa: E402

BENCH = os.path.join(HERE, "bench_primitives.py")
PATH = [
    os.path.join(ROOT, "python-ecosys", "asyn"),
    os.path.join(ROOT, "micropython", "fast_io"),
]

# (primitive, the reference it is compared with: own same-named primitive if present, else)
PAIRS = (("Event", "Event"), ("Lock", "Lock"), ("Queue", "Event"), ("Semaphore", "Event"))


def run(label, n):
    args = [BENCH, str(n)] + (["fast_io"] if "fast_io" in label else [])
    if label.startswith("mp"):
        heap = "192k" if "192k" in label else None
        proc = run_micropython(args, path=PATH, heapsize=heap, timeout=600)
    else:
        proc = run_cpython(args, path=PATH, timeout=600)
    if proc.returncode:
        return None, proc.stdout + proc.stderr
    res = {}
    for line in proc.stdout.splitlines():
        name, rate, per = line.split()
        res[name] = (int(rate), int(per))
    return res, None


def best_of(label, n, repeat):
    # Other processes on the machine only ever slow a run down: keep each figure's best.
    best = None
    for _ in range(repeat):
        res, err = run(label, n)
        if res is None:
            return None, err
        if best is None:
            best = res
        else:
            best = {k: (max(best[k][0], v[0]), v[1]) for k, v in res.items()}
    return best, None


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    labels = ["cpy-asyncio", "cpy-fast_io"]
    if MICROPYTHON:
        labels = ["mp-asyncio", "mp-asyncio 192k", "mp-fast_io", "mp-fast_io 192k"] + labels
    head = (
        "| scheduler | "
        + " | ".join("%s asyn/s (ratio, B/rt)" % p for p, _ in PAIRS)
        + " | own Event/s | own Lock/s |"
    )
    print(head)
    print("|" + "---|" * (len(PAIRS) + 3))
    for label in labels:
        res, err = best_of(label, n, repeat)
        if res is None:
            print("| %s | failed: %s |" % (label, err.strip().splitlines()[-1:]))
            continue
        cells = []
        for prim, ref in PAIRS:
            mine = res.get(prim + "/asyn")
            own = res.get(prim + "/scheduler") or res.get(ref + "/scheduler")
            cells.append("%d (%.2f, %d)" % (mine[0], mine[0] / own[0], max(mine[1], 0)))
        print(
            "| %s | %s | %d | %d |"
            % (label, " | ".join(cells), res["Event/scheduler"][0], res["Lock/scheduler"][0])
        )


if __name__ == "__main__":
    main()
