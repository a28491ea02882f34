# The NEC decoder against the transmitter model, with exact edge times: every result code from
# the burst that should give it, the +-20 % tolerance at its limits, held keys, extended
# addresses, and noise that gives errors but never a wrong key.
# The model's EdgeClock stands in for time.ticks_us (see docs/DESIGN.md, "nec_ir"), so timing is
# exact on a loaded host; between bursts it follows the scheduler's clock, which under fast_io
# is a VirtualClock (tests/lib/vtime.py): the whole script then runs in no time.
import asyncio

import ptest
from vtime import virtual_time
from devmodels import faults
from devmodels.machine import Pin
from devmodels.nec import (
    PERIOD_US,
    EdgeClock,
    NECTransmitter,
    Random,
    frame,
    frame_bytes,
    glitch,
    jitter,
    noise,
    repeat_code,
    receiver_skew,
    stretch,
    truncate,
)
from ptest import eq, test

import aremote
from aremote import BADADDR, BADBLOCK, BADDATA, BADREP, BADSTART, OVERRUN, REPEAT, NEC_IR

_pins = [0]


class Rig:
    """A receiver line, the remote that drives it and the decoder that listens."""

    def __init__(self, extended=False, callback=None):
        self.clock = EdgeClock()
        aremote.ticks_us = self.clock.ticks_us  # the driver reads the model's exact clock
        _pins[0] += 1
        self.pin = Pin(_pins[0], Pin.IN)
        self.tx = NECTransmitter(self.pin, self.clock)
        self.got = []
        self.ir = NEC_IR(self.pin, callback or self.callback, extended, "arg")

    def callback(self, data, addr, arg):
        eq(arg, "arg", "extra callback argument")
        self.got.append((data, addr))

    async def play(self, bursts, period_us=None):
        """Send each burst `period_us` after the start of the one before (default: 40 ms
        after its end, which keeps bursts apart); return the results of them all."""
        at = self.tx.now() + 1000
        n = len(self.got)
        for edges in bursts:
            await self.tx.send(edges, at)
            at += period_us or edges[-1] - edges[0] + 40000
        return await self.results(n + len(bursts))

    async def results(self, n):
        # The driver reports a burst once the line has been quiet for 15 ms: wait for the n-th
        # result (up to a second), then a little more to see that no other one follows.
        for _ in range(200):
            if len(self.got) >= n:
                break
            await _sleep_ms(5)
        await _sleep_ms(30)
        return self.got[:]

    def close(self):
        self.ir.deinit()


def _sleep_ms(ms):
    if hasattr(asyncio, "sleep_ms"):
        return asyncio.sleep_ms(ms)
    return asyncio.sleep(ms / 1000)


def durations_edit(edges, index, us):
    """The burst with its duration number `index` (0: lead mark, 1: its space, 2: first bit
    mark...) set to `us`, the later edges moved to keep the others."""
    d = [edges[i + 1] - edges[i] for i in range(len(edges) - 1)]
    d[index] = us
    out = [0]
    for x in d:
        out.append(out[-1] + x)
    return out


@test
@virtual_time
async def good_frames_decode():
    rig = Rig()
    keys = [(0x00, 0x00), (0xFF, 0xFF), (0x04, 0x08), (0x12, 0x34), (0xA5, 0x5A)]
    got = await rig.play([frame(a, c) for a, c in keys])
    rig.close()
    eq(got, [(c, a) for a, c in keys], "decoded (command, address)")


@test
@virtual_time
async def a_remote_made_after_the_decoder_loses_no_key():
    # A receiver's output is high from power-on: making its model after the decoder has set
    # the pin's interrupt must not put a stray edge in front of the first burst.
    clock = EdgeClock()
    aremote.ticks_us = clock.ticks_us
    _pins[0] += 1
    got = []
    ir = NEC_IR(Pin(_pins[0], Pin.IN), lambda data, addr: got.append((data, addr)), False)
    tx = NECTransmitter(Pin(_pins[0]), clock)
    await tx.send(frame(0x04, 0x08))
    for _ in range(200):  # the result, up to a second; then a little more for any other
        if got:
            break
        await _sleep_ms(5)
    await _sleep_ms(30)
    ir.deinit()
    eq(got, [(0x08, 0x04)], "results")


