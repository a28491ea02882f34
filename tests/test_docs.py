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
