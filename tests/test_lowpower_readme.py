"""The lowpower README's example under fast_io too (tests/test_docs.py runs it under the
built-in asyncio): the README says the same code works once `fast_io.install()` comes first,
the fallback task then returning at once."""

import os

from docs_examples import examples, run_example
from runtimes import ROOT

README = os.path.join(ROOT, "micropython", "lowpower", "README.md")


def test_readme_example_under_fast_io(tmp_path):
    blocks = examples(README, "mp")
    assert len(blocks) == 1, "want exactly one runnable example"
    source = blocks[0][1] + "import asyncio\n\nassert hasattr(asyncio, 'set_idle_hook')\n"
    source += "assert sleeper.sleeps > 0 and board.report()['asleep'] > 0.9\n"
    proc = run_example(tmp_path, source, "mp-fast_io", "lowpower")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "slept" in proc.stdout, proc.stdout
