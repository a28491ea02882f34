"""An NEC infra-red remote control, as the application sees it through a receiver module.

A demodulating receiver (TSOP4838, VS1838B...) drives its output low while it sees the 38 kHz
carrier: the line idles high and every "mark" of the protocol is a low pulse. This model drives
a pin line (`devmodels.machine.Pin`, through `pin.drive(level)`, which runs the application's
irq handler at once) with the edges such a receiver would give:

    from devmodels.nec import EdgeClock, NECTransmitter, held
    import aremote

    clock = EdgeClock()
    aremote.ticks_us = clock.ticks_us              # exact edge times for the decoder
    remote = NECTransmitter(Pin(13), clock)
    remote.start(held(0x04, 0x08, repeats=2))      # a key held for two repeat codes
    # or, inside the loop: await remote.send(frame(0x04, 0x08))

A burst is described by its edge times: microseconds from the burst's first edge, each edge
toggling the line (the first one falls). `frame()`, `frame_bytes()` and `repeat_code()` make
the protocol's bursts; `stretch()`, `jitter()`, `receiver_skew()`, `glitch()`, `truncate()` and
`noise()` spoil them the way a real link and receiver do; `send()` plays one burst, `play()`
and `start()` a script of them (`held()` makes one). Protocol facts: a data frame is a 9 ms
mark, a 4.5 ms space, 32 bits sent LSB first (address, ~address or the address's high byte,
command, ~command), each a 562.5 us mark and a 562.5 us (0) or 1687.5 us (1) space, then a
562.5 us stop mark; while the key is held a repeat code (9 ms mark, 2.25 ms space, 562.5 us
mark) follows every 108 ms, counted from the start of one burst to the start of the next.

Pacing, in one of two ways (see NECTransmitter): in real time, busy-waiting on the
microsecond clock between edges, so that the driver stamps them with the real
`time.ticks_us()` (a busy host delays edges now and then: `skew_us` says by how much); or
exactly, on an `EdgeClock` that the driver reads instead of `time.ticks_us`, which stands at
each edge's time as it is driven and otherwise follows the scheduler's clock (so fast_io's
VirtualClock too).
"""

try:
    from time import ticks_add, ticks_diff, ticks_us
