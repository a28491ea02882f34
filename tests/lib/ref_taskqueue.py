"""TaskQueue and Task for MicroPython's built-in asyncio, written in Python, so that the
built-in scheduler can run on a virtual clock (tests/portable/fast_io/host/differential.py).

MicroPython's asyncio takes these two from its C module `_asyncio`, whose queue reads the
real millisecond clock for a push without a key. Installed with `install(clock)` before
`import asyncio`, these stand in for the C module and read `clock()` instead. Their order is
the C queue's: by key, then first pushed first (tests/portable/fast_io/host/ref_order.py checks
that against the C queue). Task follows the C type's rules for awaiting and cancelling.
"""

import heapq
import sys

_clock = None  # the clock a push without a key reads
_core = None  # asyncio.core, once imported


def _asyncio_core():
    global _core
    if _core is None:
        _core = sys.modules["asyncio.core"]
    return _core


class TaskQueue:
    def __init__(self):
        self.heap = []  # [key, sequence, task]; a removed entry has task None
        self.seq = 0

    def peek(self):
        h = self.heap
        while h and h[0][2] is None:
            heapq.heappop(h)
        return h[0][2] if h else None

    def push(self, v, key=None):
        v.data = None
        if key is None:
            key = _clock()
        self.seq += 1
        e = [key, self.seq, v]
        v.ph_key = key
        v.ph_entry = e
        heapq.heappush(self.heap, e)

    def pop(self):
        v = self.peek()
        heapq.heappop(self.heap)
        v.ph_entry = None
        return v

    def remove(self, v):
        e = v.ph_entry
        if e is not None:
            e[2] = None
            v.ph_entry = None


class Task:
    def __init__(self, coro, globals=None):
        self.coro = coro
        self.data = None
        self.state = True
        self.ph_key = 0
        self.ph_entry = None

    def __iter__(self):
        if not self.state:
            self.state = False
        elif self.state is True:
            self.state = TaskQueue()
        elif type(self.state) is not TaskQueue:
            raise RuntimeError("can't wait")
        return self

    def __next__(self):
        if not self.state:
            raise self.data
        core = _asyncio_core()
        self.state.push(core.cur_task)
        core.cur_task.data = self

    def done(self):
        return not self.state

    def cancel(self):
        core = _asyncio_core()
        if not self.state:
            return False
        if self is core.cur_task:
            raise RuntimeError("can't cancel self")
        while isinstance(self.data, Task):
            self = self.data
        if hasattr(self.data, "remove"):
            self.data.remove(self)
            core._task_queue.push(self)
        elif self.ph_entry is not None and self.ph_key - _clock() > 0:
            # Sleeping in the main queue: bring it forward to now.
            core._task_queue.remove(self)
            core._task_queue.push(self)
        self.data = core.CancelledError
        return True


class _Module:
    TaskQueue = TaskQueue
    Task = Task


def install(clock):
    """Make the next `import asyncio` use these classes, with `clock()` as the ms clock."""
    global _clock
    _clock = clock
    sys.modules["_asyncio"] = _Module
