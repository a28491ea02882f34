"""Condition: wait for a notification while holding a lock."""

import asyncio

from ._compat import MICROPYTHON, awaiter
from ._wq import WaitQueue


class Condition:
    """`async with cond:` (or the older `with await cond:`), then `await cond.wait()` or
    `await cond.wait_for(predicate)`; `cond.notify(n)` / `cond.notify_all()` with the lock held.

    Waiters are woken in the order they started waiting, as in CPython. wait() releases the
    lock while it sleeps and always holds it again when it returns or raises.
    """

    def __init__(self, lock=None):
        if lock is None:
            from .lock import Lock

            lock = Lock()
        self._lock = lock
        self.locked = lock.locked
        self.release = lock.release
        # A notification woken into a waiter that is then cancelled passes to the next one.
        self._waiters = WaitQueue()

    async def acquire(self):
        return await self._lock.acquire()

    async def __aenter__(self):
        await self._lock.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self._lock.release()

    # `with await cond:`: acquire, then release at the end of the with block.
    async def _acquire_ctx(self):
        await self._lock.acquire()
        return self

    def __await__(self):
        return awaiter(self._acquire_ctx())

    if MICROPYTHON:
        __iter__ = __await__

    def __enter__(self):
        return None

    def __exit__(self, exc_type, exc, tb):
        self._lock.release()

    def _check(self):
        if not self._lock.locked():
            raise RuntimeError("Condition lock is not acquired")

    async def wait(self):
        """Release the lock, sleep until notified, take the lock again."""
        self._check()
        self._lock.release()
        try:
            await self._waiters.park()
        finally:
            # Hold the lock again whatever happened; a cancellation that arrives meanwhile
            # is raised once the lock is held.
            cancelled = None
            while True:
                try:
                    await self._lock.acquire()
                    break
                except asyncio.CancelledError as e:
                    cancelled = e
            if cancelled is not None:
                raise cancelled
        return True

    async def wait_for(self, predicate):
        """Wait until `predicate()` is true; returns its value."""
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        """Wake up to `n` waiters (the oldest first)."""
        self._check()
        while n > 0 and self._waiters.unpark():
            n -= 1

    def notify_all(self):
        self._check()
        self._waiters.unpark_all()

    def __repr__(self):
        return "<Condition %r, %d waiting>" % (self._lock, self._waiters.waiting())
