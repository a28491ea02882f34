"""Lock: a mutual exclusion lock for tasks, handed over in arrival order."""

from ._wq import DOOR, WaitQueue, _current, _parked

if DOOR:
    from ._wq import _STOP


class Lock(WaitQueue):
    """`async with lock:` or `await lock.acquire()` ... `lock.release()`.

    release() hands the lock straight to the oldest waiter, so waiters get it in the order
    they asked and a task that arrives later cannot barge in. A waiter that is cancelled (or
    times out) leaves the queue; if it had already been handed the lock, the lock goes to the
    next waiter or becomes free.

    (A Lock is its own wait queue; the WaitQueue methods it inherits are internal.)
    """

    def __init__(self):
        super().__init__()
        # True from acquire until release, including while the lock is being handed to a
        # woken waiter that has not run yet. With waiters parked it is always True.
        self._locked = False

    def _orphaned(self):
        self._locked = False

    def locked(self):
        return self._locked

    def acquire_nowait(self):
        """Take the lock if it is free; True if taken."""
        if self._locked:
            return False
        self._locked = True
        return True

    _try = acquire_nowait

    # Awaitable: take the lock, waiting for it if need be. release() hands the lock straight
    # to the oldest waiter (it stays locked meanwhile).
    acquire = WaitQueue.door

    if DOOR:

        def __next__(self):
            # WaitQueue.__next__ with acquire_nowait() written in: the hot path of a wait.
            t = _current()
            if self._armed is t:
                self._armed = None
                if self._locked:
                    self._q.append(t)
                    _parked(t, self)
                    return None
                self._locked = True
            e = _STOP  # taken at once, or handed over by release()
            e.__traceback__ = None
            raise e

    def release(self):
        if not self._locked:
            raise RuntimeError("Lock is not acquired")
        if not self.unpark():
            self._locked = False

    async def __aenter__(self):
        await self.door()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()

    def __repr__(self):
        return "<Lock %s, %d waiting>" % ("locked" if self._locked else "unlocked", len(self._q))
