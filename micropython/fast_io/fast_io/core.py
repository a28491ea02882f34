# fast_io core: the loop, the clock, the ready ring and the doors into the loop.
# MIT license; Copyright (c) micropython-async contributors
#
# THE ONE DOOR INTO THE LOOP
# ==========================
# A task gives up the CPU in exactly one way: its coroutine yields None, which only happens
# inside the "door" objects of this package (sleep, after, Event.wait, Lock.acquire, the I/O
# waits, fast_io.door.park ...). Before a door yields it has parked the running task `cur_task`
# in exactly one place and set `cur_task.data` to that place. Every place has a `remove(task)`
# method, so cancellation can take any task out of wherever it waits without knowing what it
# waits for:
#
#   place                         cur_task.data    who makes the task ready
#   ready ring (_ring)            _RING            (it is ready: the loop runs it in turn)
#   timer heap (_timerq)          _TIMERS          the loop, when the deadline has passed
#   low-priority heap (_lpq)      _LOWPRI          the loop, when nothing else is ready (or late)
#   I/O poller (poller.py)        the IOQueue      the loop, when the stream polls ready
#   an Event or Lock              that object      Event.set() / Lock.release()
#   another task's end            that Task        the loop, when that task ends
#   a gather() in progress        its _Gather      the gather's done callback
#   a place of your own           your object      you, with door.wake(task) (see door.py)
#
# Whoever wakes a task takes it out of its place, then calls _ready(task): the task joins the
# tail of the ring, so tasks run in the order they were made ready (FIFO), as with MicroPython's
# asyncio. The loop never requeues a task that yielded: a coroutine that yields without going
# through a door is lost.
#
# CANCELLATION
# Task.cancel() (the C one on MicroPython, task.py's elsewhere) calls data.remove(task), pushes
# the task on `_task_queue` and sets its data to CancelledError; the loop throws that into the
# task when it runs. fast_io's own places end their remove() with _removed(task), which makes
# the task ready at once, at the tail of the ring, as the built-in asyncio does. A task cancelled
# while it is already in the ring keeps its place there. Either way the task is noted in
# `_early`, and the loop, which empties `_task_queue` before it throws into a cancelled task and
# at round boundaries, skips it there. A task cancelled in a place whose remove() does not
# call _removed() (door.removed()) joins the ring when the loop empties `_task_queue`.
# While a task runs its data is _SINK, a finished task: a cancel of a task that awaits the
# running task follows the awaits to _SINK and is dropped there, as with the built-in.
#
# TIME, I/O AND ROUNDS
# The built-in asyncio stamps a task made ready with the current ms and a sleeper with its
# deadline, and runs the earliest first. fast_io gets the same order without stamps: while a
# timer is pending (_timing; _due is then at most the earliest deadline), every push first
# moves the timers already due to the ring, and when the ring runs empty the loop does the
# same. A due sleeper thus follows every task made ready before its deadline (all of them
# are ahead of it in the ring) and precedes every task made ready after it.
# While some task waits on I/O (_io_hot) the streams are polled before every task, as the
# built-in does: a task whose stream is ready joins the tail of the ring, or with I/O priority
# (set_io_priority) runs next, before the rest of the ring.
# Low-priority tasks and the cancel queue are looked at in rounds, while there are such
# chores (_chores): at a round boundary the loop takes in cancelled tasks and due low-priority
# tasks, then runs the tasks that are in the ring at that moment once each (tasks made ready
# meanwhile run after them, in the next round). Without chores a switch is pop and run.
#
# TASK STATES (Task.state; the values are those the C Task type understands)
#   STATE_RUNNING      True          not finished, nobody awaits it
#   (awaited)          a TaskQueue   not finished, the tasks in that queue await it
#   (callback)         a callable    not finished, gather() is called back when it ends
#   STATE_DONE_UNSEEN  None          finished; result or exception not yet retrieved
#   STATE_DONE_SEEN    False         finished and retrieved (awaited)
#
# NO ALLOCATION PER ROUND
# The doors are long-lived objects, armed by the call that returns them (sleep_ms(5) stores 5
# in the sleep door and returns it); their __next__ parks the task on the first call and ends
# the await, by raising a preallocated StopIteration, on the second. The ready ring is a
# fixed-size deque grown when it is full and shrunk when it has been mostly empty; timers use
# the C pairing heap of the `_asyncio` module where the firmware has it. Streams, the poller,
# the virtual clock, the V2-era API and low priority live in their own modules, loaded on
# first use.

