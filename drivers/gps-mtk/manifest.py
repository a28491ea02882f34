# The manifest tool injects metadata(), add_library(), require() and module().
# ruff: noqa: F821
metadata(
    description="Commands to MTK GPS receivers (as_rwGPS): update rate, baud rate, sentences, "
    "restarts, standby, firmware and antenna queries.",
    version="0.1.0",
    license="MIT",
    author="micropython-async contributors",
)
# gps lives in the drivers library directory: register it relative to this manifest (so the
# manifest also works in a firmware build), then require it from there.
add_library("micropython-async-drivers", "..")
require("gps", library="micropython-async-drivers")
module("as_rwGPS.py")
