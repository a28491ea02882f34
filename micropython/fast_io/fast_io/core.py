# fast_io core: the loop, the clock, the doors into the loop and the I/O poller.
# MIT license; Copyright (c) micropython-async contributors
#
# THE ONE DOOR INTO THE LOOP
# ==========================
# A task gives up the CPU in exactly one way: its coroutine yields None, which only happens
# inside the "door" objects of this package (sleep, after, Event.wait, Lock.acquire, the I/O
# waits ...). Before a door yields it must have parked the running task `cur_task` in exactly
# one place and set `cur_task.data` to that place. Every place has a `remove(task)` method, so
# cancellation can take any task out of wherever it waits without knowing what it waits for:
#
#   place                       cur_task.data   who moves the task to the ready ring
#   ready ring (_ring)          _RING           the loop runs it
#   timer heap (_timerq)        _timerq         the loop, when the deadline has passed
#   low-priority heap (_lpq)    _lpq            the loop, when nothing else is ready (or overdue)
#   I/O poller (_io_queue)      _io_queue       the loop, when the stream polls ready
#   an Event/Lock wait queue    that TaskQueue  Event.set() / Lock.release()
#   another task's wait queue   that Task       the loop, when that task ends
#   a gather() in progress      its _Gather     the loop, through the gather's done callback
#   cancel queue (_task_queue)  CancelledError  the loop throws the error in on its next turn
#
# Whoever wakes a task must take it out of its place first, then call _ready(task) (or push it
# on the ring and set data to _RING itself); nobody else touches a parked task. The loop never
# requeues a task that yielded: a coroutine that yields without going through a door is lost.
# Task.cancel() (the C one on MicroPython, task.py's elsewhere) calls data.remove(task), pushes
# the task on `_task_queue` (the cancel queue, named so for the C type) and sets data to the
# exception; the loop throws it into the task on the task's next turn, at once.
# Primitives outside this package (asyn's wait queues) follow the same contract through these
# names, which therefore stay stable: `cur_task`, `_ready(task)`, `_ring` and `_RING`,
# `TaskQueue`, `_task_queue`.
#
# TASK STATES (Task.state; the values are those the C Task type understands)
#   STATE_RUNNING      True        not finished, nobody awaits it
#   STATE_AWAITED      a TaskQueue not finished, the tasks in the queue await it
#   STATE_CALLBACK     a callable  not finished, gather() is called back when it ends
#   STATE_DONE_UNSEEN  None        finished; result or exception not yet retrieved
#   STATE_DONE_SEEN    False       finished and retrieved (awaited)
#
# NO ALLOCATION PER ROUND
# The doors are long-lived objects, armed by the call that returns them (sleep_ms(5) stores 5
# in the sleep door and returns it); their __next__ parks the task on the first call and ends
# the await, by raising a preallocated StopIteration, on the second. The ready ring is a
# fixed-size deque grown only when the number of live tasks outgrows it; timers use the C
# pairing heap of the `_asyncio` module where the firmware has it.

import sys

IS_MICROPYTHON = sys.implementation.name == "micropython"

if IS_MICROPYTHON:
    import select
    from collections import deque
    from time import sleep_ms as _sleep_ms
    from time import sleep_us as _sleep_us
    from time import ticks_add as _real_ticks_add
    from time import ticks_diff as _real_ticks_diff
    from time import ticks_ms as _real_ticks
    from time import ticks_us as _us

    try:
        from _asyncio import Task, TaskQueue
    except ImportError:
        from .task import Task, TaskQueue

    def _new_ring(n):
        return deque((), n, 1)

    def _print_exception(e, f):
        sys.print_exception(e, f)