import sys

IS_MICROPYTHON = sys.implementation.name == "micropython"

if IS_MICROPYTHON:
    from collections import deque
    from time import ticks_add as _real_ticks_add
    from time import ticks_diff as _real_ticks_diff
    from time import ticks_ms as _real_ticks

    try:
        from _asyncio import Task, TaskQueue
    except ImportError:  # firmware without the C module (MicroPython 1.20: only uasyncio)
        from .task import Task, TaskQueue

    def _new_ring(n):
        return deque((), n, 1)

else:
    import time
    from collections import deque

    from .task import Task, TaskQueue

    _monotonic_ns = time.monotonic_ns

    def _real_ticks():
        return _monotonic_ns() // 1000000

    def _real_ticks_diff(a, b):
        return a - b

    def _real_ticks_add(a, b):
        return a + b

    def _new_ring(n):
        return deque()


version = "fast_io 0.2.2"

# The builtins that run on every switch or task creation, as globals of this module. Python
# code finds a builtin only after missing in its module's globals, and on MicroPython that miss
# probes this module's nearly full table of ~100 names: len() cost 0.2 us there, as much as a
# third of a task switch, against 0.04 us through one of these names.
_len = len
_isinstance = isinstance
_hasattr = hasattr
_callable = callable
_int = int

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


# set_clock(), get_clock() and set_idle_hook() are in hooks.py (loaded on first use).


# The clock for code outside the loop (drivers, asyn's timers), as MicroPython's built-in
# asyncio exports it: asyncio.ticks() and friends then work on both schedulers. They call
# through the globals, so they follow set_clock() made at any time.
def ticks():
    return _ticks()


def ticks_diff(a, b):
    return _ticks_diff(a, b)


def ticks_add(t, d):
    return _ticks_add(t, d)


################################################################################
# The ready ring and the places the loop owns


class _Place:
    # The places the loop owns, in one class (each class costs about 250 bytes of RAM):
    # _RING: tasks that are ready to run, in the deque `_ring` (and, with I/O priority, the list
    #   `_io_first`); a ready task keeps its place when cancelled.
    # _TIMERS: tasks in sleep(), in the heap `_timerq`.
    # _NO_IO: `_io_queue` until the first I/O wait, which makes the poller (poller.py); `n`
    #   (tasks waiting on I/O) is read at every round.
    # Only cancel() calls remove.
    n = 0

    def remove(self, task):
        if self is _TIMERS:
            _unsleep(task)
            _removed(task)
        elif task is not _SINK:  # (a cancel forwarded to the running task ends at _SINK)
            _early.append(task)

    def queue_read(self, s):  # (_NO_IO)
        return _new_io().queue_read(s)

    def queue_write(self, s):  # (_NO_IO)
        return _new_io().queue_write(s)


_RING = _Place()
_TIMERS = _Place()
_cap = 0  # capacity of the ring (MicroPython's deque has a fixed size)


def _push(t):
    # Make t the last ready task. Timers that expired before now go first: the built-in
    # asyncio stamps a task made ready with the current ms and a sleeper with its deadline,
    # and runs them in that order (_timing is set while any timer is pending, and _due is then
    # at most the earliest deadline: a timer taken out early may leave it earlier).
    if _timing and _ticks_diff(_due, _ticks()) <= 0:
        _due_timers()
    _append(t)