@test
@virtual_time
async def held_key_gives_repeats():
    rig = Rig()
    late = await rig.tx.press(0x21, 0x43, repeats=4)
    got = await rig.results(5)
    rig.close()
    if late > 15000:
        raise AssertionError("the model started a burst %d us late" % late)
    eq(got, [(0x43, 0x21)] + [(REPEAT, 0x21)] * 4, "frame then repeats")


@test
@virtual_time
async def extended_addresses():
    rig = Rig(extended=True)
    got = await rig.play([frame(0x1234, 0x56, extended=True), frame(0x07, 0x08)])
    rig.close()
    # A 16-bit address whole; a standard remote's address (high byte = ~low byte) as 8 bits.
    eq(got, [(0x56, 0x1234), (0x08, 0x07)], "extended decoder")
    rig = Rig(extended=False)
    got = await rig.play([frame(0x1234, 0x56, extended=True), frame(0x07, 0x08)])
    rig.close()
    eq(got, [(BADADDR, 0), (0x08, 0x07)], "standard decoder")


@test
@virtual_time
async def command_not_matching_its_complement_is_baddata():
    rig = Rig()
    got = await rig.play([frame_bytes(bytes((0x01, 0xFE, 0x10, 0xEE)))])
    rig.close()
    eq(got, [(BADDATA, 0)], "result")


@test
@virtual_time
async def bad_starts():
    rig = Rig()
    good = frame(1, 2)
    bursts = [
        durations_edit(good, 0, 6000),  # lead mark too short
        durations_edit(good, 0, 12000),  # lead mark too long
        durations_edit(good, 1, 3200),  # space between the repeat's and the frame's
        [0, 300],  # a lone glitch
        [0, 9000],  # a lead mark and nothing after it
    ]
    got = await rig.play(bursts)
    rig.close()
    eq(got, [(BADSTART, 0)] * len(bursts), "results")


@test
@virtual_time
async def bad_blocks():
    rig = Rig()
    good = frame(1, 2)
    bursts = [
        truncate(good, 40000),  # the beam blocked after 40 ms
        durations_edit(good, 10, 800),  # a bit mark too long
        durations_edit(good, 11, 1000),  # a space neither 0 nor 1
        durations_edit(good, 66, 300),  # the stop mark too short
    ]
    got = await rig.play(bursts)
    rig.close()
    eq(got, [(BADBLOCK, 0)] * len(bursts), "results")


@test
@virtual_time
async def bad_repeats():
    rig = Rig()
    rep = repeat_code()
    # A repeat code with no frame before it; then one 150 ms after a good frame (too late);
    # then a malformed one (stop mark 1 ms) after a good frame.
    got = await rig.play([rep])
    got = await rig.play([frame(3, 4)])
    at = rig.tx.now() + 1000
    await rig.tx.send(frame(3, 4), at)
    await rig.tx.send(rep, at + 150000)
    got = await rig.results(4)
    got = await rig.play([frame(3, 4), durations_edit(rep, 2, 1000), rep], PERIOD_US)
    rig.close()
    eq(
        got,
        [(BADREP, 0), (4, 3), (4, 3), (BADREP, 0), (4, 3), (BADREP, 0), (BADREP, 0)],
        "results",
    )


@test
@virtual_time
async def a_lost_frame_never_repeats_the_key_before_it():
    rig = Rig()
    rep = repeat_code()
    # Key A, then key B whose frame is spoilt, held: B's repeats must not repeat A.
    got = await rig.play([frame(9, 0xA), truncate(frame(9, 0xB), 30000), rep, rep], PERIOD_US)
    rig.close()
    eq(got, [(0xA, 9), (BADBLOCK, 0), (BADREP, 0), (BADREP, 0)], "results")


