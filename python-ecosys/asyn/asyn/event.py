"""Event: wake every waiting task at once, optionally passing a value."""

from ._compat import MICROPYTHON, awaiter
from ._wq import WaitQueue


class Event:
    """`await event.wait()` (or `await event`) until `event.set(data)`.

    set() wakes every task waiting at that moment, even if the event is cleared again before
    they run. `value()` is the data given to the last set(). Call set() from tasks and
    callbacks only: for interrupt handlers and other threads use Message.
    """

    def __init__(self):
        self._state = False
        self._data = None
        self._waiters = WaitQueue(self.is_set, handoff=False)

    def set(self, data=None):
        self._data = data
        self._state = True
        self._waiters.unpark_all()

    def clear(self):
        self._state = False

    def is_set(self):
        return self._state

    def value(self):
        """The data given to the last set()."""
        return self._data

    def wait(self):
        """Awaitable: returns True once the event is set (at once if it is)."""
        return self._waiters.door()

    def __await__(self):
        return awaiter(self.wait())

    if MICROPYTHON:
        __iter__ = __await__

    def __repr__(self):
        return "<Event %s, %d waiting>" % ("set" if self._state else "clear", len(self._waiters))
