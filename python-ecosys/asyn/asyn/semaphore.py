"""Semaphore and BoundedSemaphore: a counter of tokens, handed over in arrival order."""

from ._wq import WaitQueue


class Semaphore:
    """`async with sem:` or `await sem.acquire()` ... `sem.release()`.

    A release with tasks waiting hands its token to the oldest waiter rather than raising the
    count, so waiters are served in arrival order.
    """

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore value must be >= 0")
        self._value = value  # free tokens; always 0 while tasks are waiting
        self._waiters = WaitQueue(self.acquire_nowait, self._give_back)

    def _give_back(self):
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

    def acquire(self):
        """Awaitable: take a token, waiting for one if need be (release() hands it over)."""
        return self._waiters.door()

    def release(self):
        if not self._waiters.unpark():
            self._value += 1

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()

    def __repr__(self):
        return "<%s value=%d, %d waiting>" % (
            type(self).__name__,
            self._value,
            len(self._waiters),
        )


class BoundedSemaphore(Semaphore):
    """A Semaphore whose release() raises ValueError if it would exceed the initial value."""

    def __init__(self, value=1):
        super().__init__(value)
        self._bound = value

    def release(self):
        if self._value >= self._bound:
            raise ValueError("BoundedSemaphore released too many times")
        super().release()
