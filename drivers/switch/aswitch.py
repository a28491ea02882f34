"""aswitch: debounced switches and pushbuttons for asyncio.

Hardware: a mechanical contact read through any object with a `value()` method returning 0 or
1: a `machine.Pin` configured as an input with a pull resistor, a `machine.Signal`, or a model
in the tests. The driver never creates pins itself.

Dependencies: `asyn` (Delay_ms for the long-press and double-click timers, launch for running
handlers).

Quick start (inside the application's main coroutine, because each instance starts a task):

    pb = Pushbutton(Pin(0, Pin.IN, Pin.PULL_UP))
    pb.press_func(print, ("pressed",))
    pb.long_func(None)           # creates the Event pb.long
    await pb.long.wait()
    pb.long.clear()              # the application clears the Events it waits on

How it works: each instance runs one task that reads the contact every `debounce_ms` and acts
only when the reading differs from the last accepted state. Sampling more slowly than the
contact bounces is the debounce: a sample taken during a bounce burst reads either the old or
the new level, and the next sample reads the settled level, so every physical transition gives
exactly one state change (as long as bounces are shorter than `debounce_ms`).

A handler is given as a callback or a coroutine function plus its arguments, as `None` (the
driver creates an `asyncio.Event` attribute and sets it; the application clears it), or as
`False` (no handler). Handlers may be set or replaced at any time. A handler that raises is
reported with a printed traceback and the driver carries on.
"""

import asyncio
import sys

from asyn import Delay_ms, launch

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


# What the current (or last) press of a Pushbutton has turned into. Set on press, read on
# release and when the timers expire.
_CLICK = const(0)  # a press that is still a candidate for a single click
_LONG = const(1)  # the long handler ran during this press
_DOUBLE = const(2)  # this press completed a double click and the double handler ran


def _report(where, exc):
    # A failing handler or a broken pin must be seen, but must not end the driver's task.
    print("aswitch: exception in", where, file=sys.stderr)
    if hasattr(sys, "print_exception"):
        sys.print_exception(exc)
    else:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)


if hasattr(asyncio, "sleep_ms"):
    _sleep_ms = asyncio.sleep_ms
else:  # CPython's asyncio

    def _sleep_ms(ms):
        return asyncio.sleep(ms / 1000)


class _Contact:
    # The part Switch and Pushbutton share: the polling task and the handler plumbing.
    debounce_ms = 50

    def __init__(self, pin):
        self._pin = pin
        self._task = asyncio.create_task(self._poll())

    _stopped = False  # set by deinit()

    async def _poll(self):
        while True:
            try:
                self._sample()
            except Exception as e:  # a handler or the pin failed: say so and keep polling
                _report(self, e)
            if self._stopped:  # deinit() by a handler, which runs in this task
                return
            await _sleep_ms(self.debounce_ms)

    def _handler(self, func, args, event_name):
        # Turn the user's choice into what _fire() takes: None, or (callable, args).
        if func is False:
            return None
        if func is None:
            # Keep an Event made by an earlier call: a task may be waiting on it.
            ev = getattr(self, event_name, None)
            if ev is None:
                ev = asyncio.Event()
                setattr(self, event_name, ev)
            return (ev.set, ())
        return (func, args)

    def _fire(self, handler, name):
        if handler is not None:
            try:
                launch(handler[0], handler[1])
            except Exception as e:
                _report(name, e)

    def deinit(self):
        """Stop the polling task. Handlers already launched run to completion."""
        self._stopped = True
        try:
            self._task.cancel()
        except RuntimeError:  # "can't cancel self": called by a handler in the polling task
            pass  # on MicroPython or fast_io; _poll ends by itself


class Switch(_Contact):
    """A normally open switch contact to ground, read with a pull-up.

    `switch()` returns the debounced level: 0 when closed, 1 when open.
    """

    def __init__(self, pin):
        self._level = pin.value()  # debounced level: 0 closed, 1 open
        self._on_close = None  # None (no handler) or (callable, args)
        self._on_open = None
        super().__init__(pin)

    def _sample(self):
        level = self._pin.value()
        if level != self._level:
            self._level = level
            if level:
                self._fire(self._on_open, "open handler")
            else:
                self._fire(self._on_close, "close handler")

    def close_func(self, func=False, args=()):
        """Run `func(*args)` when the switch closes; None: set the Event `self.close`."""
        self._on_close = self._handler(func, args, "close")

    def open_func(self, func=False, args=()):
        """Run `func(*args)` when the switch opens; None: set the Event `self.open`."""
        self._on_open = self._handler(func, args, "open")

    def __call__(self):
        return self._level