else:
    import select
    import time
    from collections import deque

    from .task import Task, TaskQueue

    _monotonic_ns = time.monotonic_ns

    def _real_ticks():
        return _monotonic_ns() // 1000000

    def _real_ticks_diff(a, b):
        return a - b

    def _us():
        return _monotonic_ns() // 1000

    def _real_ticks_add(a, b):
        return a + b

    def _sleep_ms(ms):
        time.sleep(ms / 1000)

    def _sleep_us(us):
        time.sleep(us / 1000000)

    def _new_ring(n):
        return deque()

    def _print_exception(e, f):
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__, file=f)


version = "fast_io 0.1.3"

STATE_RUNNING = True
STATE_DONE_UNSEEN = None
STATE_DONE_SEEN = False


################################################################################
# Exceptions


class CancelledError(BaseException):
    pass


if IS_MICROPYTHON:

    class TimeoutError(Exception):  # noqa: A001 (MicroPython has no built-in one)
        pass

else:
    import builtins

    TimeoutError = builtins.TimeoutError  # CPython's asyncio uses the built-in one


_exc_context = {"message": "Task exception wasn't retrieved", "exception": None, "future": None}

# Ending an await without allocating: raise one of these after clearing its traceback.
_STOP = StopIteration()
_STOP_TRUE = StopIteration(True)


################################################################################
# The clock (pluggable: set_clock) and the idle hook


_ticks = _real_ticks
_ticks_diff = _real_ticks_diff
_ticks_add = _real_ticks_add
_clock_idle = None  # a clock's idle(dt): a virtual clock jumps to the next deadline
_idle_hook = None  # the application's idle(dt): lowpower sleeps there


def set_clock(clock=None):
    """Drive the loop from `clock`: an object with ticks(), ticks_diff(a, b), ticks_add(t, d)
    (integer milliseconds) and optionally idle(dt), called instead of sleeping when no task is
    ready (dt: ms to the next deadline, -1 if none). None restores the real clock. Call it
    while no task sleeps: deadlines already set keep the old clock's values."""
    global _ticks, _ticks_diff, _ticks_add, _clock_idle
    if clock is None:
        _ticks, _ticks_diff, _ticks_add = _real_ticks, _real_ticks_diff, _real_ticks_add
        _clock_idle = None
    else:
        _ticks, _ticks_diff, _ticks_add = clock.ticks, clock.ticks_diff, clock.ticks_add
        _clock_idle = getattr(clock, "idle", None)
    return clock


def get_clock():
    """The ticks function the loop uses now (integer ms)."""
    return _ticks


def set_idle_hook(fn=None):
    """Call fn(dt) whenever no task is ready, instead of sleeping in the poller: dt is the
    time in ms until the next deadline (-1: none, only I/O or nothing can wake the loop). fn
    may sleep (lightsleep) for up to dt ms and may return early; the loop then polls I/O and
    reruns whatever became ready. None restores the built-in wait. Returns the old hook."""
    global _idle_hook
    old = _idle_hook
    _idle_hook = fn
    return old


# The clock for code outside the loop (drivers, asyn's timers), as MicroPython's built-in
# asyncio exports it: asyncio.ticks() and friends then work on both schedulers. They call
# through the globals, so they follow set_clock() made at any time; the loop itself reads the
# globals directly and pays nothing for these.
def ticks():
    return _ticks()


def ticks_diff(a, b):
    return _ticks_diff(a, b)


def ticks_add(t, d):
    return _ticks_add(t, d)


################################################################################
# The ready ring


class _Ring:
    # The place of tasks that are ready to run: the deque `_ring`. Only cancel() calls remove.
    def remove(self, task):
        if task is cur_task:
            # A cancel forwarded to the running task (it cancels a task that awaits it): refuse
            # it as a cancel of self. Let through, it would be queued to be thrown in while the
            # task goes on and parks elsewhere: one task in two queues at once.
            raise RuntimeError("can't cancel self")
        ring = _ring
        for _ in range(len(ring)):
            t = ring.popleft()
            if t is not task:
                ring.append(t)


_RING = _Ring()
_cap = 0  # capacity of the ring (MicroPython's deque has a fixed size)
_ntasks = 0  # live tasks: the ring never holds more than this


