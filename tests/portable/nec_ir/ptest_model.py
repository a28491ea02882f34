# The NEC transmitter model on its own, read without the driver: bursts have the protocol's
# timing and bit order, the line is active low, the spoilers do what they say, and EdgeClock
# stands, runs and waits as documented.
import ptest
from devmodels import clock as dclock
from devmodels import machine
from devmodels.machine import Pin
from devmodels.nec import (
    EdgeClock,
    NECTransmitter,
    Random,
    frame,
    glitch,
    held,
    jitter,
    noise,
    repeat_code,
    receiver_skew,
    stretch,
    truncate,
)
from ptest import eq, raises, test


def durations(edges):
    return [edges[i + 1] - edges[i] for i in range(len(edges) - 1)]


def read_bits(edges):
    # An independent reading of a frame: the 32 spaces after the lead, 1 when long.
    d = durations(edges)
    value = 0
    for i in range(32):
        if d[3 + 2 * i] > 1000:
            value |= 1 << i
    return value


@test
def a_frame_has_the_protocol_timing():
    edges = frame(0x04, 0x08)
    eq(len(edges), 68, "edges")
    d = durations(edges)
    eq(d[:2], [9000, 4500], "lead mark and space")
    eq(set(d[2::2]), {562}, "every mark after the lead")
    eq(set(d[3::2]), {562, 1687}, "bit spaces")
    # address, ~address, command, ~command: 16 ones and 16 zeros, LSB first.
    eq(read_bits(edges), 0x04 | 0xFB << 8 | 0x08 << 16 | 0xF7 << 24, "bits")
    eq(edges[-1], 13500 + 16 * (562 + 1687) + 16 * (562 + 562) + 562, "length in us")


@test
def extended_and_bad_arguments():
    eq(read_bits(frame(0x1234, 0x56, extended=True)), 0x34 | 0x12 << 8 | 0x56 << 16 | 0xA9 << 24)
    raises(ValueError, frame, 0x100, 1)
    raises(ValueError, frame, 1, 0x100)
    raises(ValueError, frame, 0x10000, 1, True)


@test
def receiver_skew_moves_mark_ends_only():
    good = frame(0x04, 0x08)
    late = receiver_skew(good, 158)
    eq(len(late), len(good), "edges")
    d, g = durations(late), durations(good)
    eq([d[i] - g[i] for i in range(0, len(d), 2)], [158] * 34, "every mark 158 us longer")
    eq(
        [d[i] + d[i + 1] for i in range(0, 66, 2)],
        [g[i] + g[i + 1] for i in range(0, 66, 2)],
        "mark plus space unchanged",
    )
    eq(durations(receiver_skew(repeat_code(), -132)), [8868, 2382, 430], "a repeat code")


@test
def a_repeat_code():
    eq(durations(repeat_code()), [9000, 2250, 562], "repeat code")
    script = held(1, 2, repeats=2, at_ms=50)
    eq([ms for ms, _ in script], [50, 158, 266], "108 ms apart")


@test
def spoilers():
    good = frame(1, 2)
    eq(durations(stretch(good, 10))[:2], [9900, 4950], "stretched")
    rng = Random(3)
    for d, j in zip(durations(good), durations(jitter(good, 15, rng))):
        if abs(j - d) > d * 15 // 100 + 1:
            raise AssertionError("jitter %d -> %d" % (d, j))
    g = glitch(good, 20000, 100)
    eq(len(g), 70, "a glitch adds two edges")
    eq([t for t in g if 20000 <= t <= 20100], [20000, 20100], "where")
    t = truncate(good, 9100)  # cut during the lead space: the lead mark only
    eq(t, [0, 9000], "cut in a space")
    t = truncate(good, 14000)  # cut during the first bit mark: the line returns high
    eq(t, [0, 9000, 13500, 14000], "cut in a mark")
    n = noise(10000, Random(9))
    eq(len(n) % 2, 0, "noise leaves the line idle")
    if n[-1] < 10000:
        raise AssertionError("noise too short: %r" % n[-1])


async def _levels(tx, pin, edges):
    seen = []
    pin.watch(lambda p: seen.append(p.value()))
    await tx.send(edges)
    return seen


@test
async def the_line_is_active_low():
    machine.reset()
    clock = EdgeClock()
    pin = Pin(1, Pin.IN)
    tx = NECTransmitter(pin, clock)
    eq(pin.value(), 1, "idle")
    seen = await _levels(tx, pin, repeat_code())
    eq(seen, [0, 1, 0, 1], "levels: a mark is low")
    eq(pin.value(), 1, "idle after")


@test
async def edge_clock_stamps_exactly():
    machine.reset()
    clock = EdgeClock()
    pin = Pin(2, Pin.IN)
    tx = NECTransmitter(pin, clock)
    stamps = []
    pin.irq(lambda p: stamps.append(clock.ticks_us()), Pin.IRQ_FALLING | Pin.IRQ_RISING)
    edges = frame(7, 9)
    at = tx.now() + 5000
    await tx.send(edges, at)
    eq([s - at for s in stamps], edges, "stamps")
    eq(tx.late_us, 0, "late_us")


@test
async def edge_clock_freeze_run_and_cap():
    c = EdgeClock()
    c.freeze(1000)
    await dclock.sleep_ms(20)
    eq(c.ticks_us(), 1000, "frozen")
    c.run(cap=3000)
    await dclock.sleep_ms(20)
    eq(c.ticks_us(), 3000, "runs, and waits at the cap")
    c.run()
    await dclock.sleep_ms(5)
    if c.ticks_us() < 3000 + 4000:
        raise AssertionError("does not run on: %d" % c.ticks_us())


ptest.main()
