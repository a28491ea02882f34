"""Semaphore and BoundedSemaphore: a counter of tokens, handed over in arrival order."""

from ._wq import DOOR, WaitQueue, _current, _parked

if DOOR:
    from ._wq import _STOP


class Semaphore(WaitQueue):
    """`async with sem:` or `await sem.acquire()` ... `sem.release()`.

    A release with tasks waiting hands its token to the oldest waiter rather than raising the
    count, so waiters are served in arrival order. A waiter cancelled after being handed a
    token gives it back (to the next waiter, or to the count).

    (A Semaphore is its own wait queue; the WaitQueue methods it inherits are internal.)
    """

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore value must be >= 0")
        super().__init__()
        self._value = value  # free tokens; always 0 while tasks are waiting

    def _orphaned(self):
        self._value += 1

    def locked(self):
        """True if acquire() would wait."""
        return self._value == 0

    def acquire_nowait(self):
        """Take a token if one is free; True if taken."""
        if self._value > 0:
            self._value -= 1
            return True
        return False

    _try = acquire_nowait

    # Awaitable: take a token, waiting for one if need be (release() hands it over).
    acquire = WaitQueue.door

    if DOOR:

        def __next__(self):
            # WaitQueue.__next__ with acquire_nowait() written in: the hot path of a wait.
            t = _current()
            if self._armed is t:
                self._armed = None
                if self._value <= 0:
                    self._q.append(t)
                    _parked(t, self)
                    return None
                self._value -= 1
            e = _STOP  # taken at once, or handed over by release()
            e.__traceback__ = None
            raise e

    def release(self):
        if not self.unpark():
            self._value += 1

    async def __aenter__(self):
        await self.door()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()

    def __repr__(self):
        return "<%s value=%d, %d waiting>" % (type(self).__name__, self._value, len(self._q))


class BoundedSemaphore(Semaphore):
    """A Semaphore whose release() raises ValueError if it would exceed the initial value."""

    def __init__(self, value=1):
        super().__init__(value)
        self._bound = value

    def release(self):
        if self._value >= self._bound:
            raise ValueError("BoundedSemaphore released too many times")
        super().release()
