"""Runnable examples in the docs: fenced blocks opened with ```python example.

Every README.md of a package and every docs/*.md may hold them; tests run each block as a
script, on MicroPython and on CPython (```python example mp``` or ```python example cpy```
limits a block to one of them). An example must finish by itself.

Hardware comes from the devmodels package: a block opened with ```python example setup is not
run by itself but put before every example of the same document. It shows readers how to run
the examples on a PC: `import devmodels; devmodels.install()`, then the models the example
needs (a button's press script, a sensor on the bus).
"""

import glob
import os

from runtimes import ROOT

FENCE = "```python example"
INTERPRETERS = ("mp", "cpy")
SETUP = "setup"


def examples(path, interpreter=None):
    """The example blocks of one markdown file that run on `interpreter` ("mp", "cpy" or
    None for all): [(first line number, source)], each source led by the document's setup
    blocks."""
    found = []
    setup = []
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        words = lines[i].strip().split()
        if words[:2] == FENCE.split():
            where = words[2:] or list(INTERPRETERS)
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            block = "\n".join(lines[start:j]) + "\n"
            if where == [SETUP]:
                setup.append(block)
            elif interpreter is None or interpreter in where:
                found.append((start + 1, block))
            i = j
        i += 1
    return [(line, "".join(setup) + source) for line, source in found]


def documents():
    """Markdown files that may hold examples, relative to the repository root."""
    paths = glob.glob(os.path.join(ROOT, "docs", "*.md"))
    paths += glob.glob(os.path.join(ROOT, "README.md"))
    for lib in ("micropython", "python-ecosys", "drivers"):
        paths += glob.glob(os.path.join(ROOT, lib, "**", "README.md"), recursive=True)
    return sorted(os.path.relpath(p, ROOT) for p in paths)
