# The manifest tool injects metadata() and module().
# ruff: noqa: F821
metadata(
    description="HTU21D(F) humidity and temperature sensor: asynchronous, checked readings.",
    version="0.1.1",
    license="MIT",
    author="micropython-async contributors",
)
module("htu21d_mc.py")
