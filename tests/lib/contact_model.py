"""A bouncing switch contact, for driving aswitch (or any pin reader) without hardware.

`Contact` stands in for a `machine.Pin` input: it has `value()`. Its level is moved by
`play(script)`, a coroutine that follows a script of presses, each given as
`(press_at_ms, hold_ms)` from the start of play. Every change of the contact (make or break)
starts with a burst of pseudo-random transitions lasting `bounce_ms`, then settles on the new
level, as a real contact does. The bursts come from a tiny seeded generator, so they follow
the same pattern on MicroPython and CPython.

Time comes from the running scheduler (`now_ms()`): `asyncio.ticks()` on MicroPython's asyncio
and on fast_io, whose ticks follow `fast_io.set_clock()`, the loop's `time()` on CPython's
asyncio. Under fast_io with a VirtualClock the model, the drivers' sampling and their timers
(asyn's Delay_ms reads the same clock) all run in virtual time: see `virtual_time`.

Runs unchanged on MicroPython (built-in asyncio or fast_io) and on CPython.
"""

import asyncio


def now_ms():
    """The scheduler's clock in ms (wraps on MicroPython: compare with `diff_ms`)."""
    if hasattr(asyncio, "ticks"):  # MicroPython's asyncio and fast_io
        return asyncio.ticks()
    return int(asyncio.get_event_loop().time() * 1000)


def diff_ms(a, b):
    """a - b for two `now_ms()` readings."""
    if hasattr(asyncio, "ticks_diff"):
        return asyncio.ticks_diff(a, b)
    return a - b


def sleep_ms(ms):
    if hasattr(asyncio, "sleep_ms"):
        return asyncio.sleep_ms(ms)
    return asyncio.sleep(ms / 1000)


async def sleep_until(t):
    """Sleep until `now_ms()` reaches `t` (returns at once if it has passed)."""
    while True:
        left = diff_ms(t, now_ms())
        if left <= 0:
            return
        await sleep_ms(left)


def add_ms(t, ms):
    if hasattr(asyncio, "ticks_add"):
        return asyncio.ticks_add(t, ms)
    return t + ms


class _VirtualTest:
    # A callable with a __name__ for ptest (MicroPython's functions do not take attributes).
    def __init__(self, fn):
        self.fn = fn
        self.__name__ = fn.__name__

    def __call__(self):
        clock = asyncio.set_clock(asyncio.VirtualClock())
        try:
            asyncio.new_event_loop()
            asyncio.run(self.fn())
        finally:
            asyncio.set_clock(None)
        # Something slept, so virtual time moved: the test did not run on the real clock.
        if clock.ticks() <= 0:
            raise AssertionError("the virtual clock did not move")


def virtual_time(fn):
    """Decorate an `async def` ptest test (below `@test`) to run it in virtual time where the
    scheduler can (fast_io: on a fresh loop with a VirtualClock, the real clock restored
    afterwards) and unchanged, in real time, elsewhere. A contact script then plays out at
    once in wall time, and event times are exact. The test must sleep (virtual time must
    move), or it fails: a test that never sleeps has no time to make virtual."""
    if not hasattr(asyncio, "VirtualClock"):
        return fn
    return _VirtualTest(fn)


class Lcg:
    """A small linear congruential generator: the same numbers on every interpreter."""

    def __init__(self, seed):
        self.x = seed & 0x7FFFFFFF

    def below(self, n):
        """A number in range(n)."""
        self.x = (self.x * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.x >> 16) % n


class Contact:
    """A contact read through a pull resistor.

    `released` is the level while the button is not pressed: 1 for a normally open contact
    to ground with a pull-up, 0 for one to 3V3 with a pull-down (or a normally closed contact
    to ground). The pressed level is the other one.
    """

    def __init__(self, released=1, bounce_ms=5, seed=1):
        self.released = released
        self.bounce_ms = bounce_ms
        self.level = released
        self.pressed = False  # the settled (intended) state
        self.t0 = None  # now_ms() when play() started
        self.transitions = 0  # raw level changes so far, bounces included
        self._rand = Lcg(seed)

    def value(self, v=None):
        if v is not None:
            raise ValueError("the contact model is an input")
        return self.level

    def __call__(self):
        return self.level

    def _set(self, level):
        if level != self.level:
            self.level = level
            self.transitions += 1

    async def _move(self, pressed):
        # Contact bounce: the first touch (or break), then random flips for bounce_ms, then
        # the settled level.
        target = self.released ^ 1 if pressed else self.released
        self.pressed = pressed
        end = add_ms(now_ms(), self.bounce_ms)
        self._set(target)
        while self.bounce_ms:
            await sleep_ms(1 + self._rand.below(2))  # a flip every 1 or 2 ms
            if diff_ms(end, now_ms()) <= 0:
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

    def since_start(self):
        """ms since play() started."""
        return diff_ms(now_ms(), self.t0)


# A single click, a double click, then a long press (default Pushbutton timings): the presses
# the README example of drivers/switch expects.
DEMO_SCRIPT = [(200, 100), (1200, 100), (1400, 100), (2400, 1400)]


def demo_contact(released=1, seed=1, script=DEMO_SCRIPT):
    """A Contact that starts playing `script` as soon as it is made (so make it inside a
    running loop): what a stand-in `machine.Pin` can return for a pushbutton example."""
    contact = Contact(released=released, bounce_ms=5, seed=seed)
    contact.task = asyncio.create_task(contact.play(script))
    return contact


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
