"""RAM that packages keep when frozen into firmware, where their bytecode stays in flash but
importing still builds each module's functions, classes and dictionaries in RAM.

Needs a MicroPython with the collection frozen: MICROPYTHON=path to a unix-port build made
with FROZEN_MANIFEST set to a manifest that includes this repository's manifest.py (see
docs/CONTRIBUTING.md). With any other interpreter every test here reports a skip. The figures
the docs give were measured this way, on a 64-bit unix build of MicroPython 1.29; the test
checks them when it runs on such a build.
"""

import re

import pytest
import test_asyn
from runtimes import ROOT, micropython_info, run_micropython

STATED_ON = (1, 29)  # the release whose frozen unix build measured the figures in the docs


def _frozen_build():
    if micropython_info() is None:
        return False
    proc = run_micropython(["-c", "import asyn, fast_io, aswitch"], path=[])
    return proc.returncode == 0


needs_frozen = pytest.mark.skipif(
    "not _frozen_build()",
    reason="needs MICROPYTHON= a MicroPython build with the collection frozen",
)


def measure_frozen(names):
    """Bytes that `from asyn import <names>` keeps with asyn frozen, measured as
    tests/test_asyn.py measures the .mpy figures (the scheduler and `import asyn` first)."""
    probe = test_asyn._PROBE.replace("from asyn import %(name)s", "from asyn import " + names)
    proc = run_micropython(["-c", probe % {"name": "", "make": "None"}], path=[])
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT")]
    assert proc.returncode == 0 and line, proc.stdout + proc.stderr
    return int(line[0].split()[1])


@needs_frozen
def test_frozen_asyn_keeps_what_its_readme_says():
    names = ", ".join(test_asyn.PRIMITIVES)
    frozen = measure_frozen(names)
    with open(ROOT + "/python-ecosys/asyn/README.md") as f:
        text = " ".join(f.read().split())
    m = re.search(r"importing every name above keeps (\d+) bytes", text)
    assert m, "asyn's README no longer states the frozen figure"
    print("frozen asyn, every name: %d bytes" % frozen)
    here = tuple(micropython_info()["version"][:2])
    if here != STATED_ON:
        pytest.skip("figures stated for %s; this build is %s: %d" % (STATED_ON, here, frozen))
    assert frozen == int(m.group(1))
