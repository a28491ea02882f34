"""Typical applications on the board power model, with and without lowpower: a table.

    python benchmarks/lowpower/run.py [SECONDS]
    python benchmarks/lowpower/run.py --round MICROPYTHON_SOURCE

Runs bench_sleep.py on the real MicroPython four ways: lowpower through fast_io's idle hook
("hook"), the same with wake-ups put off by up to 200 ms so that close deadlines share one
("coalesce", `coalesce_ms=200`), through the fallback task under the built-in asyncio
("fallback"), and fast_io waiting awake in WFI ("awake", latency 0: what the board draws
without lowpower). Prints a markdown table of the model's figures (the same on every machine:
docs/LOWPOWER.md quotes it and tests/test_lowpower_bench.py checks the quote), then the host
CPU time per wake-up, which depends on this machine and is not a board figure.

--round measures the profiles' round_us, the CPU time of one wake-up's work on a board (see
round_cost() below); MICROPYTHON_SOURCE is a MicroPython checkout or git directory, whose
tests/perf_bench scripts it runs (they are not copied into this repository).

Columns: time asleep (stop mode or lightsleep), waking (oscillator restart), running (the
CPU executes) and idle (awake in WFI), in % of the time; wake-ups per second; how late timers
fire in true time, mean and worst; the average current from the profile's figures; the
saving against staying awake; under the fallback, the extra task resumes per wake-up.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from runtimes import run_micropython  # noqa: E402

BENCH = os.path.join(HERE, "bench_sleep.py")
ROUND = os.path.join(HERE, "bench_round.py")
PATH = [
    os.path.join(ROOT, "micropython", "fast_io"),
    os.path.join(ROOT, "micropython", "lowpower"),
    os.path.join(ROOT, "python-ecosys", "devmodels"),
]
MODES = ("hook", "coalesce", "fallback", "awake")
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


# round_us: the CPU time of one wake-up's work on a board (fast_io's round, the woken blink
# task, lowpower's hook and clock), found without a board:
#   1. bench_round.py times it on this machine's unix MicroPython (blink3, lowpower's real
#      board objects on stand-ins that only move a counter; the fastest of several runs);
#   2. MicroPython's own benchmarks, tests/perf_bench/misc_pystone.py and core_yield_from.py,
#      run here with the parameters (N=168, M=100) whose Pyboard v1.1 scores MicroPython
#      publishes in tests/README.md ("Benchmarking a target"): PYB_SCORES. The host's score
#      over the Pyboard's is how much faster this machine runs MicroPython;
#   3. the Pico from the Pyboard: one benchmark run with MicroPython 1.24.1 on both boards
#      took 13.0 s on a pyboard v1.1 and 19.8 s on a Pico W (RP2040 at 125 MHz), published
#      by Stewart Russell (scruss.com, "Parallel MicroPython Benchmarking"): PICO_OVER_PYB.
# Of the two benchmarks the one that gives the longer round is kept: the figure may be high,
# never flattering.
PYB_SCORES = {"misc_pystone": 2265.36, "core_yield_from": 357.57}
PICO_OVER_PYB = 19.8 / 13.0
PERF_BENCH = ("benchrun.py", "misc_pystone.py", "core_yield_from.py")


def _perf_bench_source(src, name):
    # A file of MicroPython's tests/perf_bench, from a checkout or from a git directory.
    path = os.path.join(src, "tests", "perf_bench", name)
    if os.path.exists(path):
        with open(path) as f:
            return f.read()
    out = subprocess.run(
        ["git", "-C", src, "show", "HEAD:tests/perf_bench/" + name],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def host_scores(src, repeats=20):
    """{benchmark: best score} of MicroPython's perf_bench on this machine, N=168 M=100."""
    bench = {n: _perf_bench_source(src, n) for n in PERF_BENCH}
    scores = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in PYB_SCORES:
            script = os.path.join(tmp, name + ".py")
            with open(script, "w") as f:
                f.write(bench["benchrun.py"] + bench[name + ".py"] + "\nbm_run(168, 100)\n")
            best = 0.0
            for _ in range(repeats):
                proc = run_micropython([script], path=[tmp], timeout=120)
                us, norm = proc.stdout.split()[:2]
                best = max(best, 1e6 * int(norm) / int(us))  # run-perfbench.py's score
            scores[name] = best
    return scores


def host_round_us(board, seconds=600, repeats=5):
    """The host CPU time (us) of one wake-up's work in blink3 through `board` (pyb or
    machine), the fastest of `repeats` runs."""
    proc = run_micropython([ROUND, board, str(seconds), str(repeats)], path=PATH, timeout=600)
    if proc.returncode:
        raise RuntimeError(proc.stdout + proc.stderr)
    return float(proc.stdout.split()[2])


def round_cost(src):
    """Lines of report: the measurements and the round_us they give each profile."""
    scores = host_scores(src)
    host = {"pyb": host_round_us("pyb"), "machine": host_round_us("machine")}
    out = [
        "host CPU time per wake-up of blink3: PybBoard %.2f us, MachineBoard %.2f us"
        % (host["pyb"], host["machine"])
    ]
    pyb, pico = [], []
    for name, pyb_score in PYB_SCORES.items():
        ratio = scores[name] / pyb_score
        pyb.append(host["pyb"] * ratio)
        pico.append(host["machine"] * ratio * PICO_OVER_PYB)
        out.append(
            "%s N=168 M=100: host %.0f, Pyboard v1.1 %.2f (published): host %.1fx faster"
            " -> Pyboard round %.0f us, Pico round %.0f us"
            % (name, scores[name], pyb_score, ratio, pyb[-1], pico[-1])
        )
    out.append(
        "round_us (the longer of the two): PYBOARD %.0f us, PICO %.0f us" % (max(pyb), max(pico))
    )
    return out


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--round":
        print("\n".join(round_cost(sys.argv[2])))
        return
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else SECONDS
    lines, host = table(seconds)
    print("Model figures, %d s of each application:\n" % seconds)
    print("\n".join(lines))
    print("\nHost CPU time per wake-up on this machine (unix port; not a board figure):")
    for h in host:
        print("  " + h)


if __name__ == "__main__":
    main()