@test
@virtual_time
async def overruns():
    rig = Rig()
    good = frame(5, 6)
    bursts = [
        glitch(good, 20000, 100),  # a spurious pulse inside a frame: 70 edges
        noise(60000, Random(11), 100, 400),  # dense noise
    ]
    got = await rig.play(bursts)
    # A repeat code too close after a frame: the two bursts run together.
    at = rig.tx.now() + 1000
    await rig.tx.send(good, at)
    await rig.tx.send(repeat_code(), at + good[-1] + 8000)
    got = await rig.results(3)
    rig.close()
    eq(got, [(OVERRUN, 0)] * 3, "results")


@test
@virtual_time
async def endless_noise_is_reported_and_decoding_resumes():
    # Noise that never leaves the line quiet for long: the decoder gives up on a burst after
    # 120 ms (an error) and starts afresh, so the application hears of it.
    rig = Rig()
    rng = Random(5)
    await rig.tx.send(noise(400000, rng, 200, 2000))
    got = await rig.results(3)
    n = len(got)
    if n < 3:
        raise AssertionError("400 ms of noise gave %r" % got)
    for result in got:
        if result[0] >= 0:
            raise AssertionError("noise decoded as a key: %r" % got)
    got = await rig.play([frame(1, 1)])
    rig.close()
    eq(got[n:], [(1, 1)], "first key after the noise")


