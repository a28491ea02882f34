# The manifest tool injects metadata(), add_library(), require() and module().
# ruff: noqa: F821
metadata(
    description="Precise time from a GPS receiver's PPS pulse (as_tGPS: GPS_Timer, GPS_RWTimer).",
    version="0.1.0",
    license="MIT",
    author="micropython-async contributors",
)
# gps lives in the drivers library directory: register it relative to this manifest, then
# require it from there. GPS_RWTimer also needs gps-mtk, which is not required: install it
# for MTK receivers.
add_library("micropython-async-drivers", "..")
require("gps", library="micropython-async-drivers")
module("as_tGPS.py")
