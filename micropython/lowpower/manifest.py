# ruff: noqa: F821 (metadata and module are injected by the manifest tool)
metadata(
    description="Sleep while the scheduler is idle: pyb.stop() or machine.lightsleep() from "
    "fast_io's idle hook, with a clock that stays right across sleeps.",
    version="0.2.0",
    license="MIT",
    author="micropython-async contributors",
)
module("lowpower.py")
