# Small helpers shared by the primitives: tick arithmetic, exception reports and a portable
# ISR-safe flag. Kept tiny because every primitive imports it.
import sys

import asyncio

MICROPYTHON = sys.implementation.name == "micropython"

try:
    from time import ticks_add, ticks_diff, ticks_ms
except ImportError:  # CPython: monotonic milliseconds never wrap, so plain arithmetic will do
    from time import monotonic

    def ticks_ms():
        return int(monotonic() * 1000)

    def ticks_diff(a, b):
        return a - b

    def ticks_add(a, b):
        return a + b


def report(exc, what):
    """Print an exception raised by user code (a callback) without stopping the caller."""
    print("asyn: exception in", what, file=sys.stderr)
    if MICROPYTHON:
        sys.print_exception(exc)
    else:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)


async def wait_ms(aw, ms):
    """Await `aw` for at most `ms` milliseconds; True if it finished, False on timeout."""
    try:
        if hasattr(asyncio, "wait_for_ms"):
            await asyncio.wait_for_ms(aw, ms)
        else:
            await asyncio.wait_for(aw, ms / 1000)
    except asyncio.TimeoutError:
        return False
    return True


if hasattr(asyncio, "ThreadSafeFlag"):
    # MicroPython (built-in asyncio or fast_io): set() only stores a flag that the scheduler's
    # poller notices, so a hard interrupt handler may call it.
    Flag = asyncio.ThreadSafeFlag
else:
    from ._cpyflag import Flag  # noqa: F401


def awaiter(aw):
    """What `__await__` (or `__iter__` on MicroPython) returns for a class whose instances are
    awaited through `aw`, a coroutine or a wait-queue door."""
    return aw.__await__() if hasattr(aw, "__await__") else aw