def _append(t):
    # Append t to the ring, growing the ring when it is full (MicroPython's deque raises
    # IndexError then). The ring holds only ready tasks, so a program whose tasks mostly wait
    # pays for no more slots than it has ready tasks at once. One slot is kept free: the
    # sleep(0) door appends the running task without this check (the running task was taken
    # out of the ring, or the loop made room, so that slot is there).
    try:
        _ring.append(t)
    except IndexError:
        _resize(_cap * 2)
        _ring.append(t)
    if _len(_ring) >= _cap:
        _resize(_cap * 2)


def _ready(t):
    # Make t (taken out of its place) ready: it runs after the tasks made ready before it.
    _push(t)
    t.data = _RING


def _removed(t):
    # The end of a place's remove(): t is being cancelled; it becomes ready now (cancel() then
    # sets its data to the exception and pushes it on _task_queue, where the loop skips it).
    _push(t)
    _early.append(t)


def _unsleep(t):
    # Take t out of the timer heap before its deadline (cancelled, or woken by wait_for).
    global _timing
    _timerq.remove(t)
    if not _timerq.peek():
        _timing = False  # (pushes stop looking at the clock)


def _due_timers():
    # Move the timers whose deadline has passed to the ring, earliest first; note the next
    # deadline in _due (or that no timer is left).
    global _timing, _due
    h = _timerq.peek()
    if h:
        now = _ticks()
        while h and _ticks_diff(h.ph_key, now) <= 0:
            _timerq.pop()
            _append(h)
            h.data = _RING
            h = _timerq.peek()
    if h:
        _due = h.ph_key
    else:
        _timing = False


def _take_cancelled():
    # Empty the cancel queue. Tasks already made ready by _removed() (or left in the ring) are
    # noted in _early; the others were cancelled in a place that does not call _removed().
    q = _task_queue
    while q.peek():
        t = q.pop()
        if t is _SINK:  # a cancel forwarded to the running task: dropped (see _SINK)
            t.data = _RING
        elif t in _early:
            _early.remove(t)
        else:
            _push(t)


def _resize(n):
    # (A ring grown past 64 slots shrinks back once mostly empty: see _shrink's callers.)
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

    __await__ = __iter__  # (CPython's await asks for it; one function object for both)


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
    if _cap > 64:
        _give_back()
    return _park


class _Sleep(_Door):
    ms = -1  # not armed (an instance attribute once armed)

    def __iter__(self):  # (here too: found one class lookup sooner, on every sleep)
        return self

    def __next__(self):
        global _timing, _due
        ms = self.ms
        if ms < 0:
            e = _STOP
            e.__traceback__ = None
            raise e
        self.ms = -1  # (ms > 0 here: sleep(0) goes through _Yield)
        t = cur_task
        d = _ticks_add(_ticks(), ms)
        _timerq.push(t, d)
        t.data = _TIMERS
        if not _timing or _ticks_diff(d, _due) < 0:
            _due = d
        _timing = True
        if _cap > 64:
            _give_back()
        return None


_sleeper = _Sleep()


class _Yield(_Door):
    # sleep(0) and sleep_ms(0): the task goes to the tail of the ring.
    def __iter__(self):
        return self

    def __next__(self):
        if self._armed:
            self._armed = False
            t = cur_task
            if _timing and _ticks_diff(_due, _ticks()) <= 0:
                _due_timers()
            _ring.append(t)  # a slot is free: see _append
            t.data = _RING
            return None
        e = _STOP
        e.__traceback__ = None
        raise e


_yielder = _Yield()


