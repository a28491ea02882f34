"""Run the fast_io benchmarks on MicroPython (default heap and a board-sized heap) and CPython,
and print the medians with their ratios against the reference scheduler of the same run.

    python benchmarks/fast_io/run.py [--reps N] [--smoke] [--package DIR] [BENCH ...]

BENCH: switch event io timers cpu funcs ram (default: all). --package measures another copy
of the package (a directory holding fast_io/), e.g. an older version, with today's benchmarks.

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
PACKAGE = os.path.join(ROOT, "micropython", "fast_io")
BENCH = os.path.join(HERE, "bench.py")
ALL = ["switch", "event", "io", "timers", "cpu", "funcs", "ram"]
HIGHER_IS_BETTER = {"round trips/s", "% busy", "tasks/s"}


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


def import_ram(args, env):
    """JSON lines of the import RAM: the built-in asyncio (frozen), fast_io from .py and from
    .mpy files (mpy-cross -O3), for each application case of bench.py."""
    import tempfile

    out = ""
    with tempfile.TemporaryDirectory() as tmp:
        mpy_dir = compile_mpy(tmp)
        runs = [("asyncio", "frozen", env), ("fast_io", ".py", env)]
        if mpy_dir:
            mpy_env = dict(env, MICROPYPATH=os.pathsep.join([".frozen", mpy_dir]))
            runs.append(("fast_io", ".mpy", mpy_env))
        for which, label, e in runs:
            for case in ("core", "all"):
                out += subprocess.run(
                    args + ["--import", which, case, label],
                    capture_output=True,
                    text=True,
                    env=e,
                    cwd=ROOT,
                ).stdout
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
                out += import_ram(args, env)
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


IMPLS = ["asyncio", "uvloop", "fast_io", "fast_io+io_prio", "fast_io+io_prio+idle_waiters"]


def table(results):
    """One row per interpreter, measure, case and N; one column per scheduler, each cell the
    median and, after it, how many times better than asyncio it is."""
    rows = {}
    units = {}
    for (label, bench, case, n, impl), (values, unit) in results.items():
        rows.setdefault((label, bench, case, n), {})[impl] = median(values)
        units[(label, bench, case, n)] = unit
    impls = [i for i in IMPLS if any(i in r for r in rows.values())]
    print("| interpreter | measure | case | N | unit | " + " | ".join(impls) + " |")
    print("|---" * (5 + len(impls)) + "|")
    for key in sorted(rows):
        label, bench, case, n = key
        row = rows[key]
        ref = row.get("asyncio")
        plain = "alloc" in bench or bench in ("timers_mean", "import_ram")
        cells = []
        for impl in impls:
            if impl not in row:
                cells.append("")
                continue
            v = row[impl]
            r = "" if plain or impl == "asyncio" or ref is None else ratio(v, ref, units[key])
            cells.append(fmt(v) + (" (%sx)" % r if r else ""))
        print(
            "| %s | %s | %s | %s | %s | %s |"
            % (label, bench, case, n, units[key], " | ".join(cells))
        )


def from_markdown(path):
    """Results back from an earlier run's long table (one median per row)."""
    results = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 8 or cells[0] in ("interpreter", "---"):
                continue
            label, bench, case, n, impl, value, unit, _ = cells
            results[(label, bench, case, int(n), impl)] = ([float(value)], unit)
    return results


def compile_mpy(tmp):
    """fast_io compiled to .mpy under tmp/fast_io (None without mpy-cross); returns tmp."""
    cross = _mpy_cross()
    if not cross:
        return None
    src = os.path.join(PACKAGE, "fast_io")
    os.makedirs(os.path.join(tmp, "fast_io"))
    for name in sorted(os.listdir(src)):
        if name.endswith(".py"):
            out = os.path.join(tmp, "fast_io", name[:-3] + ".mpy")
            subprocess.run([cross, "-O3", "-o", out, os.path.join(src, name)], check=True)
    return tmp


def _mpy_cross():
    here = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    return here if os.path.exists(here) else shutil.which("mpy-cross")


def mpy_sizes():
    """Bytes of each fast_io module compiled by mpy-cross (-O3, as MicroPython freezes its own
    asyncio), and the total."""
    import tempfile

    here = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    cross = here if os.path.exists(here) else shutil.which("mpy-cross")
    if not cross:
        return {}
    sizes = {}
    src = os.path.join(PACKAGE, "fast_io")
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(src)):
            if name.endswith(".py"):
                out = os.path.join(tmp, name[:-3] + ".mpy")
                subprocess.run([cross, "-O3", "-o", out, os.path.join(src, name)], check=True)
                sizes[name[:-3]] = os.path.getsize(out)
    return sizes


def main(argv):
    global PACKAGE
    if "--package" in argv:
        PACKAGE = os.path.abspath(argv[argv.index("--package") + 1])
    smoke = "--smoke" in argv
    reps = 1 if smoke else 5
    if "--reps" in argv:
        reps = int(argv[argv.index("--reps") + 1])
    benches = [a for a in argv[1:] if a in ALL] or (["switch", "event"] if smoke else ALL)
    if "--from" in argv:
        table(from_markdown(argv[argv.index("--from") + 1]))
        return
    table(collect(benches, reps, smoke))
    sizes = mpy_sizes()
    if sizes:
        total = sum(sizes.values())
        print()
        print(
            "fast_io .mpy (mpy-cross -O3): %d bytes in all (%s); %d without task.py, which"
            " MicroPython loads only when the firmware lacks _asyncio"
            % (
                total,
                ", ".join("%s %d" % kv for kv in sizes.items()),
                total - sizes.get("task", 0),
            )
        )


if __name__ == "__main__":
    main(sys.argv)
