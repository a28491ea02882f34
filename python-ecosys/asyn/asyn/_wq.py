"""The one wait queue every asyn primitive parks its waiters on.

A waiter calls `await wq.park()` and sleeps until another task calls `wq.unpark()` (the oldest
waiter wakes) or `wq.unpark_all()`. Waiters wake strictly in arrival order. Nothing polls:
a parked task is off the scheduler's run queue until it is woken or cancelled.

Cancellation (including a timeout through wait_for) removes a parked waiter from the queue.
A waiter that is cancelled after it was woken but before it ran again passes its wake-up on to
the next waiter (unless the queue was made with handoff=False, for broadcasts); if there is
none, the queue calls `on_orphan()` so the primitive can take the resource back (a Lock
unlocks, a Semaphore gets its token back). So a primitive that hands a resource to the task it
wakes never loses it.

`unpark` and `unpark_all` touch scheduler queues: call them from tasks or callbacks running in
the loop, never from an interrupt handler (use a ThreadSafeFlag there).

Three implementations share this interface; the one for the running scheduler is chosen once,
at import:
- MicroPython's built-in asyncio: the task itself is parked, using the scheduler's own protocol
  (the task's `data` names the queue holding it; the scheduler calls its `remove()` when the task
  is cancelled; pushing the task onto the run queue wakes it). No object is made per wait
  other than the generator of `park()`.
- CPython's asyncio: one Future per waiter, as asyncio's own Lock and Event use.
- Any other scheduler with the asyncio API (fast_io): one asyncio.Event per waiter, taken from
  a pool owned by the queue so steady-state waits make no new Events.
"""

import sys

import asyncio

_MICROPYTHON = sys.implementation.name == "micropython"
_core = None
if _MICROPYTHON and asyncio.__name__ == "asyncio":
    try:
        from asyncio import core as _core

        _core.cur_task, _core._task_queue  # noqa: B018 (the protocol used below)
    except (ImportError, AttributeError):
        _core = None


class _Base:
    def __init__(self, on_orphan=None, handoff=True):
        self._q = []  # parked waiters (tasks, futures or events), oldest first
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


if _core is not None:

    class WaitQueue(_Base):
        def __init__(self, on_orphan=None, handoff=True):
            super().__init__(on_orphan, handoff)
            self._aborted = []  # tasks the scheduler removed (cancelled) but not resumed yet

        def remove(self, task):
            # Called by the scheduler when it cancels a task whose `data` is this queue.
            self._q.remove(task)
            self._aborted.append(task)

        # async
        def park(self):
            task = _core.cur_task
            self._q.append(task)
            task.data = self
            try:
                yield
            except BaseException:
                if task in self._aborted:
                    self._aborted.remove(task)
                else:  # woken, then cancelled before it ran: the wake-up goes to the next
                    self._pass_on()
                raise

        def unpark(self):
            if self._q:
                _core._task_queue.push(self._q.pop(0))
                return True
            return False

elif not _MICROPYTHON and asyncio.__name__ == "asyncio":

    class WaitQueue(_Base):
        async def park(self):
            fut = asyncio.get_running_loop().create_future()
            self._q.append(fut)
            try:
                await fut
            except BaseException:
                if fut.done() and not fut.cancelled():
                    self._pass_on()
                elif fut in self._q:
                    self._q.remove(fut)
                raise

        def unpark(self):
            q = self._q
            while q:
                fut = q.pop(0)
                if not fut.done():  # a cancelled waiter may not have removed itself yet
                    fut.set_result(None)
                    return True
            return False

else:

    class WaitQueue(_Base):
        def __init__(self, on_orphan=None, handoff=True):
            super().__init__(on_orphan, handoff)
            self._pool = []  # idle Events for the next waiters

        async def park(self):
            ev = self._pool.pop() if self._pool else asyncio.Event()
            self._q.append(ev)
            try:
                await ev.wait()
            except BaseException:
                if ev in self._q:
                    self._q.remove(ev)
                elif ev.is_set():
                    self._pass_on()
                raise
            finally:
                ev.clear()
                self._pool.append(ev)

        def unpark(self):
            if self._q:
                self._q.pop(0).set()
                return True
            return False