# Pause for t ms (an integer): no heap allocation when awaited at once. The shared door is
# still armed when an earlier sleep() has not been awaited yet (gather(sleep(1), sleep(2))
# evaluates both calls before anything runs): that call gets a door of its own instead of
# re-arming the shared one under the earlier caller. sleep(0) has a door of its own, _Yield,
# whose __next__ does only that (a tenth of a switch less than going through _Sleep).
def sleep_ms(t):
    if t > 0:
        s = _sleeper
        if s.ms >= 0:
            s = _Sleep()
        s.ms = t
        return s
    s = _yielder
    if s._armed:
        s = _Yield()
    s._armed = True
    return s


# Pause for t seconds.
def sleep(t):
    if t:
        t = _int(t * 1000)
        if t > 0:
            s = _sleeper
            if s.ms >= 0:
                s = _Sleep()
            s.ms = t
            return s
    s = _yielder
    if s._armed:
        s = _Yield()
    s._armed = True
    return s


################################################################################
# Low priority (after, after_ms, max_overdue_ms): lowpri.py, loaded on first use. The loop
# looks at `_lpq` only once something has been queued there.

_lpq = None
_lp = None  # the lowpri module, once loaded


def _lowpri():
    global _lp
    if _lp is None:
        from . import lowpri

        _lp = lowpri
    return _lp


# after_ms(), after() and max_overdue_ms() are lowpri's own (fast_io/__init__.py loads it).


################################################################################
# I/O: the poller (poller.py) is made on first use. A task that waits on I/O goes through
# _io_queue.queue_read(s) / queue_write(s), as with the built-in asyncio.

_io_prio = False  # I/O priority: a task whose stream is ready runs next
_io_hot = False  # some task waits on I/O (or is in _io_first): poll before every task
_io_first = []  # with I/O priority: tasks woken by I/O, run before the ring


# set_io_priority() is in hooks.py (loaded on first use).


def _new_io():
    global _io_queue
    from .poller import IOQueue

    _io_queue = IOQueue()
    return _io_queue


def _io():
    # The poller, made now if no task has waited on I/O yet.
    return _new_io() if _io_queue is _NO_IO else _io_queue


_NO_IO = _Place()


if IS_MICROPYTHON:
    from time import sleep_us as _sleep_us
    from time import ticks_us as _us

    def _into_ms(ms, us):
        # How far (us) into the current millisecond: both clocks count from one source, each
        # wrapped at 2**30, so compare us with ms * 1000 taken modulo 2**30 (in small ints).
        x = (ms & 0xFFFFF) * 1000 + ((((ms >> 20) * 1000) & 0x3FF) << 20)
        return (us - x) & 0x3FFFFFFF

else:

    def _sleep_us(us):
        time.sleep(us / 1000000)

    def _us():
        return _monotonic_ns() // 1000

    def _into_ms(ms, us):
        return us - ms * 1000


def _wait(dt):
    # Sleep until the real ms clock reaches now + dt, in one system call like the built-in: the
    # part of the current ms already gone is taken off, so a wake-up is not up to 1 ms late.
    # (If the two clocks do not line up, as the check shows, whole milliseconds are slept.)
    into = _into_ms(_real_ticks(), _us())
    _sleep_us(dt * 1000 - into if 0 <= into < 1000 else dt * 1000)


################################################################################
# Tasks


def _promote_to_task(aw):
    return aw if _isinstance(aw, Task) else create_task(aw)


def create_task(coro):
    if not _hasattr(coro, "send"):  # a door (sleep(), ev.wait()...): funcs.py wraps it
        from .funcs import _as_coro

        coro = _as_coro(coro)
    t = Task(coro, _GLOBALS)
    # _push(t) with its timer check inline: task creation is as hot as a switch in gather().
    if _timing and _ticks_diff(_due, _ticks()) <= 0:
        _due_timers()
    _append(t)
    t.data = _RING
    if _coro_map is not None:
        _coro_map[id(coro)] = t
    return t


def current_task():
    if cur_task is None:
        raise RuntimeError("no running event loop")
    return cur_task


