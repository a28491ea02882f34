"""Task cancellation helpers: Cancellable, NamedTask, the cancellable decorator, groups.

A Cancellable runs its coroutine as a task of its own and remembers it in a group (and a
NamedTask under a name too), so code elsewhere can cancel a whole group or a name and then
wait until the cancelled tasks have really finished: their cleanup code has run.

    asyncio.create_task(Cancellable(worker, 1, group=2)())   # in the background, or
    result = await Cancellable(worker, 1)()                 # awaited directly (also without
    result = await Cancellable(worker, 1)                   # the call, as in the original)
    await Cancellable.cancel_all(group=2)                   # returns once they have ended

A Cancellable that is awaited directly and then cancelled by cancel_all() or
NamedTask.cancel() returns None to the task awaiting it, which carries on: only the
cancellable coroutine is stopped.
"""

import asyncio
import sys

from ._wq import WaitQueue

_ended = WaitQueue(handoff=False)  # tasks in cancel_all()/cancel() waiting for ends


class Cancellable:
    """`Cancellable(func, *args, group=0, barrier=None, **kwargs)()` is a coroutine running
    `func(*args, **kwargs)` as a cancellable task in `group`. If `barrier` is given, its
    trigger() is called when the task ends, however it ends."""

    _groups = {}  # group -> list of the running Cancellable objects

    def __init__(self, func, *args, group=0, barrier=None, **kwargs):
        self._func = func
        self._args = args
        self._kwargs = kwargs
        self.group = group
        self._barrier = barrier
        self.task = None  # the task running func, once started
        self._stopping = False  # cancelled by cancel_all() or NamedTask.cancel()
        self._ended = False

    def __call__(self):
        return self._run()

    # `await Cancellable(...)` without the call, as the original collection allowed. (On
    # MicroPython a coroutine is its own iterator; an await of an object calls __iter__.)
    if sys.implementation.name == "micropython":

        def __iter__(self):
            return self._run()

        __await__ = __iter__

    else:

        def __await__(self):
            return self._run().__await__()

    def _register(self):
        Cancellable._groups.setdefault(self.group, []).append(self)

    def _deregister(self):
        members = Cancellable._groups.get(self.group)
        if members is not None and self in members:
            members.remove(self)
            if not members:
                del Cancellable._groups[self.group]

    async def _run(self):
        if self.task is not None:
            raise RuntimeError("a Cancellable runs once")
        self.task = asyncio.create_task(self._func(*self._args, **self._kwargs))
        self._register()
        try:
            return await self.task
        except asyncio.CancelledError:
            if not self._stopping:  # the awaiting task was cancelled, not just this one
                raise
        finally:
            self._deregister()
            self._ended = True
            _ended.unpark_all()
            if self._barrier is not None:
                self._barrier.trigger()

    def _stop(self):
        self._stopping = True
        if self.task is not None:
            self.task.cancel()

    @staticmethod
    async def _wait_ended(members):
        # Each wake-up is caused by some cancellable ending; return once all of ours have.
        while any(not m._ended for m in members):
            await _ended.park()

    @staticmethod
    async def cancel_all(group=0, nowait=False):
        """Cancel every running cancellable in `group`; unless `nowait`, wait until all of
        them have ended. Returns how many were cancelled."""
        members = list(Cancellable._groups.get(group, ()))
        for m in members:
            m._stop()
        if not nowait:
            await Cancellable._wait_ended(members)
        return len(members)

    @staticmethod
    def running(group=0):
        """How many cancellables of `group` are running."""
        return len(Cancellable._groups.get(group, ()))


class NamedTask(Cancellable):
    """A Cancellable that is also known by `name` (unique among running NamedTasks):
    `NamedTask(name, func, *args, group=0, barrier=None, **kwargs)()`."""

    _names = {}  # name -> the running NamedTask

    def __init__(self, name, func, *args, **kwargs):
        super().__init__(func, *args, **kwargs)
        self.name = name

    def _register(self):
        if self.name in NamedTask._names:
            self.task.cancel()
            raise ValueError("a task named %r is already running" % (self.name,))
        NamedTask._names[self.name] = self
        super()._register()

    def _deregister(self):
        if NamedTask._names.get(self.name) is self:
            del NamedTask._names[self.name]
        super()._deregister()

    @staticmethod
    def is_running(name):
        return name in NamedTask._names

    @staticmethod
    async def cancel(name, nowait=True):
        """Cancel the NamedTask called `name`; unless `nowait`, wait until it has ended.
        Returns False if no such task was running."""
        t = NamedTask._names.get(name)
        if t is None:
            return False
        t._stop()
        if not nowait:
            await Cancellable._wait_ended((t,))
        return True


def cancellable(func):
    """Decorator: calling the decorated coroutine function returns a Cancellable's coroutine,
    so `create_task(f(args))` and `await f(args)` put it in a group (`group=` keyword,
    default 0) that cancel_all() can cancel."""

    def wrapper(*args, **kwargs):
        return Cancellable(func, *args, **kwargs)()

    return wrapper


cancel_all = Cancellable.cancel_all
