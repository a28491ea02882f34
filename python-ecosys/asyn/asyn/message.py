"""Message: an Event that carries data and can be set from an interrupt or another thread."""

from ._compat import MICROPYTHON, Flag, awaiter
from ._wq import WaitQueue, loop_id

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


_MASK = const(0x3FFFFFFF)


class Message:
    """`msg.set(data)` from anywhere (a hard interrupt handler included: it allocates
    nothing); any number of tasks `await msg.wait()` (or `await msg`), then read
    `msg.value()`. Stays set until `clear()`. Every task waiting when set() is called wakes,
    even if the message is cleared before it runs.

    Inside: set() stores the data, bumps a counter and sets a ThreadSafeFlag. One waiter (the
    listener) sleeps on the flag and wakes the others through a wait queue.
    """

    def __init__(self):
        self._state = False
        self._data = None
        self._sets = 0  # set() count, masked to a small int
        self._flag = Flag()
        self._listening = None  # loop_id() of the loop where a waiter sleeps on the flag
        self._waiters = WaitQueue(handoff=False)

    def set(self, data=None):
        """Set the message; safe in an interrupt handler or another thread."""
        self._data = data
        self._state = True
        self._sets = (self._sets + 1) & _MASK
        self._flag.set()

    def clear(self):
        self._state = False

    def is_set(self):
        return self._state

    def value(self):
        return self._data

    async def wait(self):
        sets = self._sets
        if self._listening is not None and self._listening is not loop_id():
            # Left by a loop that was abandoned (new_event_loop()) with its tasks, which will
            # never run again: forget them.
            self._listening = None
            del self._waiters._q[:]
        while not self._state and self._sets == sets:
            if self._listening is not None:
                await self._waiters.park()
                continue
            self._listening = loop_id()
            try:
                await self._flag.wait()
            finally:
                self._listening = None
                # Wake the others: to return if the message was set, or for one of them to
                # take over listening if this waiter was cancelled.
                self._waiters.unpark_all()
        return self._data

    def __await__(self):
        return awaiter(self.wait())

    if MICROPYTHON:
        __iter__ = __await__

    def __aiter__(self):
        return self

    async def __anext__(self):
        data = await self.wait()
        self.clear()
        return data