def _ready(t):
    _ring.append(t)
    t.data = _RING


def _count_task():
    # One more live task; grow the ring first if it could overflow.
    global _ntasks, _ring, _cap
    _ntasks += 1
    if _ntasks > _cap:
        _grow(_ntasks * 2)


def _grow(n):
    global _ring, _cap
    new = _new_ring(n)
    old = _ring
    while old:
        new.append(old.popleft())
    _ring = new
    _cap = n if IS_MICROPYTHON else 1 << 60


################################################################################
# Doors


class _Door:
    # An awaitable that is armed by the call returning it and parks the task on its first
    # __next__. Subclasses define __next__ (and throw when they must clean up on cancel).
    _armed = False

    def __iter__(self):
        return self

    def __await__(self):
        return self


class _Park(_Door):
    # The plain door: the caller has already parked cur_task; yield once.
    def __next__(self):
        if self._armed:
            self._armed = False
            return None
        e = _STOP
        e.__traceback__ = None
        raise e


_park = _Park()


def _suspend(place):
    # Mark cur_task as parked at `place` (something with remove(task)) and yield.
    cur_task.data = place
    _park._armed = True
    return _park


class _Sleep(_Door):
    def __init__(self):
        self.ms = -1

    def __next__(self):
        ms = self.ms
        if ms < 0:
            e = _STOP
            e.__traceback__ = None
            raise e
        self.ms = -1
        t = cur_task
        if ms:
            _timerq.push(t, _ticks_add(_ticks(), ms))
            t.data = _timerq
        else:
            _ring.append(t)
            t.data = _RING
        return None


_sleeper = _Sleep()


# Pause for t ms (an integer): no heap allocation when awaited at once. The shared door is
# still armed when an earlier sleep() has not been awaited yet (gather(sleep(1), sleep(2))
# evaluates both calls before anything runs): that call gets a door of its own instead of
# re-arming the shared one under the earlier caller.
def sleep_ms(t):
    s = _sleeper
    if s.ms >= 0:
        s = _Sleep()
    s.ms = t if t > 0 else 0
    return s


# Pause for t seconds.
def sleep(t):
    s = _sleeper
    if s.ms >= 0:
        s = _Sleep()
    if t:
        t = int(t * 1000)
        s.ms = t if t > 0 else 0
    else:
        s.ms = 0
    return s


class _After(_Sleep):
    # Low priority: wait at least ms, then run only when no normal task is ready (or when
    # more than max_overdue_ms() late).
    def __next__(self):
        ms = self.ms
        if ms < 0:
            e = _STOP
            e.__traceback__ = None
            raise e
        self.ms = -1
        t = cur_task
        _lpq.push(t, _ticks_add(_ticks(), ms))
        t.data = _lpq
        return None


_afterer = _After()


def after_ms(t):
    s = _afterer
    if s.ms >= 0:  # an earlier after() not awaited yet: see sleep_ms
        s = _After()
    s.ms = t if t > 0 else 0
    return s


def after(t):
    return after_ms(int(t * 1000))


_max_overdue = 0


def max_overdue_ms(t=None):
    """Bound how late a due low-priority task may be while normal tasks keep the CPU busy
    (0: no bound, it waits for an idle moment). Returns the bound in force."""
    global _max_overdue
    if t is not None:
        _max_overdue = t
    return _max_overdue


################################################################################
# I/O: native streams through select.poll (on CPython too, by file descriptor); streams
# written in Python (a class with an ioctl method) are asked directly, since on the unix port
# registering one with select.poll makes every poll cost about a millisecond.

# POLLNVAL (32): the stream was closed while a task waited on it; the task wakes and its read or
# write then fails, as with the built-in asyncio, instead of waiting forever.
_POLL_RD = 1 | 8 | 16 | 32  # POLLIN, POLLERR, POLLHUP, POLLNVAL: wake the reader
_POLL_WR = 4 | 8 | 16 | 32  # POLLOUT, POLLERR, POLLHUP, POLLNVAL: wake the writer

