# fast_io: Lock.
# MIT license; Copyright (c) micropython-async contributors

from . import core
from .event import _Waitable


class Lock(_Waitable):
    """A mutex handed straight to the next waiter on release (FIFO, no barging). acquire()
    returns the lock itself as a door (see core.py): await it at once or give it to
    create_task/wait_for."""

    def __init__(self):
        # state: 0 unlocked; 1 locked; a Task: unlocked and handed to that waiting task, which
        # takes it (state becomes 1) when it runs.
        self.state = 0
        self.waiting = core.TaskQueue()  # tasks parked in acquire()

    def locked(self):
        return self.state == 1

    def release(self):
        if self.state != 1:
            raise RuntimeError("Lock not acquired")
        q = self.waiting
        if q.peek():
            t = q.pop()
            self.state = t
            core._ready(t)
        else:
            self.state = 0

    def acquire(self):
        self._armed = True
        return self

    def __next__(self):
        if self._armed:
            self._armed = False
            if self.state != 0:
                t = core.cur_task
                self.waiting.push(t)
                t.data = self
                if core._cap > 64:
                    core._give_back()
                return None
        # Free, or handed to us by release().
        self.state = 1
        e = core._STOP_TRUE
        e.__traceback__ = None
        raise e

    def remove(self, task):  # cancel() of a waiting task
        self.waiting.remove(task)
        core._removed(task)

    def throw(self, typ, val=None, tb=None):
        # Cancelled while parked here. If release() had already handed us the lock, pass it on.
        if self.state is core.cur_task:
            self.state = 1
            self.release()
        raise typ if val is None else val

    async def __aenter__(self):
        return await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        return self.release()
