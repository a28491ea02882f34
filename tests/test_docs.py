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


# -- claims in the README and docs, checked against what the code and tests say ---------------


def _read(rel):
    with open(os.path.join(ROOT, rel)) as f:
        return f.read()


def test_readme_oldest_micropython_is_the_oldest_any_package_supports():
    import re
    import sys

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from build import oldest_micropython

    oldest = []
    for path in package_dirs().values():
        found = oldest_micropython(path)
        if found:
            oldest.append(min(found.version, found.fast_io or found.version))
    m = re.search(r"MicroPython (\d+)\.(\d+) or later, the first with `mip`", _read("README.md"))
    assert m, "README.md no longer says which MicroPython the install route needs"
    assert (int(m.group(1)), int(m.group(2))) == min(oldest) == (1, 20)


def test_readme_python_versions_are_those_the_tools_enforce():
    import sys

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import dev
    import pypi

    text = _read("README.md")
    assert "but Python %d.%d or later" % dev.MIN_PYTHON in text
    assert "(CPython %s or later)" % pypi.REQUIRES_PYTHON.lstrip(">=") in text
    assert "(CPython %s or later)" % pypi.REQUIRES_PYTHON.lstrip(">=") in _read(
        "python-ecosys/asyn/README.md"
    )


def test_relative_links_in_docs_lead_somewhere():
    import re

    broken = []
    for doc in documents() + ["CHANGELOG.md"]:
        for target in re.findall(r"\]\(([^)\s]+)\)", _read(doc)):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            path = os.path.join(ROOT, os.path.dirname(doc), target.split("#")[0])
            if not os.path.exists(path):
                broken.append("%s -> %s" % (doc, target))
    assert not broken, broken


def test_github_urls_are_not_broken_across_lines():
    import re

    broken = []
    for doc in documents() + ["CHANGELOG.md"]:
        for n, line in enumerate(_read(doc).split("\n"), 1):
            for m in re.finditer(r"github:\S*", line):
                if m.end() == len(line.rstrip()) and not re.search(r"[`\"')]$", m.group(0)):
                    broken.append("%s:%d: %s" % (doc, n, m.group(0)))
    assert not broken, broken


def test_docs_name_no_notes_a_reader_does_not_have():
    stale = []
    phrases = ["ARCHITECTURE.md", "shared notes", "tests/models/"]
    # Packages the docs once promised before they existed: named only once they do.
    phrases += [name for name in ("lowpower",) if name not in package_dirs()]
    for doc in documents():
        text = _read(doc)
        for phrase in phrases:
            if phrase in text:
                stale.append("%s: %s" % (doc, phrase))
    assert not stale, stale


def test_contributing_describes_what_dev_test_runs():
    text = _read("docs/CONTRIBUTING.md")
    with open(os.path.join(ROOT, "tools", "dev.py")) as f:
        assert '["-n", "auto"]' in f.read()
    assert "`-n auto`" in text and "-n 2" not in text


def test_primitives_names_the_cpython_versions_tested():
    import sys

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import dev
    import pypi

    text = " ".join(_read("docs/PRIMITIVES.md").split())
    assert "also run on CPython %s, the oldest" % pypi.REQUIRES_PYTHON.lstrip(">=") in text
    assert "(%d.%d or later)" % dev.MIN_PYTHON in text


def test_measured_tables_in_the_docs_are_current():
    """Tables between `<!-- name: made by tests/docs_figures.py -->` markers are what a fresh
    measurement gives (rewrite them with `python3 tests/docs_figures.py`)."""
    import docs_figures
    from runtimes import micropython_version

    here = micropython_version()
    if here is None or here[:2] != docs_figures.FIGURES_MICROPYTHON:
        pytest.skip(
            "the figures are for MicroPython %s; this is %s"
            % (docs_figures.FIGURES_MICROPYTHON, here)
        )
    stale = docs_figures.stale_tables()
    assert not stale, "stale figures (run python3 tests/docs_figures.py): %s" % stale