_POLL_GAP_US = 50
_io_prio = False  # I/O priority mode: a task whose stream is ready runs next
_io_hot = False  # _io_prio and some task waits on I/O: poll before every task


def set_io_priority(on=True):
    """Turn on (or off) I/O priority: a task whose stream became ready runs before the other
    ready tasks, the streams being polled before every task instead of once per round."""
    global _io_prio, _io_hot
    _io_prio = bool(on)
    _io_hot = _io_prio and _io_queue.n > 0
    return _io_prio


class IOQueue:
    def __init__(self):
        self.n = 0  # tasks waiting on I/O
        self.woke = 0  # tasks woken by the current poll
        self.last = 0  # when native streams were last polled (us)
        self.py = []  # entries [reader, writer, stream] of Python-level streams
        self.free = []  # spare entries, so waiting again allocates nothing
        self.map = {}  # native streams: id(stream) (CPython: its fd) -> entry
        self.nnative = 0  # native streams registered
        self.poller = select.poll()

    # Park cur_task until stream s is readable (idx 0) or writable (idx 1).
    def _queue(self, s, idx):
        global _io_hot
        if getattr(type(s), "ioctl", None) is not None:
            self._queue_py(s, idx)
        else:
            self._queue_native(s, idx, cur_task)
        self.n += 1
        _io_hot = _io_prio
        cur_task.data = self

    def _queue_py(self, s, idx):
        e = self._entry(s)
        if e[idx] is not None:
            raise RuntimeError("stream already has a waiter")
        e[idx] = cur_task

    def _entry(self, s):
        for e in self.py:
            if e[2] is s:
                return e
        e = self.free.pop() if self.free else [None, None, None]
        e[2] = s
        self.py.append(e)
        return e

    # Door: await _io_queue.queue_read(s) parks the task until s is readable.
    def queue_read(self, s):
        self._queue(s, 0)
        _park._armed = True
        return _park

    def queue_write(self, s):
        self._queue(s, 1)
        _park._armed = True
        return _park

    if IS_MICROPYTHON:

        def _queue_native(self, s, idx, t):
            e = self.map.get(id(s))
            if e is None:
                # Register first: if the poller refuses the stream, nothing is left behind.
                self.poller.register(s, 1 if idx == 0 else 4)
                e = [None, None, s]
                e[idx] = t
                self.map[id(s)] = e
                self.nnative += 1
            else:
                if e[idx] is not None:
                    raise RuntimeError("stream already has a waiter")
                e[idx] = t
                self.poller.modify(s, 5)

        def _drop_native(self, e):
            s = e[2]
            if e[0] is None and e[1] is None:
                del self.map[id(s)]
                self.poller.unregister(s)
                self.nnative -= 1
            else:
                self.poller.modify(s, 1 if e[0] is not None else 4)

        def _poll_native(self, ms):
            self.woke = 0
            for x in self.poller.ipoll(ms):
                self._native_event(x)
            return self.woke

        def _native_event(self, x):
            e = self.map[id(x[0])]
            self._fire(e, x[1])
            self._drop_native(e)

    else:
        # CPython: select.poll on file descriptors, with the same event bits.

        def _queue_native(self, s, idx, t):
            fd = s.fileno()
            e = self.map.get(fd)
            if e is None:
                # Register first: if the poller refuses the stream (a closed socket's fd is -1),
                # nothing is left behind.
                self.poller.register(fd, 1 if idx == 0 else 4)
                e = [None, None, s, fd]
                e[idx] = t
                self.map[fd] = e
                self.nnative += 1
            else:
                if e[idx] is not None:
                    raise RuntimeError("stream already has a waiter")
                e[idx] = t
                self.poller.modify(fd, 5)

        def _drop_native(self, e):
            fd = e[3]
            if e[0] is None and e[1] is None:
                del self.map[fd]
                self.poller.unregister(fd)
                self.nnative -= 1
            else:
                self.poller.modify(fd, 1 if e[0] is not None else 4)

        def _poll_native(self, ms):
            self.woke = 0
            for fd, ev in self.poller.poll(ms):
                e = self.map.get(fd)
                if e is not None:
                    self._fire(e, ev)
                    self._drop_native(e)
            return self.woke

    def _fire(self, e, ev):
        # Wake the waiters of entry e that poll event mask ev concerns (counted in self.woke).
        if ev & _POLL_RD and e[0] is not None:
            self._wake(e[0])
            e[0] = None
        if ev & _POLL_WR and e[1] is not None:
            self._wake(e[1])
            e[1] = None

    def _wake(self, t):
        global _io_hot
        if _io_prio:
            _ring.appendleft(t)
        else:
            _ring.append(t)
        t.data = _RING
        self.woke += 1
        self.n -= 1
        if not self.n:
            _io_hot = False

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
            self.py.pop(i)
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

    # Nothing is ready: wait for I/O or for up to dt ms (-1: no deadline).
    def wait(self, dt):
        py = self.py
        if dt < 0:
            ms = 1 if py else (-1 if self.nnative else 3)
        elif dt >= 2:
            ms = 1 if py else dt - 1
        else:
            ms = 0
        if self.nnative:
            if ms:
                self._poll_native(ms)
            else:
                _sleep_us(100)
                self._poll_native(0)
        elif ms > 0:
            _sleep_ms(ms)
        else:
            _sleep_us(100)
        if py:
            self._poll_py()

    def remove(self, task):
        # cancel(): forget every wait of `task` (and the registration if nothing else waits).
        global _io_hot
        for e in self.py:
            self._forget(e, task)
        i = len(self.py)
        while i:
            i -= 1
            e = self.py[i]
            if e[0] is None and e[1] is None:
                self.py.pop(i)
        for e in list(self.map.values()):
            if self._forget(e, task):
                self._drop_native(e)
        if not self.n:
            _io_hot = False

    def _forget(self, e, task):
        found = False
        for i in (0, 1):
            if e[i] is task:
                e[i] = None
                self.n -= 1
                found = True
        return found


