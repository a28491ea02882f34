"""A bouncing switch contact, for pressing buttons without hardware.

`Contact(pin)` is a push button wired to a modelled pin: pressing it drives the line to the
pressed level, releasing lets go (the application's pull resistor then gives the released
level, so a forgotten pull-up shows). `Contact()` without a pin is a pin-like object itself,
with `value()`, for drivers given a pin by argument.

Every make and break starts with a burst of pseudo-random transitions lasting `bounce_ms`,
then settles, as a real contact does. The bursts come from a tiny seeded generator, so they
are the same on MicroPython and CPython.

Presses follow a script: a list of `(press_at_ms, hold_ms)` with times from the start of
play. `click()`, `double_click()` and `long_press()` make the entries:

    script = click(at=200) + double_click(at=1200) + long_press(at=2400)
    await contact.play(script)          # or contact.start(script): in the background

Time comes from the running scheduler (devmodels.clock), so under fast_io with a VirtualClock
a script of minutes plays out in milliseconds with exact event times.
"""

from .clock import add_ms, diff_ms, now_ms, sleep_until, spawn


class Lcg:
    """A small linear congruential generator: the same numbers on every interpreter."""

    def __init__(self, seed):
        self.x = seed & 0x7FFFFFFF

    def below(self, n):
        """A number in range(n)."""
        self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.x >> 16) % n


def click(at=0, hold=100):
    """A short press at `at` ms, held `hold` ms."""
    return [(at, hold)]


def double_click(at=0, hold=80, gap=80):
    """Two short presses, the second `gap` ms after the first is released."""
    return [(at, hold), (at + hold + gap, hold)]


def long_press(at=0, hold=1500):
    """A press held `hold` ms."""
    return [(at, hold)]


class Contact:
    """A contact read through a pull resistor.

    `released` is the level while the button is not pressed: 1 for a normally open contact
    to ground with a pull-up (the usual way), 0 for one to 3V3 with a pull-down. The pressed
    level is the other one. With a `pin`, a normally open contact drives the pressed level
    while closed and lets go while open; `normally_closed=True` swaps that (closed while
    released, driving the released level).
    """

    def __init__(self, pin=None, released=1, bounce_ms=5, seed=1, normally_closed=False):
        self.pin = pin
        self.released = released
        self.bounce_ms = bounce_ms
        self.normally_closed = normally_closed
        self.level = released
        self.pressed = False  # the settled (intended) state
        self.t0 = None  # now_ms() when play() started
        self.transitions = 0  # raw level changes so far, bounces included
        self._rand = Lcg(seed)
        if pin is not None:
            self._wire(released)

    # A Contact without a pin stands in for one.
    def value(self, v=None):
        if v is not None:
            raise ValueError("the contact model is an input")
        return self.level

    def __call__(self):
        return self.level

    def _wire(self, level):
        # Closed contact: drive its level; open: let go.
        closed = (level != self.released) != self.normally_closed
        if closed:
            self.pin.drive(level)
        else:
            self.pin.undrive()

    def _set(self, level):
        if level != self.level:
            self.level = level
            self.transitions += 1
            if self.pin is not None:
                self._wire(level)

    async def _move(self, pressed):
        # Contact bounce: the first touch (or break), then random flips for bounce_ms, then
        # the settled level. Flip times follow the seeded schedule, not how late the loop
        # woke, so a busy machine delays the flips but never drops them.
        target = self.released ^ 1 if pressed else self.released
        self.pressed = pressed
        t = now_ms()
        end = add_ms(t, self.bounce_ms)
        self._set(target)
        while self.bounce_ms:
            t = add_ms(t, 1 + self._rand.below(2))  # a flip every 1 or 2 ms
            await sleep_until(t)
            if diff_ms(end, t) <= 0:
                break
            self._set(self.level ^ 1)
        self._set(target)

    async def press(self):
        await self._move(True)

    async def release(self):
        await self._move(False)

    async def play(self, script):
        """Follow `script`, a list of (press_at_ms, hold_ms) with times from now."""
        self.t0 = now_ms()
        for at, hold in script:
            await sleep_until(add_ms(self.t0, at))
            await self.press()
            await sleep_until(add_ms(self.t0, at + hold))
            await self.release()

    def start(self, script):
        """Play `script` in the background: now if a loop runs, else from the moment the
        application first uses a modelled part inside its loop (typically when it makes the
        pin), as a person presses once the program is up (devmodels.clock.spawn)."""
        return spawn(self.play(script))

    def since_start(self):
        """ms since play() started."""
        return diff_ms(now_ms(), self.t0)


# A single click, a double click, then a long press (default Pushbutton timings): the presses
# the README example of drivers/switch expects.
DEMO_SCRIPT = click(200) + double_click(1200, 100, 100) + long_press(2400, 1400)


class Log:
    """Records what handlers report as (name, ms since the contact's play() started)."""

    def __init__(self, contact):
        self.contact = contact
        self.events = []

    def __call__(self, name):
        t = self.contact.since_start() if self.contact.t0 is not None else None
        self.events.append((name, t))

    def names(self):
        return [name for name, _ in self.events]

    def check(self, expected, late_ms=150, early_ms=5):
        """Compare with `expected`, a list of (name, ms): same names in the same order, and
        each time within [ms - early_ms, ms + late_ms]. Returns a list of problems."""
        want = [name for name, _ in expected]
        if self.names() != want:
            return ["events %r, want %r (times %r)" % (self.names(), want, self.events)]
        problems = []
        for (name, got), (_, ms) in zip(self.events, expected):
            if got is None or not (ms - early_ms <= got <= ms + late_ms):
                problems.append(
                    "%s at %r ms, want %d ms (-%d/+%d)" % (name, got, ms, early_ms, late_ms)
                )
        return problems
