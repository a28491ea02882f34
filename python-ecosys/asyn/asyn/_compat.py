# Small helpers shared by the primitives: tick arithmetic, exception reports and a portable
# ISR-safe flag. Kept tiny because every primitive imports it.
import sys

import asyncio

MICROPYTHON = sys.implementation.name == "micropython"

# The clock: the scheduler's own, so timers run in the same time as the tasks they wake (in
# virtual time under fast_io with a VirtualClock). Decided once, at import: asyn is imported
# after fast_io.install(). fast_io's asyncio.ticks* read its current clock on every call, so
# a set_clock() made later is still followed. Plain aliases add no call of our own, so
# trigger() stays allocation-free (on the built-in asyncio they are time.ticks_ms & co.).
if hasattr(asyncio, "ticks_diff"):  # MicroPython's built-in asyncio, fast_io
    ticks_ms = asyncio.ticks
    ticks_diff = asyncio.ticks_diff
    ticks_add = asyncio.ticks_add
elif MICROPYTHON:  # an asyncio that does not export its clock: the one it is built on
    from time import ticks_add, ticks_diff, ticks_ms
else:  # CPython's asyncio: the running loop's time() (what its call_later uses), in ms
    from time import monotonic

    def ticks_ms():
        try:
            return int(asyncio.get_running_loop().time() * 1000)
        except RuntimeError:  # no loop in this thread: the default loop clock is monotonic
            return int(monotonic() * 1000)

    # Milliseconds from a float clock never wrap, so plain arithmetic will do.
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
