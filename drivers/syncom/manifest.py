# The manifest tool injects metadata() and module().
# ruff: noqa: F821
metadata(
    description="A full-duplex link between two boards over four GPIO lines (SynCom).",
    version="0.1.0",
    license="MIT",
    author="micropython-async contributors",
)
module("syncom.py")
