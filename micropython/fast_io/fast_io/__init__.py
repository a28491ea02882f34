# fast_io: an asyncio for MicroPython (and CPython) with I/O priority, low-priority tasks, a
# pluggable clock, an idle hook and no heap allocation per scheduling round.
# MIT license; Copyright (c) micropython-async contributors

import sys

from .core import *  # noqa: F403
from .core import version  # noqa: F401

# Loaded on first use: name -> submodule.
_attrs = {
    "wait_for": "funcs",
    "wait_for_ms": "funcs",
    "gather": "funcs",
    "Event": "event",
    "ThreadSafeFlag": "event",
    "Lock": "lock",
    "open_connection": "stream",
    "start_server": "stream",
    "StreamReader": "stream",
    "StreamWriter": "stream",
    "VirtualClock": "vclock",
    "cancel": "compat",
    "call_soon": "compat",
    "call_later": "compat",
    "call_later_ms": "compat",
    "call_at": "compat",
    "call_after": "compat",
    "call_after_ms": "compat",
    "door": "door",
    "after": "lowpri",
    "after_ms": "lowpri",
    "max_overdue_ms": "lowpri",
    "set_clock": "hooks",
    "get_clock": "hooks",
    "set_idle_hook": "hooks",
    "set_io_priority": "hooks",
    # Submodules, for `from . import lowpri` inside the package (MicroPython asks this
    # __getattr__ before it looks for a submodule).
    "compat": "compat",
    "lowpri": "lowpri",
    "hooks": "hooks",
    "poller": "poller",
}


def __getattr__(attr):
    mod = _attrs.get(attr, None)
    if mod is None:
        raise AttributeError(attr)
    name = __name__ + "." + mod
    __import__(name)
    value = sys.modules[name] if attr == mod else getattr(sys.modules[name], attr)
    globals()[attr] = value
    return value


def install():
    """Make `import asyncio` and `import uasyncio` return fast_io, for the application and
    every module it imports afterwards: call it first thing in main.py."""
    m = sys.modules[__name__]
    sys.modules["asyncio"] = m
    sys.modules["uasyncio"] = m
    return m
