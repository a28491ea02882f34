"""Event: wake every waiting task at once, optionally passing a value."""

from ._compat import MICROPYTHON, awaiter
from ._wq import DOOR, WaitQueue, _current, _parked

if DOOR:
    from ._wq import _STOP


class Event(WaitQueue):
    """`await event.wait()` (or `await event`) until `event.set(data)`.

    set() wakes every task waiting at that moment, even if the event is cleared again before
    they run. `value()` is the data given to the last set(). Call set() from tasks and
    callbacks only: for interrupt handlers and other threads use Message.

    (An Event is its own wait queue, so waiting costs one object fewer; the WaitQueue methods
    it inherits are internal.)
    """

    def __init__(self):
        super().__init__(handoff=False)
        self._state = False
        self._data = None

    def set(self, data=None):
        self._data = data
        self._state = True
        if self._q:
            self.unpark_all()

    def clear(self):
        self._state = False

    def is_set(self):
        return self._state

    _try = is_set

    def value(self):
        """The data given to the last set()."""
        return self._data

    # Awaitable: returns True once the event is set (at once if it is).
    wait = WaitQueue.door

    if DOOR:

        def __next__(self):
            # WaitQueue.__next__ with the event's test written in: the hot path of a wait.
            t = _current()
            if self._armed is t:
                self._armed = None
                if not self._state:
                    self._q.append(t)
                    _parked(t, self)
                    return None
            e = _STOP
            e.__traceback__ = None
            raise e

    else:

        def __await__(self):
            return awaiter(self.door())

        if MICROPYTHON:
            __iter__ = __await__

    def __repr__(self):
        return "<Event %s, %d waiting>" % ("set" if self._state else "clear", len(self._q))
