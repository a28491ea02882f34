"""The lowpower README's example under fast_io too (tests/test_docs.py runs it under the
built-in asyncio): the README says the same code works once `fast_io.install()` comes first,
the fallback task then returning at once."""

import os

from docs_examples import examples
from runtimes import ROOT, run_micropython, source_path

README = os.path.join(ROOT, "micropython", "lowpower", "README.md")


def test_readme_example_under_fast_io(tmp_path):
    blocks = examples(README, "mp")
    assert len(blocks) == 1, "want exactly one runnable example"
    source = "import fast_io\n\nfast_io.install()\n" + blocks[0][1]
    source += "import asyncio\n\nassert hasattr(asyncio, 'set_idle_hook')\n"
    source += "assert sleeper.sleeps > 0 and board.report()['asleep'] > 0.9\n"
    (tmp_path / "example.py").write_text(source)
    proc = run_micropython([str(tmp_path / "example.py")], path=source_path(), timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "slept" in proc.stdout, proc.stdout
