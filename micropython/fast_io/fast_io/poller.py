# fast_io: the I/O poller, made by core on the first I/O wait.
# MIT license; Copyright (c) micropython-async contributors
#
# Native streams (sockets, UARTs, files) are registered with select.poll: on MicroPython the
# stream object itself, on CPython its file descriptor (`handle` below). Streams written in
# Python (a class with an ioctl method, such as ThreadSafeFlag) are asked directly, since on
# the unix port registering one with select.poll makes every poll cost about a millisecond.
# Each stream has one entry [reader, writer, stream, handle]; a woken or cancelled waiter is
# set back to None, and an entry with neither is dropped.

import select

from . import core
from .core import _real_ticks_diff, _us

if core.IS_MICROPYTHON:
    _key = id  # the key of a registered stream in IOQueue.map

    def _handle(s):
        return s

    def _ready_events(poller, ms):
        return poller.ipoll(ms)

else:

    def _key(fd):
        return fd

    def _handle(s):
        return s.fileno()

    def _ready_events(poller, ms):
        return poller.poll(ms)


# POLLNVAL (32): the stream was closed while a task waited on it; the task wakes and its read or
# write then fails, as with the built-in asyncio, instead of waiting forever.
_POLL_RD = 1 | 8 | 16 | 32  # POLLIN, POLLERR, POLLHUP, POLLNVAL: wake the reader
_POLL_WR = 4 | 8 | 16 | 32  # POLLOUT, POLLERR, POLLHUP, POLLNVAL: wake the writer

_POLL_GAP_US = 50


