"""Task switch, wait_for and gather on the unix MicroPython, timed in the process's own CPU
time, which the load of a shared machine barely moves (wall-clock medians move by tens of
percent between runs).

    python benchmarks/fast_io/cputime.py [--reps N] [--package DIR] [--small]

Runs one MicroPython process holding the built-in asyncio, today's fast_io, "floor" (today's
fast_io with its round boundary taken out, so that rounds never end: what a switch costs
without it; only the switch figures mean something for it) and, with --package, another copy
of fast_io (a directory holding fast_io/, e.g. an older version), each under its own package
name, their repetitions alternating. Prints µs per operation (lower is better): the median of
the repetitions and how many times faster than the built-in it is. CPU time comes from
/proc/self/stat in 10 ms ticks, hence the long runs (0.4 s or so each; --small: 1/20 of that,
only to check that the script works). Nothing is asserted.
"""

import sys

if sys.implementation.name != "micropython":
    import os
    import shutil
    import subprocess
    import tempfile

    HERE = os.path.dirname(os.path.abspath(__file__))
    ROOT = os.path.dirname(os.path.dirname(HERE))
    PACKAGE = os.path.join(ROOT, "micropython", "fast_io", "fast_io")
    # The round boundary runs when the round's count `n` reaches 0: make the count endless.
    FLOOR_FROM = "            n = length(ring)\n"
    FLOOR_TO = "            n = length(ring) << 30\n"

    def main(argv):
        reps = argv[argv.index("--reps") + 1] if "--reps" in argv else "5"
        scale = "20" if "--small" in argv else "1"
        here = os.path.join(os.path.dirname(sys.executable), "micropython")
        mp = here if os.path.exists(here) else shutil.which("micropython")
        with tempfile.TemporaryDirectory() as tmp:
            names = ["fast_io"]
            shutil.copytree(PACKAGE, os.path.join(tmp, "fast_io"))
            floor = os.path.join(tmp, "floor")
            shutil.copytree(PACKAGE, floor)
            core = os.path.join(floor, "core.py")
            src = open(core).read()
            if src.count(FLOOR_FROM) != 1:
                raise SystemExit("cputime.py: core.py's round boundary has changed; update FLOOR")
            with open(core, "w") as f:
                f.write(src.replace(FLOOR_FROM, FLOOR_TO))
            names.append("floor")
            if "--package" in argv:
                other = os.path.join(os.path.abspath(argv[argv.index("--package") + 1]))
                shutil.copytree(os.path.join(other, "fast_io"), os.path.join(tmp, "other"))
                names.append("other")
            env = dict(os.environ, MICROPYPATH=os.pathsep.join([".frozen", tmp]))
            proc = subprocess.run(
                [mp, os.path.abspath(__file__), reps, scale] + names,
                env=env,
                cwd=ROOT,
                text=True,
            )
            raise SystemExit(proc.returncode)

    main(sys.argv)
    raise SystemExit(0)

import gc  # noqa: E402 (MicroPython from here on)

import asyncio  # noqa: E402


def cpu_us():
    with open("/proc/self/stat") as f:
        fields = f.read().split(") ")[1].split()
    return (int(fields[11]) + int(fields[12])) * 10000  # utime + stime, 10 ms ticks


async def switch(aio, n, rounds):
    fn = aio.sleep  # as bench.py does

    async def worker():
        for _ in range(rounds):
            await fn(0)

    ts = [aio.create_task(worker()) for _ in range(n)]
    await aio.sleep(0)
    gc.collect()
    t0 = cpu_us()
    for t in ts:
        await t
    return (cpu_us() - t0) / (n * rounds)


async def _nothing():
    return 1


async def wait_for(aio, rounds):
    t0 = cpu_us()
    for _ in range(rounds):
        await aio.wait_for(_nothing(), 1)
    return (cpu_us() - t0) / rounds


async def gather(aio, rounds):
    t0 = cpu_us()
    for _ in range(rounds):
        await aio.gather(*[_nothing() for _ in range(100)])
    return (cpu_us() - t0) / (100 * rounds)


SCALE = int(sys.argv[2])  # divides the run lengths
CASES = (
    ("switch, 1 task", lambda aio: switch(aio, 1, 400000 // SCALE)),
    ("switch, 10 tasks", lambda aio: switch(aio, 10, 40000 // SCALE)),
    ("wait_for round trip", lambda aio: wait_for(aio, 100000 // SCALE)),
    ("gathered task", lambda aio: gather(aio, 2500 // SCALE)),
)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def run(reps, names):
    impls = [("asyncio", asyncio)] + [(n, __import__(n)) for n in names]
    res = {}
    for _ in range(reps):
        for name, aio in impls:
            for case, fn in CASES:
                aio.new_event_loop()
                res.setdefault((case, name), []).append(aio.run(fn(aio)))
    print("| µs per operation (CPU time) | " + " | ".join(n for n, _ in impls) + " |")
    print("|---" * (1 + len(impls)) + "|")
    for case, _ in CASES:
        ref = median(res[(case, "asyncio")])
        cells = ["%.3f" % ref]
        for name, _ in impls[1:]:
            v = median(res[(case, name)])
            cells.append("%.3f (%.2fx)" % (v, ref / v))
        print("| %s | %s |" % (case, " | ".join(cells)))


run(int(sys.argv[1]), sys.argv[3:])