_coro_map = None  # id(coro) -> Task for V2's cancel(coro), kept once get_event_loop(...) is used


def _report(t, exc):
    _exc_context["exception"] = exc
    _exc_context["future"] = t
    Loop.call_exception_handler(_exc_context)


def _finish(t, er, awaited):
    # Task t ended with er (StopIteration: returned); awaited: it is the main task. Wake what
    # waits on it.
    st = t.state
    if st is STATE_RUNNING:
        t.state = STATE_DONE_SEEN if awaited else STATE_DONE_UNSEEN
    elif _callable(st):
        st(t, er)
        t.state = STATE_DONE_SEEN
        awaited = True
    else:
        while st.peek():
            _ready(st.pop())
            awaited = True
        t.state = STATE_DONE_SEEN
    t.data = er
    if _coro_map:
        _coro_map.pop(id(t.coro), None)
    if not awaited and not _isinstance(er, _EXCS_STOP):
        # Report the exception on the task's next turn unless someone retrieves it first.
        _push(t)
    # The end of a burst of tasks: give the ring's memory back when mostly empty. (Not for
    # 128 slots or fewer: gather() of 100 tasks would grow and shrink the ring every time.)
    if _cap > 128:
        n = _len(_ring)
        if n * 8 < _cap:
            _shrink(n)


_EXCS_STOP = (CancelledError, StopIteration)


def _deadline(now):
    # ms until the earliest timer or low-priority deadline (0 if one is due); -1 if none.
    dt = -1
    h = _timerq.peek()
    if h:
        dt = _ticks_diff(h.ph_key, now)
        if dt < 0:
            dt = 0
    if _lpq is not None:
        h = _lpq.peek()
        if h:
            d = _ticks_diff(h.ph_key, now)
            if d < 0:
                d = 0
            if dt < 0 or d < dt:
                dt = d
    return dt


def _idle(main_task):
    # Nothing is ready. Return True if the loop must end (nothing can ever become ready).
    global cur_task
    io = _io_queue
    if not (_timerq.peek() or (_lpq is not None and _lpq.peek()) or io.n):
        if _task_queue.peek():
            return False
        cur_task = None
        if main_task is None or not main_task.state:
            return True
        # Only an interrupt handler or a thread can make a task ready now: look again every
        # 3 ms, as the built-in asyncio does.
    dt = _deadline(_ticks())
    if dt:
        if io.n and (_clock_idle is not None or _idle_hook is not None):
            # Look at the streams before the clock jumps or the board sleeps: the built-in's
            # wait returns at once for a stream that is already ready.
            io.poll()
            if _ring or _io_first:
                return False
        if _clock_idle is not None:
            _clock_idle(dt)
            if io.n:
                io.poll()
        elif _idle_hook is not None:
            _idle_hook(dt)
            if io.n:
                io.poll()
        elif io.n:
            io.wait(dt)
        else:
            _wait(3 if dt < 0 else dt)
    return False


def _give_back():
    # A task leaves the ring to wait (sleep, Event, Lock, I/O, a door): after a burst, once the
    # ring is mostly empty, give its memory back. (Callers look at _cap > 64 first.)
    n = _len(_ring)
    if n * 8 < _cap:
        _shrink(n)


def _shrink(n):
    # After a burst of ready tasks, give the ring's memory back (n: tasks in it now). Looked
    # at when a task ends or sleeps, at round boundaries and when the ring is empty: never
    # per switch.
    _resize(n * 2 if n > 64 else 64)


def _round():
    # Round boundary chores beyond cancels and timers (_extra): due low-priority tasks, a ring
    # to shrink. Clears the flags when none of them can come up before something sets them
    # again.
    global cur_task, _chores, _extra
    _due_timers()
    lpq = _lpq
    if lpq is not None and lpq.peek():
        cur_task = None
        _lowpri().due(_ring, _ticks())
    n = _len(_ring)
    if _cap > 64 and n * 8 < _cap:
        _shrink(n)
    _extra = lpq is not None and lpq.peek() is not None
    _chores = _extra or _io_hot


