"""Flag: CPython's stand-in for MicroPython's ThreadSafeFlag (see _compat.py)."""

import asyncio
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
            try:
                loop.call_soon_threadsafe(self._wake)
            except RuntimeError:  # that loop is closed: nobody waits on it, the state is kept
                pass

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
