# fast_io: Event and ThreadSafeFlag.
# MIT license; Copyright (c) micropython-async contributors

from . import core


class _Waitable(core._Door):
    # A door that only wait()/acquire() may open: `await event` (forgetting .wait()) raises
    # TypeError, as with the built-in asyncio, instead of returning at once.
    def __iter__(self):
        if not self._armed:
            raise TypeError("can't await %s: await its method" % type(self).__name__)
        return self

    __await__ = __iter__


class Event(_Waitable):
    """Wake every task that waits, when set. wait() allocates nothing: it returns the event
    itself as a door (see core.py), so await it at once or hand it straight to create_task,
    wait_for or gather."""

    def __init__(self):
        self.state = False  # False: clear; True: set
        self.waiting = core.TaskQueue()  # tasks parked in wait()

    def is_set(self):
        return self.state

    def set(self):
        # Only from the loop's thread (not an IRQ): use ThreadSafeFlag there.
        q = self.waiting
        while q.peek():
            core._ready(q.pop())
        self.state = True

    def clear(self):
        self.state = False

    def wait(self):
        self._armed = True
        return self

    def __next__(self):
        if self._armed:
            self._armed = False
            if not self.state:
                t = core.cur_task
                self.waiting.push(t)
                t.data = self
                if core._cap > 64:
                    core._give_back()
                return None
        e = core._STOP_TRUE
        e.__traceback__ = None
        raise e

    def remove(self, task):  # cancel() of a waiting task
        self.waiting.remove(task)
        core._removed(task)


class ThreadSafeFlag(_Waitable):
    """A flag that an interrupt handler or another thread may set(); one task awaits wait(),
    which clears it. The loop polls it like a stream (ioctl), so set() touches no queue."""

    def __init__(self):
        self.state = 0

    def ioctl(self, req, flags):
        if req == 3:  # poll
            return self.state * flags
        return -1

    def set(self):
        self.state = 1

    def clear(self):
        self.state = 0

    def wait(self):
        self._armed = True
        return self

    def __next__(self):
        if self._armed:
            self._armed = False
            if not self.state:
                q = core._io()
                q._queue(self, 0)
                core.cur_task.data = q
                return None
        self.state = 0
        e = core._STOP
        e.__traceback__ = None
        raise e
