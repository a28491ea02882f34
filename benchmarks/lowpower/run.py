"""Typical applications on the board power model, with and without lowpower: a table.

    python benchmarks/lowpower/run.py [SECONDS]

Runs bench_sleep.py on the real MicroPython three ways: lowpower through fast_io's idle hook
("hook"), through the fallback task under the built-in asyncio ("fallback"), and fast_io
waiting awake in WFI ("awake", latency 0: what the board draws without lowpower). Prints a
markdown table of the model's figures (the same on every machine: docs/LOWPOWER.md quotes it
and tests/test_lowpower_bench.py checks the quote), then the host CPU time per wake-up, which
depends on this machine and is not a board figure.

Columns: time asleep (stop mode or lightsleep), waking (oscillator restart), running (the
CPU executes) and idle (awake in WFI), in % of the time; wake-ups per second; how late timers
fire in true time, mean and worst; the average current from the profile's figures; the
saving against staying awake; under the fallback, the extra task resumes per wake-up.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from runtimes import run_micropython  # noqa: E402

BENCH = os.path.join(HERE, "bench_sleep.py")
PATH = [
    os.path.join(ROOT, "micropython", "fast_io"),
    os.path.join(ROOT, "micropython", "lowpower"),
    os.path.join(ROOT, "python-ecosys", "devmodels"),
]
MODES = ("hook", "fallback", "awake")
SECONDS = 120


def measure(mode, seconds=SECONDS):
    """{(app, board): fields} for one mode."""
    proc = run_micropython([BENCH, mode, str(seconds)], path=PATH, timeout=600)
    if proc.returncode:
        raise RuntimeError(proc.stdout + proc.stderr)
    out = {}
    for line in proc.stdout.splitlines():
        f = line.split()
        out[(f[0], f[1])] = {
            "asleep": float(f[2]),
            "waking": float(f[3]),
            "run": float(f[4]),
            "idle": float(f[5]),
            "wakeups": float(f[6]),
            "late_mean": float(f[7]),
            "late_max": float(f[8]),
            "ma": float(f[9]),
            "extra": f[10],
            "host_us": float(f[11]),
        }
    return out


def table(seconds=SECONDS):
    """The markdown table (a list of lines) and the host figures."""
    res = {m: measure(m, seconds) for m in MODES}
    lines = [
        "| app | board | sleeping with | asleep % | waking % | running % | idle % "
        "| wake-ups/s | late mean / max ms | average mA | saving | extra resumes/wake |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    host = []
    for key in res["hook"]:
        awake = res["awake"][key]["ma"]
        for mode in MODES:
            r = res[mode][key]
            lines.append(
                "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f / %.1f | %.2f | %s "
                "| %s |"
                % (
                    key[0],
                    key[1],
                    mode,
                    100 * r["asleep"],
                    100 * r["waking"],
                    100 * r["run"],
                    100 * r["idle"],
                    r["wakeups"],
                    r["late_mean"],
                    r["late_max"],
                    r["ma"],
                    "-" if mode == "awake" else "%.0fx" % (awake / r["ma"]),
                    r["extra"],
                )
            )
            host.append("%s %s %s: %.0f us" % (key[0], key[1], mode, r["host_us"]))
    return lines, host


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else SECONDS
    lines, host = table(seconds)
    print("Model figures, %d s of each application:\n" % seconds)
    print("\n".join(lines))
    print("\nHost CPU time per wake-up on this machine (unix port; not a board figure):")
    for h in host:
        print("  " + h)


if __name__ == "__main__":
    main()