@test
@virtual_time
async def timing_within_20_percent_decodes():
    rig = Rig()
    good = frame(0x5A, 0xC3)
    rng = Random(17)
    bursts = [stretch(good, 19), stretch(good, -19)] + [jitter(good, 19, rng) for _ in range(8)]
    got = await rig.play(bursts)
    # Every mark 19 % long and every space 19 % short, as a receiver that stretches marks:
    d = [good[i + 1] - good[i] for i in range(len(good) - 1)]
    skewed = [0]
    for i, x in enumerate(d):
        skewed.append(skewed[-1] + x * (119 if i % 2 == 0 else 81) // 100)
    got = await rig.play([skewed, stretch(good, 21), stretch(good, -21)])
    rig.close()
    eq(got, [(0xC3, 0x5A)] * 11 + [(BADSTART, 0)] * 2, "results")


@test
@virtual_time
async def a_receiver_within_its_datasheet_decodes():
    rig = Rig()
    good = frame(0x5A, 0xC3)
    bursts = [receiver_skew(good, 158), receiver_skew(good, -132)]
    bursts += [receiver_skew(stretch(good, p), us) for p in (10, -10) for us in (158, -132)]
    got = await rig.play(bursts)
    got = await rig.play([frame(0x5A, 0xC3), receiver_skew(repeat_code(), 158)], PERIOD_US)
    rig.close()
    eq(got, [(0xC3, 0x5A)] * 7 + [(REPEAT, 0x5A)], "results")


@test
@virtual_time
async def repeats_within_20_percent_of_the_period():
    rig = Rig()
    rep = repeat_code()
    slow = PERIOD_US * 119 // 100
    fast = PERIOD_US * 81 // 100
    got = await rig.play([frame(1, 2), rep, rep], slow)
    got = await rig.play([frame(1, 2), rep, rep], fast)
    rig.close()
    eq(got, [(2, 1), (REPEAT, 1), (REPEAT, 1)] * 2, "results")


@test
@virtual_time
async def noise_never_gives_a_wrong_key():
    # Frames spoilt at random (jitter beyond the tolerance, glitches, truncation) and pure
    # noise: each result is the key sent or an error, never another key.
    rig = Rig()
    rng = Random(23)
    sent = []
    bursts = []
    for i in range(24):
        addr, cmd = rng.uniform(0, 255), rng.uniform(0, 255)
        good = frame(addr, cmd)
        kind = i % 4
        if kind == 0:
            burst = jitter(good, 35, rng)
        elif kind == 1:
            burst = glitch(good, rng.uniform(0, good[-1]), rng.uniform(20, 400))
        elif kind == 2:
            burst = truncate(good, rng.uniform(1000, good[-1]))
        else:
            burst = noise(rng.uniform(5000, 80000), rng)
        sent.append((cmd, addr) if kind != 3 else None)
        bursts.append(burst)
    got = await rig.play(bursts)
    rig.close()
    eq(len(got), len(bursts), "one result per burst")
    errors = 0
    for want, result in zip(sent, got):
        if result[0] < 0:
            errors += 1
        elif result != want:
            raise AssertionError("sent %r, decoded %r" % (want, result))
    if errors < len(bursts) // 2:
        raise AssertionError("only %d errors: the bursts were not spoilt" % errors)


@test
@virtual_time
async def devmodels_line_faults_give_errors():
    # devmodels' own faults: random levels for 200 ms, a pulse too short to measure, the line
    # stuck low for 50 ms. Then a good key.
    rig = Rig()
    await faults.noise(rig.pin, 200, seed=4)
    await _sleep_ms(40)
    faults.glitch(rig.pin)
    await _sleep_ms(40)
    rig.pin.stick(0)
    await _sleep_ms(50)
    rig.pin.stick(None)
    got = await rig.results(3)
    errors = len(got)
    for result in got:
        if result[0] >= 0:
            raise AssertionError("line faults decoded as a key: %r" % got)
    if errors < 3:
        raise AssertionError("too few errors: %r" % got)
    got = await rig.play([frame(6, 7)])
    rig.close()
    eq(got[errors:], [(7, 6)], "the key after the faults")


@test
@virtual_time
async def a_failing_callback_does_not_stop_the_driver():
    clock = EdgeClock()
    aremote.ticks_us = clock.ticks_us
    pin = Pin(100, Pin.IN)
    tx = NECTransmitter(pin, clock)
    got = []

    def callback(data, addr):
        got.append(data)
        if len(got) == 1:
            raise ValueError("a bug in the application")

    ir = NEC_IR(pin, callback, False)
    at = tx.now() + 1000
    await tx.send(frame(1, 10), at)
    await tx.send(frame(1, 11), at + PERIOD_US)
    await _sleep_ms(100)
    ir.deinit()
    eq(got, [10, 11], "both keys reported")


@test
@virtual_time
async def other_tasks_run_and_deinit_stops():
    rig = Rig()
    ticks = [0]

    async def ticker():
        while True:
            ticks[0] += 1
            await _sleep_ms(10)

    t = asyncio.create_task(ticker())
    await rig.tx.press(2, 3, repeats=5)
    got = await rig.results(6)
    if ticks[0] < 30:  # 6 bursts take about 600 ms
        raise AssertionError("another task ran only %d times" % ticks[0])
    rig.close()
    await rig.tx.send(frame(2, 4))
    await _sleep_ms(60)  # a report would come 15 ms after the burst
    t.cancel()
    eq(got, [(3, 2)] + [(REPEAT, 2)] * 5, "results")
    eq(len(rig.got), 6, "results after deinit")


@test
@virtual_time
async def the_callback_may_deinit():
    def stop(data, addr, arg):
        rig.got.append((data, addr))
        rig.ir.deinit()

    rig = Rig(callback=stop)
    await rig.play([frame(1, 2)])
    await rig.tx.send(frame(1, 3))
    await _sleep_ms(60)  # a report would come 15 ms after the burst
    eq(rig.got, [(2, 1)], "results")


@test
async def a_pin_that_refuses_the_interrupt_leaves_no_task():
    class RefusingPin:
        IRQ_FALLING = 2
        IRQ_RISING = 1

        def irq(self, handler=None, trigger=0, hard=False):
            raise OSError(16)  # EBUSY: the line's interrupt is taken

    made = []
    create_task = asyncio.create_task

    def counting(coro):
        made.append(coro)
        return create_task(coro)

    asyncio.create_task = counting
    try:
        ptest.raises(OSError, NEC_IR, RefusingPin(), lambda data, addr: None, False)
    finally:
        asyncio.create_task = create_task
    eq(made, [], "tasks started")


ptest.main()