def _io_turn():
    # Before every task while some task waits on I/O (_io_hot), as the built-in polls before
    # every task: tasks whose streams are ready join the tail of the ring (or, with I/O
    # priority, _io_first). Returns the first of _io_first, to run next, or None.
    global _io_hot
    io = _io_queue
    if io.n:
        io.poll()
    if _io_first:
        if _len(_ring) >= _cap:  # the free slot the sleep(0) door counts on (_append)
            _resize(_cap * 2)
        return _io_first.pop(0)
    if not io.n:
        _io_hot = False
    return None


def _empty(main_task):
    # The loop's ring is empty, or was replaced by a bigger one during the round: True if
    # the loop must end, else it goes on (with whatever is ready now, after idling if need be).
    global cur_task
    if _ring or _io_first:
        return False
    if _chores or _task_queue.peek():  # (a cancel in a place that does not call removed())
        _take_cancelled()
        _round()  # (moves the due timers too)
    elif _timing:
        _due_timers()
    if _ring or _io_first:
        return False
    if _cap > 64:
        _shrink(0)
    cur_task = None
    return _idle(main_task)


def run_until_complete(main_task=None):
    global cur_task, _chores
    excs_all = (CancelledError, Exception)
    RING = _RING
    SINK = _SINK
    # The cancel queue stays the same object for the whole run (only new_event_loop()
    # replaces it): bind its method once.
    cq_peek = _task_queue.peek
    length = _len
    ring = _ring
    n = 0  # tasks of the current round still to run (counted down below 0 without chores)
    # One loop, not a loop per round: with one or two ready tasks a round is a single task,
    # and leaving and re-entering an inner loop at each round cost as much as the switch.
    # A round boundary is only kept while there are chores (_chores: low-priority tasks, and
    # I/O waits, polled before every task); without them a switch is pop, run, and nothing
    # else (timers are seen to at each push and when the ring runs empty).
    # cur_task is left on the last task between rounds; it is cleared before anything that
    # may run application code outside a task (a stream's ioctl, the idle hooks).
    while True:
        if _chores:  # (also set while a task waits on I/O)
            if n <= 0:
                # Round boundary: the chores, then every task that is ready now runs once.
                if cq_peek():
                    _take_cancelled()
                if _extra:
                    _round()
                else:
                    _chores = _io_hot
                ring = _ring  # (read now: the ring is a new object when it has grown)
                n = length(ring)
            t = _io_turn() if _io_hot else None  # woken by I/O, with I/O priority: runs next
            if t is None:
                if not ring:
                    if _empty(main_task):
                        return None
                    ring = _ring
                    n = 0
                    continue
                n -= 1
                t = ring.popleft()
        # (The pop and the empty ring are written out again here: without chores a switch is
        # these three lines, with nothing to test first.)
        elif ring:
            n -= 1
            t = ring.popleft()
        else:
            if _empty(main_task):
                return None
            ring = _ring
            n = 0
            continue
        exc = t.data
        if exc is RING:
            # While it runs, a task is parked at _SINK: a cancel forwarded to it (it cancels a
            # task that awaits it) ends there, dropped, as with the built-in.
            t.data = SINK
            cur_task = t
            try:
                t.coro.send(None)
            except excs_all as er:
                _finish(t, er, t is main_task)
                if t is main_task:
                    cur_task = None
                    if isinstance(er, StopIteration):
                        return er.value
                    raise er
            continue  # (outside the try: a continue inside one costs an unwind)
        st = t.state
        if st is STATE_DONE_UNSEEN or st is STATE_DONE_SEEN:
            # A finished task whose exception nobody retrieved: report it. The handler's own
            # exception leaves run(), as with the built-in asyncio.
            if st is STATE_DONE_UNSEEN:
                cur_task = t
                _report(t, exc)
            continue
        # Cancelled: settle the cancel queue first (the task may be in it), then throw. (The
        # try below repeats the one above rather than testing `exc is RING` on every switch.)
        _take_cancelled()
        t.data = SINK
        cur_task = t
        try:
            t.coro.throw(exc)
        except excs_all as er:
            _finish(t, er, t is main_task)
            if t is main_task:
                cur_task = None
                if isinstance(er, StopIteration):
                    return er.value
                raise er


