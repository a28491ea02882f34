# The manifest tool injects metadata(), add_library(), require() and module().
# ruff: noqa: F821
metadata(
    description="Debounced switches and pushbuttons (Switch, Pushbutton).",
    version="0.1.1",
    license="MIT",
    author="micropython-async contributors",
)
# asyn lives in another library directory: register it relative to this manifest, then
# require it from there.
add_library("micropython-async-ecosys", "../../python-ecosys")
require("asyn", library="micropython-async-ecosys")
module("aswitch.py")