class Pushbutton(_Contact):
    """A pushbutton wired to ground or to 3V3, normally open or normally closed.

    `sense` is the pin level when the button is released; by default, the level read at
    construction (so construct it while the button is not pressed). With `suppress=True` a
    release is reported only for a single click: see the event table in the README.
    """

    long_press_ms = 1000
    double_click_ms = 400

    def __init__(self, pin, suppress=False, sense=None):
        self._sense = pin.value() if sense is None else sense
        self._suppress = suppress
        self._pressed = bool(pin.value() ^ self._sense)  # debounced state
        self._press_kind = _CLICK
        # A suppressed release that waits for the double-click window to close: True only
        # between the release of a first click and the end of its window.
        self._release_owed = False
        # Handlers: None (no handler) or (callable, args).
        self._on_press = None
        self._on_release = None
        self._on_double = None
        self._on_long = None
        # Timers are made when a long or double handler is first set; they stay afterwards.
        # _double_timer running means "the double-click window is open".
        self._long_timer = None
        self._double_timer = None
        super().__init__(pin)

    # ---- handlers ----

    def press_func(self, func=False, args=()):
        """Run `func(*args)` on every press; None: set the Event `self.press`."""
        self._on_press = self._handler(func, args, "press")

    def release_func(self, func=False, args=()):
        """Run `func(*args)` on release (see `suppress`); None: set the Event `self.release`."""
        self._on_release = self._handler(func, args, "release")

    def double_func(self, func=False, args=()):
        """Run `func(*args)` on a double click; None: set the Event `self.double`."""
        self._on_double = self._handler(func, args, "double")
        if self._on_double is not None and self._double_timer is None:
            self._double_timer = Delay_ms(self._double_window_closed)

    def long_func(self, func=False, args=()):
        """Run `func(*args)` on a long press; None: set the Event `self.long`."""
        self._on_long = self._handler(func, args, "long")
        if self._on_long is not None and self._long_timer is None:
            self._long_timer = Delay_ms(self._long_press_expired)

    # ---- state ----

    def rawstate(self):
        """The pin's present state, not debounced: True while pressed."""
        return bool(self._pin.value() ^ self._sense)

    def __call__(self):
        """The debounced state: True while pressed."""
        return self._pressed

    def deinit(self):
        """Stop the polling task and the timers; no more handlers are launched."""
        super().deinit()
        for timer in (self._long_timer, self._double_timer):
            if timer is not None:
                timer.deinit()  # ends the timer's task too
        self._long_timer = self._double_timer = None
        self._on_long = self._on_double = None
        self._release_owed = False

    # ---- the event rules ----

    def _sample(self):
        pressed = self.rawstate()
        if pressed != self._pressed:
            self._pressed = pressed
            if pressed:
                self._pressed_now()
            else:
                self._released_now()

    def _window_open(self):
        return self._double_timer is not None and self._double_timer.running()

    def _pressed_now(self):
        if self._release_owed and not (self._on_double is not None and self._window_open()):
            # This press cannot make a double click (the window has closed but its timer
            # callback has not run yet, or the double handler was removed): the earlier click
            # was a single click after all, so report its release before this press.
            self._release_owed = False
            self._fire(self._on_release, "release handler")
        self._fire(self._on_press, "press handler")
        if self._on_double is not None and self._window_open():
            # Second press inside the window: a double click. It is not also a long press,
            # and the first click's suppressed release is dropped.
            self._double_timer.stop()
            self._release_owed = False
            self._press_kind = _DOUBLE
            self._fire(self._on_double, "double handler")
            return
        self._press_kind = _CLICK
        if self._on_double is not None:
            self._double_timer.trigger(self.double_click_ms)
        if self._on_long is not None:
            self._long_timer.trigger(self.long_press_ms)

    def _released_now(self):
        if self._long_timer is not None:
            self._long_timer.stop()
        if not self._suppress:
            self._fire(self._on_release, "release handler")
        elif self._press_kind == _CLICK:
            if self._window_open():
                self._release_owed = True  # reported when the window closes
            else:
                self._fire(self._on_release, "release handler")

    def _long_press_expired(self):
        # Runs in the long timer's task; checks again in case the handler was removed.
        if self._pressed and self._press_kind == _CLICK and self._on_long is not None:
            self._press_kind = _LONG
            if self._double_timer is not None:
                self._double_timer.stop()  # the next press starts afresh
            self._fire(self._on_long, "long handler")

    def _double_window_closed(self):
        # Runs in the double timer's task when no second press came in time.
        if self._release_owed:
            self._release_owed = False
            self._fire(self._on_release, "release handler")
