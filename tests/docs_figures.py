"""Figures in the docs that the tests produce: tables between markers are rewritten from a
measurement, and tests/test_docs.py fails when one is stale.

    python3 tests/docs_figures.py        rewrite every marked table (needs .venv's MicroPython)

The RAM table of asyn (python-ecosys/asyn/README.md and docs/PRIMITIVES.md) comes from
tests/test_asyn.py's ram_table(): fresh interpreters importing each name from .mpy files.
The figures belong to one MicroPython build, the one in .venv (FIGURES_MICROPYTHON): with
MICROPYTHON= another build they differ, and the check is skipped.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from runtimes import ROOT  # noqa: E402

FIGURES_MICROPYTHON = (1, 29)  # the release whose unix port measured the marked tables
TABLES = {
    # marker name -> (files holding the table, function returning it)
    "asyn ram": (("python-ecosys/asyn/README.md", "docs/PRIMITIVES.md"), "test_asyn:ram_table"),
    "switch ram": (("drivers/switch/README.md",), "docs_figures:switch_ram_table"),
}

SWITCH_ROWS = (
    ("pushbutton_bare", "`Pushbutton`, no handlers (the object and its polling task)"),
    (
        "pushbutton_all",
        "`Pushbutton`, four callback handlers (adds two `asyn.Delay_ms` timers, each with a task)",
    ),
    ("pushbutton_events", "`Pushbutton`, four Event attributes (handlers `None`)"),
    ("switch_both", "`Switch`, two callback handlers"),
)


def switch_ram_table():
    """The switch README's RAM table and .mpy size, from tests/test_switch_ram.py's script."""
    import tempfile

    import test_switch_ram
    from runtimes import compile_mpy, run_micropython

    rows = ["| what | RAM per instance |", "|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "measure.py")
        with open(script, "w") as f:
            f.write(test_switch_ram.MEASURE)
        for kind, what in SWITCH_ROWS:
            proc = run_micropython([script, kind])
            assert proc.returncode == 0, proc.stdout + proc.stderr
            rows.append("| %s | %s bytes |" % (what, proc.stdout.split()[1]))
        size = os.path.getsize(compile_mpy(test_switch_ram.ASWITCH, tmp))
    rows += ["", "`aswitch.mpy` (`mpy-cross` 1.29, without the `__version__` line that mip adds):"]
    rows[-1] += " %d bytes." % size
    return "\n".join(rows)


def _markers(name):
    return "<!-- %s: made by tests/docs_figures.py -->" % name, "<!-- /%s -->" % name


def current(name):
    module, func = TABLES[name][1].split(":")
    return getattr(__import__(module), func)()


def stale_tables(write=False):
    """Files whose marked tables differ from a fresh measurement (rewritten if `write`)."""
    stale = []
    for name, (files, _) in TABLES.items():
        table = current(name)
        start, end = _markers(name)
        for rel in files:
            path = os.path.join(ROOT, rel)
            with open(path) as f:
                text = f.read()
            head, sep, rest = text.partition(start)
            if not sep or end not in rest:
                stale.append("%s: no %s markers" % (rel, name))
                continue
            new = head + start + "\n" + table + "\n" + end + rest.split(end, 1)[1]
            if new != text:
                stale.append(rel)
                if write:
                    with open(path, "w") as f:
                        f.write(new)
    return stale


if __name__ == "__main__":
    for rel in stale_tables(write=True):
        print("rewrote", rel)
