"""Every runnable example in the docs runs, on MicroPython and on CPython, from the source
tree. (tests/test_mip_install.py runs the package READMEs' examples again from installed
files.)"""

import os

import pytest
from docs_examples import documents, examples, package_of_document
from runtimes import ROOT, package_dirs, run_cpython, run_micropython, unsupported


def _cases():
    for doc in documents():
        for interpreter in ("mp", "cpy"):
            for line, source in examples(os.path.join(ROOT, doc), interpreter):
                yield pytest.param(
                    doc, line, interpreter, source, id="%s:%d-%s" % (doc, line, interpreter)
                )


@pytest.mark.parametrize("doc,line,interpreter,source", list(_cases()))
def test_example_runs(doc, line, interpreter, source, tmp_path):
    package = package_of_document(doc)
    reason = interpreter == "mp" and package and unsupported(package, "mp-asyncio")
    if reason:
        pytest.skip(reason)
    script = tmp_path / "example.py"
    script.write_text(source)
    run = run_micropython if interpreter == "mp" else run_cpython
    proc = run([str(script)], timeout=60)
    assert proc.returncode == 0, "%s:%d\n%s%s" % (doc, line, proc.stdout, proc.stderr)


def test_every_package_readme_has_an_example():
    missing = []
    for name, path in package_dirs().items():
        readme = os.path.join(path, "README.md")
        if not os.path.exists(readme) or not examples(readme):
            missing.append(name)
    assert not missing, "package READMEs without a ```python example``` block: %s" % missing


def _api_sections(readme):
    """[(class name, [(method name, bullet text)])] from `### \\`Class(...)\\`` sections."""
    import re

    sections = []
    with open(readme) as f:
        for line in f:
            m = re.match(r"^###\s+`(\w+)\(", line)
            if m:
                sections.append((m.group(1), []))
            elif line.startswith("#"):
                sections.append((None, []))
            elif sections and sections[-1][0]:
                for name in re.findall(r"(?:^- |\. )`(\w+)\(", line):
                    sections[-1][1].append((name, line.strip()))
    return [s for s in sections if s[0]]


def test_package_readme_api_names_exist():
    """Every call a package README lists under `### \\`Class(...)\\`` exists on that class;
    a name that is the instance itself (`sw()`) must say `calling the instance`."""
    import importlib
    import sys

    from runtimes import source_path

    wrong = []
    sys.path[:0] = source_path()
    for name, path in package_dirs().items():
        readme = os.path.join(path, "README.md")
        sections = _api_sections(readme) if os.path.exists(readme) else []
        if not sections:
            continue
        modules = [
            importlib.import_module(f[:-3])
            for f in sorted(os.listdir(path))
            if f.endswith(".py") and f != "manifest.py"
        ]
        for cls_name, calls in sections:
            cls = next((getattr(m, cls_name) for m in modules if hasattr(m, cls_name)), None)
            if cls is None:
                continue  # a package that is a directory: its own tests cover it
            for call, text in calls:
                if hasattr(cls, call):
                    continue
                callable_instance = any("__call__" in vars(k) for k in cls.__mro__[:-1])
                if "calling the instance" in text and callable_instance:
                    continue
                wrong.append("%s: %s.%s()" % (name, cls_name, call))
    assert not wrong, "README API entries that are not there: %s" % wrong
