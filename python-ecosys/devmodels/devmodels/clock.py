"""The scheduler's clock, as device models see it.

Models keep time with the running scheduler, not with the wall clock, so that a test under
fast_io with a `VirtualClock` runs hours of device time in milliseconds and every event lands
on an exact virtual millisecond:

- MicroPython's asyncio and fast_io (on either interpreter) export `ticks()`, `ticks_diff()`
  and `ticks_add()`; fast_io's follow `set_clock()`, so a VirtualClock moves them.
- CPython's asyncio has the running loop's `time()` (seconds, a float); outside a loop the
  same monotonic clock.

`asyncio` is looked up at each call, not at import: `fast_io.install()` may come after this
module is imported and must still be followed.

`now_us()` is the real clock in microseconds (time.ticks_us on MicroPython), for stamps that
interrupt handlers take; it does not follow a virtual clock, as on a board.

`spawn(coro)` runs a model's coroutine in the application's loop: at once when a loop runs,
otherwise as soon as the application first uses a modelled part (a pin, a bus, a UART) from
inside its running loop. That lets test code set up a button's press script before the
application's `asyncio.run(main())`: the presses start when the application makes its pin.
"""

import sys

try:
    from time import ticks_diff as _ticks_diff
    from time import ticks_us as _ticks_us
except ImportError:  # CPython
    import time as _time

    def _ticks_us():
        return _time.monotonic_ns() // 1000

    def _ticks_diff(a, b):
        return a - b


def _aio():
    # The asyncio in force now: fast_io once fast_io.install() has run.
    m = sys.modules.get("asyncio")
    if m is None:
        try:
            import asyncio as m
        except ImportError:  # MicroPython 1.20 names its built-in asyncio uasyncio
            import uasyncio as m
    return m


def now_ms():
    """The scheduler's clock in ms (wraps on MicroPython: compare with `diff_ms`)."""
    aio = _aio()
    if hasattr(aio, "ticks"):  # MicroPython's asyncio and fast_io
        return aio.ticks()
    try:
        return int(aio.get_running_loop().time() * 1000)
    except RuntimeError:  # no running loop: the loop's default clock, monotonic
        import time

        return int(time.monotonic() * 1000)


def diff_ms(a, b):
    """a - b for two `now_ms()` readings."""
    aio = _aio()
    if hasattr(aio, "ticks_diff"):
        return aio.ticks_diff(a, b)
    return a - b


def add_ms(t, ms):
    """The `now_ms()` reading `ms` after `t`."""
    aio = _aio()
    if hasattr(aio, "ticks_add"):
        return aio.ticks_add(t, ms)
    return t + ms


def sleep_ms(ms):
    """Awaitable: sleep for `ms` on the scheduler's clock."""
    aio = _aio()
    if hasattr(aio, "sleep_ms"):
        return aio.sleep_ms(ms)
    return aio.sleep(ms / 1000)


async def sleep_until(t):
    """Sleep until `now_ms()` reaches `t` (returns at once if it has passed)."""
    while True:
        left = diff_ms(t, now_ms())
        if left <= 0:
            return
        await sleep_ms(left)


def now_us():
    """Real time in microseconds (time.ticks_us on MicroPython): not virtual."""
    return _ticks_us()


def diff_us(a, b):
    """a - b for two `now_us()` readings."""
    return _ticks_diff(a, b)


# MicroPython 1.20 to 1.22 never clear the current task when a loop ends (1.23 does).
_STALE_CURRENT_TASK = sys.implementation.name == "micropython" and (
    tuple(sys.implementation.version[:2]) < (1, 23)
)


def running():
    """True inside a running event loop."""
    try:
        task = _aio().current_task()
    except (RuntimeError, NameError):  # 1.20 to 1.22 define cur_task only once a loop runs
        return False
    if task is None or task.done():
        return False
    if _STALE_CURRENT_TASK:
        # After a run, 1.20 to 1.22 go on returning its last task, and a main task that has
        # returned still says it is not done. Its coroutine tells: inside the loop the current
        # task's coroutine is executing (send refuses with ValueError); after the run it is
        # exhausted (StopIteration). Neither changes it. A suspended coroutine, which send
        # would step, is current only in a micropython.schedule callback run while the loop
        # polls (devmodels never schedules) or after a run that an exception from outside
        # any task ended (Ctrl-C while polling): an already broken run.
        try:
            task.coro.send(None)
        except ValueError:
            return True
        except StopIteration:
            pass
        return False
    return True


_pending = []  # coroutines waiting for the application's loop (see spawn)


def spawn(coro):
    """Run `coro` as a task of the application's loop: now if a loop is running (returns the
    Task), else once the application first touches a model from inside its loop (returns
    None)."""
    if running():
        return _aio().create_task(coro)
    _pending.append(coro)
    return None


def kick():
    """Start what spawn() kept waiting, if a loop now runs. Models call this whenever the
    application uses them; it costs one list test when nothing waits."""
    if _pending and running():
        aio = _aio()
        while _pending:
            aio.create_task(_pending.pop(0))


def forget():
    """Drop coroutines spawn() kept waiting (machine.reset() calls this)."""
    for coro in _pending:
        if hasattr(coro, "close"):
            coro.close()  # CPython would warn that it was never awaited
    del _pending[:]


def is_virtual():
    """True when the scheduler runs on a clock that can be moved by hand (fast_io's
    VirtualClock installed with set_clock)."""
    return _virtual_clock() is not None


def _virtual_clock():
    aio = _aio()
    get = getattr(aio, "get_clock", None)
    if get is None:
        return None
    ticks = get()
    clock = _clocks.get(id(ticks), None)
    return clock if clock is not None else _bound_self(ticks)


_clocks = {}  # id(clock.ticks) -> clock, for clocks run() installed


def _bound_self(ticks):
    # CPython: a bound method knows its object. MicroPython's do not (see _clocks).
    clock = getattr(ticks, "__self__", None)
    return clock if clock is not None and hasattr(clock, "advance") else None


def pass_ms(ms):
    """Let `ms` go by, blocking everything, as a board in lightsleep does: on a virtual clock
    it is moved forward, in real time this sleeps."""
    if ms <= 0:
        return
    clock = _virtual_clock()
    if clock is not None:
        clock.advance(ms)
        return
    import time

    if hasattr(time, "sleep_ms"):
        time.sleep_ms(ms)
    else:
        time.sleep(ms / 1000)


def run(main, virtual=True):
    """`asyncio.run(main)`, on a VirtualClock where the scheduler offers one (fast_io) and
    `virtual` is true; the real clock is restored afterwards. Returns main's result. On
    MicroPython's and CPython's asyncio it is asyncio.run, in real time."""
    aio = _aio()
    if not (virtual and hasattr(aio, "VirtualClock")):
        if hasattr(aio, "new_event_loop") and sys.implementation.name == "micropython":
            aio.new_event_loop()  # MicroPython keeps one loop: drop an earlier run's tasks
        return aio.run(main)
    clock = aio.VirtualClock()
    aio.set_clock(clock)
    ticks = aio.get_clock()
    _clocks[id(ticks)] = clock
    try:
        aio.new_event_loop()
        return aio.run(main)
    finally:
        _clocks.pop(id(ticks), None)
        aio.set_clock(None)
