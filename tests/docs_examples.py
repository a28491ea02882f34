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


# docs/ files that document one package: their examples need what that package needs.
DOCUMENT_PACKAGES = {"docs/PRIMITIVES.md": "asyn", "docs/FAST_IO.md": "fast_io"}


def package_of_document(doc):
    """The package a markdown file (relative path) documents, or None."""
    if doc in DOCUMENT_PACKAGES:
        return DOCUMENT_PACKAGES[doc]
    parts = doc.split("/")
    return parts[-2] if len(parts) > 2 and parts[-1] == "README.md" else None


def model_examples(path, count=1):
    """The `count` example blocks of a package README that run on the models: each source
    led by the README's setup block (`import devmodels` first)."""
    blocks = examples(path)
    assert len(blocks) == count, "want %d ```python example block(s) in %s" % (count, path)
    for _, source in blocks:
        assert source.startswith("import devmodels\n"), "the setup block comes first"
    return [source for _, source in blocks]


def run_example(tmp_path, source, runtime, package):
    """Run an example's `source` as a script under `runtime` (mp-asyncio, mp-fast_io,
    cpy-asyncio, cpy-fast_io; fast_io installed first for the fast_io ones) with the source
    tree on the path; returns the CompletedProcess. Skips, with the reason, where the
    interpreter in use lacks what the runtime needs or `package` does not support it."""
    import pytest
    from runtimes import missing_for, run_cpython, run_micropython, source_path, unsupported

    reason = missing_for(runtime) or unsupported(package, runtime)
    if reason:
        pytest.skip(reason)
    if runtime.endswith("fast_io"):
        source = "import fast_io\n\nfast_io.install()\n" + source
    script = os.path.join(str(tmp_path), "example.py")
    with open(script, "w") as f:
        f.write(source)
    run = run_micropython if runtime.startswith("mp-") else run_cpython
    return run([script], path=source_path(), timeout=60)
