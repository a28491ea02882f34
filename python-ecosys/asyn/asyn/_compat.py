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
    import threading

    class Flag:
        """CPython stand-in for ThreadSafeFlag: one waiter, self-clearing, settable from any
        thread or a signal handler (through call_soon_threadsafe when off the loop thread)."""

        def __init__(self):
            self._state = False
            self._loop = None  # the loop of the last waiter, so set() knows whom to wake
            self._thread = None  # that loop's thread
            self._waiter = None  # future the waiting task sleeps on, or None

        def set(self):
            self._state = True
            loop = self._loop
            if loop is None:  # nobody has waited yet: wait() will see the state
                return
            if threading.get_ident() == self._thread:
                self._wake()
            else:
                loop.call_soon_threadsafe(self._wake)

        def clear(self):
            self._state = False

        def _wake(self):
            w = self._waiter
            if w is not None and not w.done():
                w.set_result(None)

        async def wait(self):
            # Publish the loop before looking at the state, so a set() from another thread
            # either is seen here or finds the loop to wake.
            loop = asyncio.get_running_loop()
            self._loop = loop
            self._thread = threading.get_ident()
            if not self._state:
                fut = loop.create_future()
                self._waiter = fut
                try:
                    if not self._state:
                        await fut
                finally:
                    self._waiter = None
            self._state = False


def awaiter(aw):
    """What `__await__` (or `__iter__` on MicroPython) returns for a class whose instances are
    awaited through `aw`, a coroutine or a wait-queue door."""
    return aw.__await__() if hasattr(aw, "__await__") else aw