class IOQueue:
    def __init__(self):
        self.n = 0  # tasks waiting on I/O
        self.woke = 0  # tasks woken by the current poll
        self.last = 0  # when native streams were last polled (us)
        self.py = []  # entries of Python-level streams
        self.free = []  # spare entries, so waiting again allocates nothing
        self.map = {}  # native streams: key of the handle (see _key) -> entry
        self.nnative = 0  # native streams registered
        self.poller = select.poll()

    # Door: await _io_queue.queue_read(s) parks the task until s is readable.
    def queue_read(self, s):
        self._queue(s, 0)
        return core._suspend(self)

    def queue_write(self, s):
        self._queue(s, 1)
        return core._suspend(self)

    def _queue(self, s, idx):
        if getattr(type(s), "ioctl", None) is not None:
            e = self._entry(s)
            if e[idx] is not None:
                raise RuntimeError("stream already has a waiter")
            e[idx] = core.cur_task
        else:
            self._queue_native(s, idx)
        self.n += 1
        core._io_hot = core._chores = True  # polled before every task

    def _entry(self, s):
        for e in self.py:
            if e[2] is s:
                return e
        e = self.free.pop() if self.free else [None, None, None, None]
        e[2] = s
        self.py.append(e)
        return e

    def _queue_native(self, s, idx):
        h = _handle(s)
        k = _key(h)
        e = self.map.get(k)
        if e is not None and e[2] is not s:
            # A stream closed while a task waited on it, its descriptor now reused by s: wake
            # the old waiters (their read or write fails) and start afresh.
            self._fire(e, 63)
            self._drop_native(e)
            e = None
        if e is None:
            # Register first: if the poller refuses the stream (a closed socket's fd is -1),
            # nothing is left behind.
            self.poller.register(h, 1 if idx == 0 else 4)
            e = [None, None, s, h]
            self.map[k] = e
            self.nnative += 1
        elif e[idx] is not None:
            raise RuntimeError("stream already has a waiter")
        else:
            self.poller.modify(h, 5)
        e[idx] = core.cur_task

    def _drop_native(self, e):
        h = e[3]
        if e[0] is None and e[1] is None:
            del self.map[_key(h)]
            try:
                self.poller.unregister(h)
            except (OSError, ValueError, KeyError):  # closed meanwhile: nothing to forget
                pass
            self.nnative -= 1
        else:
            self.poller.modify(h, 1 if e[0] is not None else 4)

    # (A for loop takes 4 frame slots on MicroPython: the loop body is a method of its own, so
    # that no frame outgrows the C stack's 11 slots and is allocated on the heap; see _poll_py.)
    def _poll_native(self, ms):
        for x in _ready_events(self.poller, ms):
            self._native_event(x)

    def _native_event(self, x):
        e = self.map.get(_key(x[0]))
        if e is not None:
            self._fire(e, x[1])
            self._drop_native(e)

    def _fire(self, e, ev):
        # Wake the waiters of entry e that poll event mask ev concerns (counted in self.woke).
        if ev & _POLL_RD and e[0] is not None:
            self._wake(e[0])
            e[0] = None
        if ev & _POLL_WR and e[1] is not None:
            self._wake(e[1])
            e[1] = None

    def _wake(self, t):
        if core._io_prio:
            core._io_first.append(t)
        else:
            core._push(t)
        t.data = core._RING
        self.woke += 1
        self.n -= 1
        if not self.n and not core._io_first:
            core._io_hot = False

    # MicroPython puts a frame of more than 11 slots (locals + stack) on the heap: the
    # functions run every round stay below that, hence the small helpers.
    def _poll_py(self):
        i = len(self.py)
        while i:
            i -= 1
            self._poll_entry(self.py[i], i)

    def _poll_entry(self, e, i):
        ev = e[2].ioctl(3, (1 if e[0] is not None else 0) | (4 if e[1] is not None else 0))
        if not ev:
            return
        if ev < 0:  # the stream does not support polling: report it ready
            ev = 31
        self._fire(e, ev)
        if e[0] is None and e[1] is None:
            self._free(i)

    def _free(self, i):
        e = self.py.pop(i)
        e[2] = None
        self.free.append(e)

    # Wake whatever is ready now; return how many tasks woke. A poll system call costs more
    # than a task switch, so native streams are polled at most every _POLL_GAP_US while tasks
    # are running (the Python-level ones, cheap to ask, every time).
    def poll(self):
        self.woke = 0
        if self.nnative and _real_ticks_diff(_us(), self.last) >= _POLL_GAP_US:
            self.last = _us()
            self._poll_native(0)
        if self.py:
            self._poll_py()
        return self.woke

    # Nothing is ready: wait for I/O or for up to dt ms (-1: no deadline). With only native
    # streams the wait is one poll call, for the whole dt (or for ever); Python-level streams
    # must be asked, every ms. They are asked before any wait too, as the built-in's poll asks
    # every stream before it blocks: the last task to run may have made one ready (set a
    # ThreadSafeFlag, filled a buffer) after the loop last polled, and with I/O polled before
    # every task nothing else polls between that task and this wait.
    def wait(self, dt):
        self.woke = 0
        if self.py:
            self._poll_py()
            if self.woke:
                return
            if self.nnative:
                self._poll_native(0 if dt == 0 else 1)
            else:
                core._wait(1 if dt < 0 or dt > 1 else dt)
            self._poll_py()
        elif dt < 0:
            self._poll_native(-1)
        else:
            # Poll for the whole ms, then sleep off the rest of the current ms (see core._wait).
            if dt > 1:
                self._poll_native(dt - 1)
            if not self.woke:
                core._wait(1)
                self._poll_native(0)

    def remove(self, task):
        # cancel(): forget every wait of `task` (and the registration if nothing else waits).
        i = len(self.py)
        while i:
            i -= 1
            e = self.py[i]
            if self._forget(e, task) and e[0] is None and e[1] is None:
                self._free(i)
        for e in list(self.map.values()):
            if self._forget(e, task):
                self._drop_native(e)
        if not self.n and not core._io_first:
            core._io_hot = False
        core._removed(task)

    def _forget(self, e, task):
        found = False
        for i in (0, 1):
            if e[i] is task:
                e[i] = None
                self.n -= 1
                found = True
        return found
