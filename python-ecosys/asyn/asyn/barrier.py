"""Barrier: hold tasks until a set of participants has arrived, cycle after cycle."""

from ._compat import MICROPYTHON, awaiter, report
from ._wq import WaitQueue
from .funcs import launch


class Barrier:
    """`await barrier` (or `await barrier.wait()`) until `participants` tasks have arrived.

    A participant that must not wait calls `barrier.trigger()` instead. When the set is
    complete, `func(*args)` is called (a coroutine function is launched as a task), every
    waiting task is released, and the barrier starts its next cycle at once. A waiter that
    is cancelled before the set completes leaves it (it no longer counts as arrived).
    """

    def __init__(self, participants, func=None, args=()):
        if participants < 1:
            raise ValueError("a Barrier needs at least one participant")
        self._participants = participants
        self._func = func
        self._args = args
        self._count = 0  # participants arrived in this cycle
        self._cycle = 0  # number of completed cycles
        self._result = None
        self._waiters = WaitQueue(handoff=False)

    def busy(self):
        """True while some, but not all, participants have arrived."""
        return self._count > 0

    def result(self):
        """What func returned when the last cycle completed (a Task for a coroutine)."""
        return self._result

    def _arrive(self):
        self._count += 1
        if self._count < self._participants:
            return False
        self._count = 0
        self._cycle += 1
        self._waiters.unpark_all()
        if self._func is not None:
            try:
                self._result = launch(self._func, self._args)
            except Exception as e:  # the waiters are released whatever the callback does
                report(e, "Barrier callback")
        return True

    def trigger(self):
        """Count one participant as arrived without waiting."""
        self._arrive()

    async def wait(self):
        if self._arrive():
            return
        cycle = self._cycle
        try:
            await self._waiters.park()
        except BaseException:
            if self._cycle == cycle:  # the set did not complete: this participant leaves
                self._count -= 1
            raise

    def __await__(self):
        return awaiter(self.wait())

    if MICROPYTHON:
        __iter__ = __await__

    def __repr__(self):
        return "<Barrier %d/%d, cycle %d>" % (self._count, self._participants, self._cycle)
