"""Throughput and round-trip latency of the board links (syncom, asi2c) on the unix
MicroPython, each end in its own process, the wires modelled by devmodels.wire; with the
wire model's own round trip as the reference measured in the same run.

    python3 benchmarks/links/run.py [--scale X] [--scheduler asyncio|fast_io]

Prints one "name value" line per figure, then each link's figure as a ratio of the wire's
round trip. Nothing here is asserted (tests/test_i2c_bench.py runs it small to see that it
works); docs/LINKS.md explains the figures and the estimate for boards made from them.
"""

import argparse
import os
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from runtimes import MICROPYTHON, source_path  # noqa: E402

END = os.path.join(ROOT, "benchmarks", "links", "bench_end.py")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_pair(kind, scale, scheduler):
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([".frozen"] + source_path())
    port = free_port()
    extra = ["fast_io"] if scheduler == "fast_io" else []
    procs = [
        subprocess.Popen(
            [MICROPYTHON, END, kind, role, str(port), str(scale)] + extra,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        for role in (("a",) if kind == "local" else ("a", "b"))
    ]
    figures = {}
    for p in procs:
        out, _ = p.communicate(timeout=300)
        if p.returncode:
            raise SystemExit("%s end failed:\n%s" % (kind, out))
        for line in out.splitlines():
            name, value = line.split()
            figures[name] = float(value)
    return figures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--scheduler", choices=("asyncio", "fast_io"), default="asyncio")
    args = ap.parse_args(argv)
    figures = {}
    for kind in ("wire", "syncom", "i2c", "local"):
        figures.update(run_pair(kind, args.scale, args.scheduler))
    for name, value in figures.items():
        print(name, value)
    ref = figures["wire_round_trip_us"]
    print("syncom_bit_per_wire_round_trip", round(figures["syncom_bit_us"] / ref, 2))
    for d in ("a_to_b", "b_to_a"):
        print(
            "i2c_%s_exchange_per_wire_round_trip" % d,
            round(figures["i2c_%s_exchange_us" % d] / ref, 2),
        )


if __name__ == "__main__":
    main()