################################################################################
# Tasks


def _promote_to_task(aw):
    return aw if isinstance(aw, Task) else create_task(aw)


async def _await_door(d):
    # A door handed to create_task() (e.g. wait_for(ev.wait(), 1)): arm it again when the task
    # runs, since other tasks may have used the door in between.
    d._armed = True
    return await d


async def _sleep_coro(ms, low):
    await (after_ms(ms) if low else sleep_ms(ms))


def create_task(coro):
    if not hasattr(coro, "send"):
        if not isinstance(coro, _Door):
            raise TypeError("coroutine expected")
        if isinstance(coro, _Sleep):  # sleep()/after(): take the duration now, free the door
            d = coro
            coro = _sleep_coro(d.ms, isinstance(d, _After))
            d.ms = -1
        else:
            coro._armed = False
            coro = _await_door(coro)
    t = Task(coro, globals())
    _count_task()
    _ring.append(t)
    t.data = _RING
    if _coro_map is not None:
        _coro_map[id(coro)] = t
    return t


def current_task():
    if cur_task is None:
        raise RuntimeError("no running event loop")
    return cur_task


_coro_map = None  # id(coro) -> Task for V2's cancel(coro), kept once get_event_loop(...) is used


def cancel(coro):
    """V2: cancel the task running coroutine `coro`. Returns True if one was cancelled."""
    if isinstance(coro, Task):
        return coro.cancel()
    t = _coro_map.get(id(coro)) if _coro_map else None
    if t is None or t.coro is not coro:
        return False
    return t.cancel()


def _report(t, exc):
    _exc_context["exception"] = exc
    _exc_context["future"] = t
    Loop.call_exception_handler(_exc_context)


