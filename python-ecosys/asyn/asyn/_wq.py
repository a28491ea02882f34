"""The one wait queue every asyn primitive parks its waiters on.

    wq = WaitQueue(try_take, on_orphan=None, handoff=True)
    await wq.door()    # returns at once if try_take() is true, else parks until woken
    await wq.park()    # parks unconditionally until woken
    wq.unpark()        # wakes the oldest waiter; False if there was none
    wq.unpark_all()    # wakes every waiter; returns how many

Waiters wake strictly in arrival order. Nothing polls: a parked task is off the scheduler's
run queue until it is woken or cancelled. `try_take()` is the primitive's non-blocking attempt
(take the lock if free, a token if one is left...): all of a primitive's logic lives in plain
functions, and the waiting is done here.

Cancellation (including a timeout through wait_for) removes a parked waiter from the queue.
A waiter that is cancelled after it was woken but before it ran again passes its wake-up on to
the next waiter (unless the queue was made with handoff=False, for broadcasts); if there is
none, the queue calls `on_orphan()` so the primitive can take the resource back (a Lock
unlocks, a Semaphore gets its token back). So a primitive that hands a resource to the task it
wakes never loses it.

`unpark` and `unpark_all` touch scheduler queues: call them from tasks or callbacks running in
the loop, never from an interrupt handler (use a ThreadSafeFlag there).

One implementation per scheduler, chosen once at import:
- MicroPython's built-in asyncio and fast_io (on MicroPython or CPython) share one protocol:
  a task parks by pointing its `data` at a place with `remove(task)` and yielding; the
  scheduler calls `remove` when it cancels the task; pushing the task back on the run queue
  wakes it. The queue is then its own awaitable ("door"): `door()` and `park()` return the
  queue itself, whose `__next__` parks the task on its first call and ends the await (with a
  preallocated StopIteration) when the task comes back woken. No object is made per wait.
  `send` and `throw` make the door usable as a task's coroutine (create_task, wait_for).
- CPython's asyncio: one Future per waiter, as asyncio's own Lock and Event use.
- Any other scheduler with the asyncio API: one asyncio.Event per waiter, from a pool.
"""

import asyncio


def _never():
    return False


class _Base:
    def __init__(self, try_take=None, on_orphan=None, handoff=True):
        self._q = []  # parked waiters (tasks, futures or events), oldest first
        self._try = try_take or _never
        # handoff: a wake-up stands for a resource (a lock, a token, an item), so a woken
        # waiter that is cancelled before it runs passes the wake-up on. False for broadcasts
        # (Event, Barrier), where it must not wake a waiter that arrived after the broadcast.
        self._handoff = handoff
        self._orphan = on_orphan  # called when a handed-over wake-up finds nobody to take it

    def __len__(self):
        return len(self._q)

    def _pass_on(self):
        if self._handoff and not self.unpark() and self._orphan is not None:
            self._orphan()

    def unpark_all(self):
        n = 0
        while self.unpark():
            n += 1
        return n


def _scheduler():
    # "door" for the task-parking protocol, "future" for CPython's asyncio, else "event".
    core = getattr(asyncio, "core", None)
    if core is not None and hasattr(core, "cur_task"):
        if hasattr(core, "_ready") and hasattr(core, "_suspend"):
            return core, core._ready  # fast_io
        if hasattr(core, "_task_queue") and hasattr(core, "TaskQueue"):
            return core, None  # MicroPython's built-in asyncio
    return None, None


_core, _ready = _scheduler()


if _core is not None:
    _STOP = StopIteration(True)  # ends every door await; preallocated

    class WaitQueue(_Base):
        def __init__(self, try_take=None, on_orphan=None, handoff=True):
            super().__init__(try_take, on_orphan, handoff)
            self._woken = []  # tasks unparked that have not resumed yet
            self._force = False  # armed by park(): skip try_take once

        def door(self):
            return self

        def park(self):
            self._force = True
            return self

        def __iter__(self):
            return self

        def __await__(self):
            return self

        def __next__(self):
            t = _core.cur_task
            woken = self._woken
            if t in woken:  # back from unpark(): the await is over
                woken.remove(t)
            elif self._force:
                self._force = False
                self._q.append(t)
                t.data = self
                return None
            elif not self._try():
                self._q.append(t)
                t.data = self
                return None
            e = _STOP
            e.__traceback__ = None
            raise e

        def send(self, value):
            return self.__next__()

        def throw(self, typ, val=None, tb=None):
            # The task is being cancelled. If parked, the scheduler has already called remove().
            t = _core.cur_task
            if t in self._woken:  # woken, then cancelled before it ran
                self._woken.remove(t)
                self._pass_on()
            raise typ if val is None else val

        def remove(self, task):
            # Called by the scheduler when it cancels a task parked here.
            self._q.remove(task)

        def unpark(self):
            if self._q:
                t = self._q.pop(0)
                self._woken.append(t)
                if _ready is None:
                    _core._task_queue.push(t)  # MicroPython's asyncio; clears t.data
                else:
                    _ready(t)  # fast_io
                return True
            return False

else:
    from ._wq_cpy import WaitQueue  # noqa: F401
