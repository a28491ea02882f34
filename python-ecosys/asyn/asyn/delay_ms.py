"""Delay_ms: a retriggerable one-shot timer.

One background task per timer, started by the constructor, serves every trigger for the
timer's life: retriggering never starts another task. `trigger()` and `stop()` only write a
few small integers and set a ThreadSafeFlag, so a hard interrupt handler may call them (they
allocate nothing on MicroPython).

How trigger, stop and the task agree without locks (an interrupt can land between any two
lines of the task):
- `_trig` counts trigger() calls (masked to stay a small int). trigger() writes `_deadline`
  first and `_trig` last.
- `_done` is the `_trig` value the timer last expired for, or that stop() cancelled.
- The timer is running while `_trig != _done`. The task copies `_trig` before it looks at the
  deadline and stores that copy into `_done` when it expires, so a trigger that lands in
  between leaves `_trig != _done` and the timer runs again instead of being lost.
The task sleeps until the deadline with the flag as an early wake-up. trigger() sets the flag
only when the timer was idle or the new deadline is earlier; a retrigger that extends the
deadline costs the task nothing until the old deadline passes.
"""

import asyncio

from ._compat import MICROPYTHON, Flag, report, ticks_add, ticks_diff, ticks_ms, wait_ms
from ._wq import WaitQueue
from .funcs import launch

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


_MASK = const(0x3FFFFFFF)  # keeps the trigger counter a small int on every port

# CPython's asyncio: a task can be made only inside a running loop, and asyncio.run() ends
# the timer's task with its loop, so trigger() (re)starts it when needed.
_LATE_START = not MICROPYTHON and hasattr(asyncio, "get_running_loop")


class Delay_ms:
    """A one-shot timer that restarts each time it is triggered.

    `func(*args)` is called (or, for a coroutine function, launched as a task) when the timer
    expires; its return value is kept for `rvalue()`. `duration` is the default period in ms.
    Build it while an event loop runs (on CPython, a task cannot be created before).
    """

    def __init__(self, func=None, args=(), duration=1000):
        self._func = func
        self._args = args
        self._duration = duration
        self._deadline = 0  # scheduler ticks of the pending expiry, valid while running
        self._trig = 0  # trigger() count, masked; written only by trigger()
        self._done = 0  # _trig value last expired or stopped; the timer runs while they differ
        self._expired = False  # Event-style state for wait(): set on expiry, cleared on trigger
        self._rvalue = None  # what the last expiry's callback returned (or its Task)
        self._flag = Flag()  # early wake-up for the task; safe to set from an interrupt
        self._waiters = WaitQueue(self.is_set, handoff=False)  # tasks in wait()
        self._task = None  # the timer task; None until started, False after deinit()
        self._start()

    def _start(self):
        if _LATE_START:
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # CPython outside a running loop: trigger() starts it later
                return
        self._task = asyncio.create_task(self._run())

    def trigger(self, duration=0):
        """(Re)start the timer for `duration` ms (default: the constructor's duration).
        Safe in a hard interrupt handler: it allocates nothing."""
        task = self._task
        if task is False:  # after deinit(): a trigger does nothing
            return
        if task is None or (_LATE_START and task.done()):
            self._start()  # CPython: built outside a loop, or its loop has ended
        deadline = ticks_add(ticks_ms(), duration if duration > 0 else self._duration)
        wake = self._trig == self._done or ticks_diff(deadline, self._deadline) < 0
        self._deadline = deadline
        self._trig = (self._trig + 1) & _MASK
        self._expired = False
        if wake:
            self._flag.set()

    def stop(self):
        """Cancel a pending expiry; nothing is called. Safe in an interrupt handler."""
        self._done = self._trig

    def running(self):
        """True from trigger() until the timer expires or is stopped."""
        return self._trig != self._done

    __call__ = running

    def rvalue(self):
        """What the callback returned at the last expiry (a Task for a coroutine)."""
        return self._rvalue

    def callback(self, func=None, args=()):
        """Replace the function called on expiry (None for none)."""
        self._func = func
        self._args = args

    def is_set(self):
        """True if the timer expired since the last trigger() or clear()."""
        return self._expired

    def clear(self):
        """Clear the expired state that wait() looks at."""
        self._expired = False

    def wait(self):
        """Awaitable: wait until the timer expires (at once if it expired since the last
        trigger or clear)."""
        return self._waiters.door()

    def deinit(self):
        """Stop the timer and end its task for good: later triggers do nothing."""
        self.stop()
        task = self._task
        self._task = False
        if task:
            try:
                task.cancel()
            except RuntimeError:  # "can't cancel self": called by the callback, in the
                pass  # timer's own task on MicroPython or fast_io; _run ends by itself

    def _expire(self):
        self._expired = True
        self._waiters.unpark_all()
        if self._func is not None:
            try:
                self._rvalue = launch(self._func, self._args)
            except Exception as e:  # a failing callback must not stop the timer
                report(e, "Delay_ms callback")

    async def _run(self):
        flag = self._flag
        while True:
            trig = self._trig
            if trig == self._done:  # idle: sleep until trigger() sets the flag
                await flag.wait()
                continue
            dt = ticks_diff(self._deadline, ticks_ms())
            if dt > 0:
                await wait_ms(flag.wait(), dt)
                continue
            self._done = trig
            self._expire()
            if self._task is False:  # the callback called deinit()
                return
