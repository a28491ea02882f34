"""Run the fast_io benchmarks on MicroPython (default heap and a board-sized heap) and CPython,
and print the medians with their ratios against the reference scheduler of the same run.

    python benchmarks/fast_io/run.py [--reps N] [--smoke] [switch event io timers ram]

bench.py does the measuring inside one interpreter, alternating the schedulers; this script
starts it once per interpreter and benchmark, collects its JSON lines, and prints a Markdown
table: the median of the repetitions and `x asyncio`, how many times better than the
reference (asyncio on the same interpreter, in the same process) the figure is (> 1: better).
Nothing is asserted: the figures depend on the machine.
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PACKAGE = os.path.join(ROOT, "micropython", "uasyncio-fast_io")
BENCH = os.path.join(HERE, "bench.py")
ALL = ["switch", "event", "io", "timers", "ram"]
HIGHER_IS_BETTER = {"round trips/s", "% busy"}


def micropython():
    here = os.path.join(os.path.dirname(sys.executable), "micropython")
    return here if os.path.exists(here) else shutil.which("micropython")


def interpreters(smoke):
    mp = micropython()
    out = []
    if mp:
        env = dict(os.environ, MICROPYPATH=os.pathsep.join([".frozen", PACKAGE]))
        out.append(("MicroPython", [mp], env))
        if not smoke:
            out.append(("MicroPython 192k heap", [mp, "-X", "heapsize=192k"], env))
    env = dict(os.environ, PYTHONPATH=PACKAGE, PYTHONDONTWRITEBYTECODE="1")
    out.append(("CPython", [sys.executable], env))
    return out


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def collect(benches, reps, smoke):
    results = {}  # (interp, bench, case, n, impl) -> [values], unit
    for label, cmd, env in interpreters(smoke):
        for b in benches:
            if b == "ram" and not label.startswith("MicroPython"):
                continue
            args = cmd + [BENCH, b, "--reps", str(reps)] + (["--small"] if smoke else [])
            proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT)
            if proc.returncode:
                sys.stderr.write(proc.stdout + proc.stderr)
                raise SystemExit("%s %s failed" % (label, b))
            out = proc.stdout
            if b == "ram":  # import cost, each scheduler in a fresh interpreter
                for which in ("asyncio", "fast_io"):
                    out += subprocess.run(
                        args + ["--import", which],
                        capture_output=True,
                        text=True,
                        env=env,
                        cwd=ROOT,
                    ).stdout
            for line in out.splitlines():
                d = json.loads(line)
                key = (label, d["bench"], d["case"], d["n"], d["impl"])
                results.setdefault(key, ([], d["unit"]))[0].append(d["value"])
    return results


def ratio(value, ref, unit):
    if not ref or not value:
        return ""
    r = value / ref if unit in HIGHER_IS_BETTER else ref / value
    return "%.2f" % r


def fmt(v):
    if abs(v) >= 1000:
        return "%d" % round(v)
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.3f" % v


def table(results):
    print("| interpreter | measure | case | N | scheduler | median | unit | x asyncio |")
    print("|---|---|---|---|---|---|---|---|")
    for key in sorted(results, key=lambda k: (k[0], k[1], k[2], k[3], k[4] != "asyncio", k[4])):
        label, bench, case, n, impl = key
        values, unit = results[key]
        m = median(values)
        ref_key = (label, bench, case, n, "asyncio")
        ref = median(results[ref_key][0]) if ref_key in results else None
        plain = impl == "asyncio" or "alloc" in bench or bench == "timers_mean"
        r = "" if plain else ratio(m, ref, unit)
        print(
            "| %s | %s | %s | %s | %s | %s | %s | %s |"
            % (label, bench, case, n, impl, fmt(m), unit, r)
        )


def main(argv):
    smoke = "--smoke" in argv
    reps = 1 if smoke else 5
    if "--reps" in argv:
        reps = int(argv[argv.index("--reps") + 1])
    benches = [a for a in argv[1:] if a in ALL] or (["switch", "event"] if smoke else ALL)
    table(collect(benches, reps, smoke))


if __name__ == "__main__":
    main(sys.argv)