def _finish(t, er, main_task):
    # Task t ended with er (StopIteration: returned). Wake what waits on it.
    global _ntasks
    awaited = t is main_task
    st = t.state
    if st is True:
        t.state = False if awaited else None
    elif callable(st):
        st(t, er)
        t.state = False
        awaited = True
    else:
        while st.peek():
            w = st.pop()
            _ring.append(w)
            w.data = _RING
            awaited = True
        t.state = False
    t.data = er
    if _coro_map:
        _coro_map.pop(id(t.coro), None)
    if not awaited and not isinstance(er, (CancelledError, StopIteration)):
        # Report the exception on the task's next turn unless someone retrieves it first.
        _ring.append(t)
    else:
        _ntasks -= 1


def _lp_due(ring, now):
    # Move due low-priority tasks to the ring: all of them when nothing else is ready, else
    # those more than max_overdue_ms late.
    q = _lpq
    idle = not ring
    h = q.peek()
    while h:
        late = _ticks_diff(now, h.ph_key)
        if late < 0 or not (idle or (_max_overdue and late >= _max_overdue)):
            return
        q.pop()
        ring.append(h)
        h.data = _RING
        h = q.peek()


def _deadline(now):
    # ms until the earliest timer or low-priority deadline (0 if one is due); -1 if none.
    dt = -1
    h = _timerq.peek()
    if h:
        dt = _ticks_diff(h.ph_key, now)
        if dt < 0:
            dt = 0
    h = _lpq.peek()
    if h:
        d = _ticks_diff(h.ph_key, now)
        if d < 0:
            d = 0
        if dt < 0 or d < dt:
            dt = d
    return dt


def run_until_complete(main_task=None):
    global cur_task, _ntasks
    excs_all = (CancelledError, Exception)
    RING = _RING
    io = _io_queue
    # The queues stay the same objects for the whole run (only the ring may be replaced when
    # it grows): bind their methods once.
    cq, tq, lq = _task_queue, _timerq, _lpq
    cq_peek, tq_peek, lq_peek, tq_pop = cq.peek, tq.peek, lq.peek, tq.pop
    while True:
        ring = _ring
        # Round boundary: bring in cancelled tasks, expired timers, ready I/O and due
        # low-priority tasks; then run every task that was ready at this point once.
        if cq_peek():
            while cq_peek():
                ring.append(cq.pop())  # data stays the exception to throw
        h = tq_peek()
        if h:
            now = _ticks()
            while h and _ticks_diff(h.ph_key, now) <= 0:
                tq_pop()
                ring.append(h)
                h.data = RING
                h = tq_peek()
        if io.n:
            io.poll()
        if lq_peek():
            _lp_due(ring, _ticks())
        if not ring:
            if not (tq_peek() or lq_peek() or io.n or cq_peek()):
                cur_task = None
                if main_task is None or not main_task.state:
                    return None
            dt = _deadline(_ticks())
            if dt:
                if _clock_idle is not None:
                    _clock_idle(dt)
                    if io.n:
                        io.poll()
                elif _idle_hook is not None:
                    _idle_hook(dt)
                    if io.n:
                        io.poll()
                else:
                    io.wait(dt)
            continue
        n = len(ring)
        while n:
            n -= 1
            if _io_hot:
                n += io.poll()
            if not ring:
                break
            t = ring.popleft()
            cur_task = t
            try:
                exc = t.data
                if exc is RING:
                    t.coro.send(None)
                else:
                    st = t.state
                    if st is None or st is False:
                        # A finished task whose exception nobody retrieved: report it.
                        _ntasks -= 1
                        if st is None:
                            _report(t, exc)
                        continue
                    t.data = RING  # running, as after send (see _Ring.remove)
                    t.coro.throw(exc)
            except excs_all as er:
                _finish(t, er, main_task)
                if t is main_task:
                    cur_task = None
                    if isinstance(er, StopIteration):
                        return er.value
                    raise er
        cur_task = None


