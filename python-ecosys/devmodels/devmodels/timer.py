"""machine.Timer on the scheduler's clock.

`Timer(id).init(mode=Timer.PERIODIC, period=100, callback=fn)` calls `fn(timer)` every 100 ms
of the scheduler's time (virtual time too), from a task the model runs in the application's
loop; a board would call it from an interrupt. `freq=` gives the rate instead (whole ms
periods), `tick_hz=` the unit of `period`. `deinit()` stops it; `machine.reset()` stops all.
"""

from . import clock
from .machine import _on_reset

_running = []  # timers with a callback pending, so that reset() can stop them


def _reset():
    for t in list(_running):
        t.deinit()


_on_reset(_reset)


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, **kw):
        self.id = id
        self._gen = 0  # bumped by deinit(): a running loop of an older generation stops
        self._task = None
        self.period_ms = 0
        if kw:
            self.init(**kw)

    def init(self, *, mode=PERIODIC, freq=-1, period=-1, callback=None, tick_hz=1000, **kw):
        if freq > 0:
            ms = 1000 // freq
        elif period >= 0:
            ms = period * 1000 // tick_hz
        else:
            raise ValueError("Timer needs freq or period")
        if mode not in (Timer.ONE_SHOT, Timer.PERIODIC):
            raise ValueError("invalid Timer mode")
        self.deinit()  # only now: a refused init() leaves the timer running
        self.period_ms = max(ms, 1) if mode == Timer.PERIODIC else ms
        if callback is not None:
            _running.append(self)
            self._task = clock.spawn(self._run(self._gen, mode, callback))

    async def _run(self, gen, mode, callback):
        t = clock.now_ms()
        while gen == self._gen:
            t = clock.add_ms(t, self.period_ms)
            await clock.sleep_until(t)
            if gen != self._gen:
                return
            callback(self)
            if mode == Timer.ONE_SHOT:
                if self in _running:
                    _running.remove(self)
                return

    def deinit(self):
        self._gen += 1
        if self in _running:
            _running.remove(self)
        task = self._task
        self._task = None
        if task is not None and not task.done():
            try:
                task.cancel()
            except RuntimeError:  # "can't cancel self": deinit() from the callback, whose
                pass  # loop ends by itself (its generation is over)