def run(coro):
    return run_until_complete(create_task(coro))


################################################################################
# Event loop object (MicroPython style: the class itself is the loop)


async def _stopper():
    pass


cur_task = None
_stop_task = None

# The place of the running task: a finished task that never runs. Task.cancel() of a task that
# awaits the running task follows the awaits to the running task, then to _SINK, and ends
# there: cancel() returns True and nothing happens, as the built-in asyncio does (its queue
# push forgets the cancel when the running task parks). The C cancel then queues _SINK on the
# cancel queue, where _take_cancelled() finds and resets it.
_SINK = Task(None, globals())  # (its coroutine is never used)
_SINK.data = _RING


def _compat():
    from . import compat

    return compat


class Loop:
    _exc_handler = None

    def create_task(coro):
        global _coro_map
        if _coro_map is None:  # V2's cancel(coro) finds the tasks made here
            _coro_map = {}
        return create_task(coro)

    def run_forever():
        global _stop_task
        _stop_task = Task(_stopper(), globals())
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
        from .funcs import _default_handler  # (only ever needed when something failed)

        _default_handler(context)

    def call_exception_handler(context):
        (Loop._exc_handler or Loop.default_exception_handler)(Loop, context)

    def time():
        return _ticks()

    # The V2-era methods (call_soon, call_later, ... max_overdue_ms) are added by compat.py,
    # which get_event_loop() loads.


def get_event_loop(runq_len=0, waitq_len=0, ioq_len=0, lp_len=0):
    """The loop, with the V2-era API (compat.py, loaded now). runq_len presizes the ready
    ring, ioq_len > 0 turns on I/O priority; any size keeps the map behind cancel(coro)."""
    _compat().v2_loop(runq_len, waitq_len, ioq_len, lp_len)
    return Loop


def new_event_loop():
    """Forget every task, timer, waiter and I/O registration: a fresh loop."""
    global _task_queue, _timerq, _lpq, _io_queue, _ring, _cap, _io_hot, _stop_task
    global cur_task, _early, _io_first, _live, _chores, _timing, _extra, _due
    _task_queue = TaskQueue()  # cancelled tasks (Task.cancel() pushes here)
    _early = []  # cancelled tasks already in the ring (see CANCELLATION above)
    _timerq = TaskQueue()  # sleeping tasks by deadline
    _lpq = None  # low-priority tasks by due time (lowpri.py makes it)
    _io_queue = _NO_IO
    _io_first = []
    _ring = _new_ring(16)
    _cap = 16 if IS_MICROPYTHON else 1 << 60
    _io_hot = False
    _chores = _timing = _extra = False
    _due = 0
    _stop_task = None
    cur_task = None
    # Doors armed by a call whose result was never awaited would make later calls allocate.
    _sleeper.ms = -1
    _yielder._armed = False
    _park._armed = False
    if not IS_MICROPYTHON:
        import weakref

        _live = weakref.WeakSet()  # every task of the run, for _cpython._cancel_leftovers()
    if "fast_io.lowpri" in sys.modules:
        sys.modules["fast_io.lowpri"]._reset()
    return Loop


_GLOBALS = globals()  # the C Task finds cur_task and the cancel queue through them
new_event_loop()

if not IS_MICROPYTHON:  # asyncio.run()'s rules, on CPython only
    from ._cpython import create_task, get_running_loop, run  # noqa: F401