except ImportError:  # CPython: 30-bit wrapping microsecond ticks, as on MicroPython
    from time import perf_counter_ns

    def ticks_us():
        return (perf_counter_ns() // 1000) & 0x3FFFFFFF

    def ticks_diff(a, b):
        return ((a - b + 0x20000000) & 0x3FFFFFFF) - 0x20000000

    def ticks_add(a, b):
        return (a + b) & 0x3FFFFFFF


from .clock import diff_ms, now_ms, sleep_ms, spawn

LEAD_MARK_US = 9000
DATA_SPACE_US = 4500
REPEAT_SPACE_US = 2250
BIT_MARK_US = 562  # 562.5 us: rounded down to whole microseconds
ZERO_SPACE_US = 562
ONE_SPACE_US = 1687
PERIOD_US = 108000  # from the start of one burst to the start of the next while a key is held
YIELD_GAP_US = 2000  # EdgeClock mode: the event loop runs when this much of a burst is ahead

ACTIVE = 0  # the receiver's output while it sees the carrier: low
IDLE = 1


def _edges(durations):
    # Alternating mark/space durations, starting with a mark -> edge times from the first edge.
    t = 0
    edges = [0]
    for d in durations:
        t += d
        edges.append(t)
    return edges


def _durations(edges):
    return [edges[i + 1] - edges[i] for i in range(len(edges) - 1)]


def frame(addr, cmd, extended=False):
    """The edge times of the data frame for command `cmd` (0..255) at address `addr`: 0..255,
    or with `extended` 0..65535 (low byte first, the high byte in place of ~address)."""
    if not 0 <= cmd <= 0xFF:
        raise ValueError("command is one byte: %r" % cmd)
    if extended:
        if not 0 <= addr <= 0xFFFF:
            raise ValueError("extended address is two bytes: %r" % addr)
        data = bytes((addr & 0xFF, addr >> 8, cmd, cmd ^ 0xFF))
    else:
        if not 0 <= addr <= 0xFF:
            raise ValueError("address is one byte: %r" % addr)
        data = bytes((addr, addr ^ 0xFF, cmd, cmd ^ 0xFF))
    return frame_bytes(data)


def frame_bytes(data):
    """The edge times of a data frame carrying these four bytes as they are, LSB first (for
    frames whose complements are wrong on purpose)."""
    durations = [LEAD_MARK_US, DATA_SPACE_US]
    for byte in data:
        for bit in range(8):
            durations.append(BIT_MARK_US)
            durations.append(ONE_SPACE_US if byte >> bit & 1 else ZERO_SPACE_US)
    durations.append(BIT_MARK_US)  # the stop mark closes the last space
    return _edges(durations)


def repeat_code():
    """The edge times of a repeat code."""
    return _edges([LEAD_MARK_US, REPEAT_SPACE_US, BIT_MARK_US])


class Random:
    """A small xorshift generator: the same sequence on MicroPython and CPython for a seed."""

    def __init__(self, seed=1):
        self.state = (seed & 0xFFFFFFFF) or 1

    def bits32(self):
        x = self.state
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.state = x
        return x

    def uniform(self, lo, hi):
        """An integer in lo..hi inclusive."""
        return lo + self.bits32() % (hi - lo + 1)


def stretch(edges, percent):
    """Every duration `percent` longer (or shorter, when negative), as a fast or slow
    transmitter, or a receiver that lengthens marks, would give."""
    return _edges([d * (100 + percent) // 100 for d in _durations(edges)])


def jitter(edges, percent, rng):
    """Each duration changed at random by up to +-`percent` %."""
    out = []
    for d in _durations(edges):
        out.append(d + d * rng.uniform(-percent * 10, percent * 10) // 1000)
    return _edges(out)


def glitch(edges, at_us, width_us):
    """A spurious pulse of the opposite level, `width_us` long, starting `at_us` into the
    burst (interference, or a reflection)."""
    out = sorted(edges + [at_us, at_us + width_us])
    return out


def receiver_skew(edges, us):
    """What a receiver module does to a burst: every mark `us` longer (shorter when negative)
    and the space after it as much shorter. Vishay's receivers may do so by -5/f0 to +6/f0
    (-132 to +158 us at 38 kHz) within their datasheet; a mark plus its space is unchanged."""
    return [t + us if i % 2 else t for i, t in enumerate(edges)]


def truncate(edges, at_us):
    """The burst cut off `at_us` after its start (the remote taken away, the beam blocked):
    the edges before it, and the receiver's line back to idle if it was active."""
    out = [t for t in edges if t < at_us]
    if len(out) % 2:  # cut during a mark: the receiver's output returns high
        out.append(at_us)
    return out


def noise(duration_us, rng, min_us=40, max_us=3000):
    """A burst of random pulses and gaps (each `min_us`..`max_us`) lasting about
    `duration_us`, ending with the line idle: sunlight, a lamp, another remote's protocol."""
    edges = [0]
    t = 0
    while t < duration_us or len(edges) % 2:
        t += rng.uniform(min_us, max_us)
        edges.append(t)
    return edges


class EdgeClock:
    """Microsecond ticks that give a driver exact edge times: while a burst is played the
    clock stands at each edge's scheduled time; between bursts it runs with the event loop's
    clock (real time, or fast_io's VirtualClock, with which a test runs in no time).

    A driver reads it in place of `time.ticks_us` once its module's name is pointed at it
    (`aremote.ticks_us = clock.ticks_us`). The values wrap like MicroPython's ticks (30 bits),
    so the driver's own `ticks_diff` works on them.
    """

    def __init__(self):
        self._base = 0  # the clock's reading when it was last set
        self._ms = now_ms()  # the scheduler's clock at that moment
        self._frozen = False
        self._cap = None

    def ticks_us(self):
        if self._frozen:
            return self._base
        t = ticks_add(self._base, diff_ms(now_ms(), self._ms) * 1000)
        cap = self._cap
        if cap is not None and ticks_diff(t, cap) > 0:
            return cap
        return t

    def freeze(self, t):
        """Stand at `t` until run() or the next freeze()."""
        self._base = t
        self._frozen = True

    def run(self, cap=None):
        """Run on with the scheduler's clock from where the clock stands, never past `cap`
        (where it then stands until the model moves it on)."""
        now = self.ticks_us()
        self._base = now
        self._ms = now_ms()
        self._frozen = False
        self._cap = cap if cap is None or ticks_diff(cap, now) >= 0 else now


class NECTransmitter:
    """Plays bursts on `pin` (a model pin with `drive(level)`).

    Without a clock the edges come at real-time pace: the model busy-waits on `ticks_us`
    between them, blocking the event loop for a burst (about 68 ms for a frame), and after each
    burst `skew_us` tells the largest timing error between two edges that the host's
    scheduling may have added (0 on an idle host; a loaded one adds milliseconds now and then).

    With `clock=EdgeClock()` (which the driver under test must read) every edge is stamped at
    exactly its scheduled time and `skew_us` is 0. The clock runs with the event loop's
    clock between bursts and through the longer stretches of a burst, while the model sleeps
    (so the driver's task looks at the line while a burst is under way, as on a board), but
    never past the next edge: when the event loop wakes the model late, the clock waits for it.

    Bursts start at `at` (the clock's time, or real ticks_us). `late_us` tells how late the
    last one started: in real-time mode because the host woke the model late, with a clock
    only when `at` had already passed. `sent` counts bursts.
    """

    def __init__(self, pin, clock=None):
        self.pin = pin
        self.clock = clock
        self.skew_us = 0
        self.late_us = 0
        self.sent = 0
        # The receiver's output has idled high since power-on: no edge for a decoder that
        # already listens (a stray edge would spoil the first burst).
        if hasattr(pin, "preset"):
            pin.preset(IDLE)
        else:
            pin.drive(IDLE)

    def now(self):
        """The time bursts are scheduled in: the clock's, or the real ticks_us()."""
        return self.clock.ticks_us() if self.clock else ticks_us()

    async def send(self, edges, at=None):
        """Play one burst, its first edge at time `at` (default: now). Returns when the line
        is idle again after it."""
        if not edges:
            return
        if at is None:
            at = self.now()
        left = ticks_diff(at, self.now())
        if self.clock:  # sleep up to `at`; the clock then jumps to it, or waits there
            self.clock.run(cap=at)
            if left >= 1000:
                await sleep_ms(left // 1000)
        elif left > 3000:  # let the event loop run; busy-wait the last moments
            await sleep_ms((left - 2000) // 1000)
        if self.clock:
            await self._play_exact(edges, at)
        else:
            self._play_real(edges, at)
        self.sent += 1

    async def _play_exact(self, edges, at):
        # Burst time is kept in step with the scheduler's: whenever 2 ms or more of the burst
        # lie ahead of it, the model sleeps through them (all but the last ms) with the clock
        # running meanwhile, never past the next edge; so the driver's task runs during a burst
        # and sees time pass as on a board. Each edge is then stamped at exactly its time.
        clock = self.clock
        pin = self.pin
        self.late_us = max(0, ticks_diff(clock.ticks_us(), at))
        t0 = ticks_add(at, self.late_us)
        first = edges[0]
        slept = first  # burst time that the scheduler's clock has caught up with
        level = IDLE
        for e in edges:
            if e - slept >= YIELD_GAP_US:
                ms = (e - slept) // 1000 - 1
                clock.run(cap=ticks_add(t0, e - first - 1))
                await sleep_ms(ms)
                slept += ms * 1000
            clock.freeze(ticks_add(t0, e - first))
            level ^= 1
            pin.drive(level)
        if level != IDLE:
            pin.drive(IDLE)
        clock.run()
        self.skew_us = 0

    def _play_real(self, edges, at):
        pin = self.pin
        while ticks_diff(at, ticks_us()) > 0:
            pass
        self.late_us = ticks_diff(ticks_us(), at)
        t0 = ticks_add(at, self.late_us)
        first = edges[0]
        level = IDLE
        earliest = 1 << 30  # smallest delay of an edge's drive behind its due time
        latest = -(1 << 30)  # largest delay of the end of an edge's drive behind its due time
        for e in edges:
            due = ticks_add(t0, e - first)
            while ticks_diff(due, ticks_us()) > 0:
                pass
            before = ticks_diff(ticks_us(), due)
            level ^= 1
            pin.drive(level)
            after = ticks_diff(ticks_us(), due)
            if before < earliest:
                earliest = before
            if after > latest:
                latest = after
        if level != IDLE:  # an odd burst (made by hand): leave the line idle
            pin.drive(IDLE)
        self.skew_us = latest - earliest

    async def press(self, addr, cmd, repeats=0, extended=False, period_us=PERIOD_US):
        """A key pressed and held: the data frame, then `repeats` repeat codes, each
        `period_us` after the start of the burst before it. Returns the largest `late_us` of
        the bursts (how far the repeat period was stretched by a late wake-up)."""
        start = ticks_add(self.now(), 500)
        await self.send(frame(addr, cmd, extended), start)
        late = self.late_us
        for _ in range(repeats):
            start = ticks_add(start, period_us)
            await self.send(repeat_code(), start)
            late = max(late, self.late_us)
        return late

    async def play(self, script):
        """Play `script`, a list of (ms, edges): each burst starts `ms` after play() began
        (see `held()`), at that exact time with a clock."""
        t0 = ticks_add(self.now(), 1000)
        for ms, edges in script:
            await self.send(edges, ticks_add(t0, ms * 1000))

    def start(self, script):
        """play(script) in the background: now if a loop runs, else from the moment the
        application first uses a modelled part inside its loop (when it sets the pin's irq,
        typically), as a person presses keys once the program is up."""
        return spawn(self.play(script))


def held(addr, cmd, repeats=0, at_ms=0, extended=False, period_ms=PERIOD_US // 1000):
    """A script (for play() and start()) of a key pressed at `at_ms` and held for `repeats`
    repeat codes."""
    script = [(at_ms, frame(addr, cmd, extended))]
    for i in range(1, repeats + 1):
        script.append((at_ms + i * period_ms, repeat_code()))
    return script
