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


class _Base:
    # A primitive either holds WaitQueues (passing try_take and on_orphan), or, for speed, is
    # one: it subclasses WaitQueue and overrides _try and _orphaned.
    def __init__(self, try_take=None, on_orphan=None, handoff=True):
        self._q = []  # parked waiters (tasks, futures or events), oldest first
        if try_take is not None:
            self._try = try_take
        if on_orphan is not None:
            self._orphaned = on_orphan
        if not handoff:
            self._handoff = False

    # A wake-up stands for a resource (a lock, a token, an item), so a woken waiter that is
    # cancelled before it runs passes the wake-up on. False for broadcasts (Event, Barrier),
    # where it must not wake a waiter that arrived after the broadcast.
    _handoff = True

    def _try(self):
        # The non-blocking attempt door() makes first: True lets the caller through.
        return False

    def _orphaned(self):
        # A handed-over wake-up found nobody to take it: take the resource back.
        pass

    # No __len__: Event, Lock and Semaphore are wait queues, and `if event:` must stay true.
    def waiting(self):
        """How many tasks are parked here."""
        return len(self._q)

    def _pass_on(self):
        if self._handoff and not self.unpark():
            self._orphaned()

    def unpark_all(self):
        n = 0
        while self.unpark():
            n += 1
        return n


def _scheduler():
    # (door, core): fast_io's public door module (fast_io.door), or the built-in asyncio's
    # core module if it speaks the task-parking protocol; (None, None) for other schedulers.
    door = getattr(asyncio, "door", None)
    if door is not None and hasattr(door, "wake"):
        return door, None
    core = getattr(asyncio, "core", None)
    # MicroPython 1.21 and 1.22 define core.cur_task only once a loop runs: _task_queue
    # tells their core apart as well.
    if core is not None and hasattr(core, "_task_queue") and hasattr(core, "TaskQueue"):
        return None, core
    return None, None


_door, _builtin = _scheduler()
_FAST_IO = _door is not None
DOOR = _FAST_IO or _builtin is not None  # True: waits are allocation-free doors (see above)

# The three operations of the parking protocol:
#   _current()          the running task
#   _parked(t, place)   t, the running task, is parked at place (its await yields next)
#   _wake(t)            make t, taken out of its place, ready to run
# fast_io: through its public door (fast_io.door). The built-in asyncio: a parked task's data
# is its place, and pushing it on `_task_queue` (looked up each time, since new_event_loop()
# replaces it) makes it ready.
if _FAST_IO:
    _current = _door.current
    _parked = _door.parked
    _wake = _door.wake
    _removed = _door.removed

    # loop_id(): an object standing for the running loop, for state that must not outlive it
    # (new_event_loop() drops the old loop's tasks without running their cleanup).
    loop_id = _door.loop
elif _builtin is not None:

    def _current():
        return _builtin.cur_task

    def _parked(t, place):
        t.data = place

    def _wake(t):
        _builtin._task_queue.push(t)  # clears t.data

    def _removed(t):
        pass

    def loop_id():
        return _builtin._task_queue  # replaced by new_event_loop()

else:
    _current = _parked = _wake = _removed = None  # not used: see _wq_cpy.py
    loop_id = getattr(asyncio, "get_running_loop", None) or asyncio.get_event_loop


if DOOR:
    _STOP = StopIteration(True)  # ends every door await; preallocated

    class WaitQueue(_Base):
        # `_take`: None, or a function(woken) whose result the await returns (Queue.get);
        # otherwise an await ends with True.
        _take = None

        # How a door tells a task arriving from one coming back woken, without any per-wait
        # bookkeeping on the normal path: every `await door` calls __iter__ (or __await__)
        # and then __next__ at once, in the same task, so __iter__ records the task in
        # `_armed` and __next__ knows it fresh. A task whose __next__ finds `_armed` is not
        # itself can only be one parked here and now resumed by unpark().
        # A door given to create_task/wait_for/gather is driven by send() instead, which
        # tracks its tasks in `_sent`. The scheduler calls remove() for a parked task it
        # cancels (recorded in `_aborted`); throw() then knows the task was not woken.
        # Per-object state, as class defaults so an idle object stores none of it (RAM):
        _armed = None  # the task between __iter__ and its first __next__
        _force = False  # armed by park(): skip try_take once
        _sent = None  # list of tasks parked through send() (door as a task's coroutine)
        _aborted = None  # list of parked tasks the scheduler cancelled, not yet thrown into

        def door(self):
            return self

        def park(self):
            self._force = True
            return self

        def __iter__(self):
            self._armed = _current()
            return self

        __await__ = __iter__

        def __next__(self):
            t = _current()
            if self._armed is t:  # arriving
                self._armed = None
                if self._force:
                    self._force = False
                elif self._try():
                    if self._take is not None:
                        raise StopIteration(self._take(False))
                    e = _STOP
                    e.__traceback__ = None
                    raise e
                self._q.append(t)
                _parked(t, self)
                return None
            # Back from unpark(): the await is over.
            if self._take is not None:
                raise StopIteration(self._take(True))
            e = _STOP
            e.__traceback__ = None
            raise e

        def _end(self, woken):
            if self._take is not None:
                raise StopIteration(self._take(woken))
            e = _STOP
            e.__traceback__ = None
            raise e

        def send(self, value):
            t = _current()
            sent = self._sent
            if sent is None:
                sent = self._sent = []
            if t in sent:  # back from unpark()
                sent.remove(t)
                self._end(True)
            if not self._try():
                sent.append(t)
                self._q.append(t)
                _parked(t, self)
                return None
            self._end(False)

        def throw(self, typ, val=None, tb=None):
            # The task is being cancelled while suspended here (or, for a door used as a task's
            # coroutine, possibly before it ever ran).
            t = _current()
            sent = self._sent
            if sent is not None and t in sent:
                sent.remove(t)
                parked = True
            else:
                parked = t.coro is not self
            if parked:
                aborted = self._aborted
                if aborted is not None and t in aborted:
                    aborted.remove(t)
                else:  # woken, then cancelled before it ran: the wake-up goes on
                    self._pass_on()
            raise typ if val is None else val

        def remove(self, task):
            # Called by the scheduler when it cancels a task parked here.
            self._q.remove(task)
            if self._aborted is None:
                self._aborted = []
            self._aborted.append(task)
            _removed(task)  # fast_io: the task is ready at once, in FIFO order

        # Waking is written out for each scheduler: it is the hot path of every primitive.
        def unpark(self):
            q = self._q
            if not q:
                return False
            _wake(q.pop(0))
            return True

        def unpark_all(self):
            # Few locals: a bigger frame would be allocated on the heap by MicroPython.
            q = self._q
            n = len(q)
            while q:
                _wake(q.pop(0))
            return n

    class _Done:
        # An await that is already over (returns None), for operations that did not wait.
        def __iter__(self):
            return self

        __await__ = __iter__

        def __next__(self):
            e = _STOP_NONE
            e.__traceback__ = None
            raise e

        def send(self, value):
            return self.__next__()

        def throw(self, typ, val=None, tb=None):
            raise typ if val is None else val

    _STOP_NONE = StopIteration()
    DONE = _Done()

else:
    from ._wq_cpy import WaitQueue  # noqa: F401

    DONE = None
