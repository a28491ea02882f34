"""A small repository of toy packages, laid out like ours, for testing the build tools on
cases the real packages never show (broken manifests, version bumps, hash collisions)."""

import os
import textwrap

PACKAGES = {
    # path: {file: content}
    "python-ecosys/toycore/manifest.py": """
        metadata(description="Core of the toys.", version="0.1.0", license="MIT", author="t")
        package("toycore")
    """,
    "python-ecosys/toycore/toycore/__init__.py": "VALUE = 1\n",
    "python-ecosys/toycore/toycore/extra.py": "def double(x):\n    return 2 * x\n",
    "drivers/toydriver/manifest.py": """
        metadata(description="A toy driver.", version="1.0.0", license="MIT", author="t")
        add_library("toy-ecosys", "../../python-ecosys")
        require("toycore", library="toy-ecosys")
        module("toydriver.py")
    """,
    "drivers/toydriver/toydriver.py": "import toycore\n\nVALUE = toycore.VALUE + 1\n",
}


def write(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text).lstrip("\n"))


def make(root, extra=None):
    """Write the toy repository (plus `extra` files) under `root`; returns root."""
    os.makedirs(os.path.join(root, "micropython"), exist_ok=True)
    write(root, PACKAGES)
    if extra:
        write(root, extra)
    return str(root)