def run(coro):
    global cur_task
    if IS_MICROPYTHON:
        return run_until_complete(create_task(coro))
    if cur_task is not None:
        raise RuntimeError("run() cannot be called from a running event loop")
    new_event_loop()  # CPython's asyncio.run starts each run with a fresh loop
    try:
        return run_until_complete(create_task(coro))
    finally:
        cur_task = None  # also after KeyboardInterrupt


################################################################################
# Callbacks (V2): each becomes a small task


async def _call_soon(cb, args):
    cb(*args)


async def _call_later(ms, cb, args):
    await sleep_ms(ms)
    cb(*args)


async def _call_after(ms, cb, args):
    await after_ms(ms)
    cb(*args)


def call_soon(cb, *args):
    return create_task(_call_soon(cb, args))


def call_later_ms(ms, cb, *args):
    return create_task(_call_later(ms, cb, args))


def call_later(s, cb, *args):
    return call_later_ms(int(s * 1000), cb, *args)


def call_at(t, cb, *args):
    return call_later_ms(max(0, _ticks_diff(t, _ticks())), cb, *args)


def call_after_ms(ms, cb, *args):
    return create_task(_call_after(ms, cb, args))


def call_after(s, cb, *args):
    return call_after_ms(int(s * 1000), cb, *args)


################################################################################
# Event loop object (MicroPython style: the class itself is the loop)


async def _stopper():
    pass


cur_task = None
_stop_task = None


class Loop:
    _exc_handler = None

    def create_task(coro):
        global _coro_map
        if _coro_map is None:
            _coro_map = {}
        return create_task(coro)

    def run_forever():
        global _stop_task
        _stop_task = Task(_stopper(), globals())
        _count_task()
        run_until_complete(_stop_task)

    def run_until_complete(aw):
        return run_until_complete(_promote_to_task(aw))

    def stop():
        global _stop_task
        if _stop_task is not None:
            _ready(_stop_task)
            _stop_task = None

    def close():
        pass

    def set_exception_handler(handler):
        Loop._exc_handler = handler

    def get_exception_handler():
        return Loop._exc_handler

    def default_exception_handler(loop, context):
        f = sys.stderr
        print(context["message"], file=f)
        print("future:", context["future"], "coro=", context["future"].coro, file=f)
        _print_exception(context["exception"], f)

    def call_exception_handler(context):
        (Loop._exc_handler or Loop.default_exception_handler)(Loop, context)

    # V2-era API
    def time():
        return _ticks()

    call_soon = call_soon
    call_later = call_later
    call_later_ms = call_later_ms
    call_at = call_at
    call_after = call_after
    call_after_ms = call_after_ms
    max_overdue_ms = max_overdue_ms


def get_event_loop(runq_len=0, waitq_len=0, ioq_len=0, lp_len=0):
    """The loop. The V2 queue sizes are accepted: runq_len presizes the ready ring, ioq_len > 0
    turns on I/O priority, lp_len > 0 enables the low-priority queue (always available here)."""
    global _coro_map
    if runq_len and runq_len > _cap:
        _grow(runq_len)
    if ioq_len:
        set_io_priority(True)
    if runq_len or waitq_len or ioq_len or lp_len:
        if _coro_map is None:
            _coro_map = {}
    return Loop


def new_event_loop():
    global _task_queue, _timerq, _lpq, _io_queue, _ring, _cap, _ntasks, _io_hot, _stop_task
    global cur_task
    _task_queue = TaskQueue()  # cancelled tasks (the C Task.cancel() pushes here)
    _timerq = TaskQueue()  # sleeping tasks by deadline
    _lpq = TaskQueue()  # low-priority tasks by due time
    _io_queue = IOQueue()
    _ring = _new_ring(16)
    _cap = 16 if IS_MICROPYTHON else 1 << 60
    _ntasks = 0
    _io_hot = False
    _stop_task = None
    cur_task = None
    return Loop


new_event_loop()
