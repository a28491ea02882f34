# fast_io: Task and TaskQueue in Python, for CPython and for firmware without `_asyncio`.
# MIT license; Copyright (c) micropython-async contributors
#
# They behave like MicroPython's C types (extmod/modasyncio.c), which core.py uses when it can:
# TaskQueue.push() resets the task's data to None, Task.cancel() takes the task out of the place
# its `data` names and pushes it on core._task_queue. The queue is a binary heap of _Entry
# (key, sequence, task); a removed entry is blanked and skipped later, and the sequence number
# keeps tasks with equal keys in FIFO order. Keys are ordered by the clock's ticks_diff, never
# as plain integers: MicroPython's ticks wrap (firmware without `_asyncio`, as 1.20, runs this
# queue), and so may a clock given to set_clock().

import heapq

from . import core


class _Entry:
    __slots__ = ("key", "seq", "task")  # task: None once removed

    def __init__(self, key, seq, task):
        self.key = key
        self.seq = seq
        self.task = task

    def __lt__(self, other):
        d = core._ticks_diff(self.key, other.key)
        return d < 0 or (d == 0 and self.seq < other.seq)


class TaskQueue:
    __slots__ = ("heap", "seq")

    def __init__(self):
        self.heap = []
        self.seq = 0

    def peek(self):
        h = self.heap
        while h and h[0].task is None:
            heapq.heappop(h)
        return h[0].task if h else None

    def push(self, v, key=None):
        v.data = None
        if key is None:
            key = core._ticks()
        self.seq += 1
        e = _Entry(key, self.seq, v)
        v.ph_key = key
        v.ph_entry = e
        heapq.heappush(self.heap, e)

    def pop(self):
        v = self.peek()
        if v is None:
            raise IndexError("empty heap")
        heapq.heappop(self.heap)
        v.ph_entry = None
        return v

    def remove(self, v):
        e = v.ph_entry
        if e is not None:
            e.task = None
            v.ph_entry = None


class Task:
    """A coroutine run by the loop: awaitable (the awaiter gets its result or exception),
    cancellable. `state` and `data` are described at the top of core.py."""

    __slots__ = ("coro", "data", "state", "ph_key", "ph_entry", "__weakref__")

    def __init__(self, coro, globals=None):
        self.coro = coro
        self.data = None
        self.state = True
        self.ph_key = 0
        self.ph_entry = None

    def __repr__(self):
        return "<Task %r>" % (self.coro,)

    def __iter__(self):
        st = self.state
        if not st:
            self.state = False  # finished: its result has now been retrieved
        elif st is True:
            self.state = TaskQueue()  # first awaiter: make the queue of awaiters
        elif type(st) is not TaskQueue:
            raise RuntimeError("can't wait")
        return self

    __await__ = __iter__

    def __next__(self):
        if not self.state:
            raise self.data
        t = core.cur_task
        self.state.push(t)
        t.data = self

    def done(self):
        return not self.state

    def cancel(self):
        if not self.state:
            return False
        if self is core.cur_task:
            raise RuntimeError("can't cancel self")
        while isinstance(self.data, Task):  # awaiting another task: cancel that one
            self = self.data
        place = self.data
        if hasattr(place, "remove"):  # as the C type does (see CANCELLATION in core.py)
            place.remove(self)
            core._task_queue.push(self)
        self.data = core.CancelledError
        return True
