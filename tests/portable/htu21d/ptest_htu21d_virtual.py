# The HTU21D driver's timing, exactly, in virtual time (fast_io's VirtualClock drives both the
# scheduler and the device model through devmodels.clock): the datasheet's measurement times
# per resolution, no early read of a well-behaved sensor, polling every 2 ms while a slow one
# NACKs, the 100 ms bound, and the reading period over an hour.
# runtimes: mp-fast_io cpy-fast_io
import asyncio

import ptest
from devmodels import clock, machine
from devmodels.htu21d import HTU21DModel
from ptest import eq, test
from vtime import fresh_board

import htu21d_mc
from htu21d_mc import HTU21D


def virtual(fn):
    # Run an `async def` test on a fresh loop and bus with a VirtualClock starting at 0.
    return test(fresh_board(fn))


class TimedModel(HTU21DModel):
    # The model, noting when (virtual ms) each command was taken.
    def __init__(self, **kw):
        super().__init__(**kw)
        self.stamps = []

    def i2c_write(self, data):
        taken = super().i2c_write(data)
        if taken and len(data):
            self.stamps.append((clock.now_ms(), data[0]))
        return taken


class Quiet:
    def __init__(self):
        htu21d_mc.print = self

    def __call__(self, *args):
        pass

    def restore(self):
        del htu21d_mc.print


def rig(**kw):
    i2c = machine.I2C(0)
    model = TimedModel(**kw)
    i2c.attach(0x40, model)
    return i2c, model


@virtual
async def first_reading_after_the_datasheet_times():
    i2c, model = rig()
    sensor = HTU21D(i2c, 10)
    await sensor
    eq(clock.now_ms(), 50 + 16, "first reading at T 50 ms + RH 16 ms")
    eq(model.stamps, [(0, 0xE7), (0, 0xF3), (50, 0xF5)], "commands")
    eq(model.nacks, 0, "no read before the measurement was due")
    sensor.deinit()


@virtual
async def measurement_times_by_resolution():
    # (resolution, T ms, RH ms): datasheet maxima.
    for res, t_ms, rh_ms in (
        (htu21d_mc.RES_8_12, 13, 3),
        (htu21d_mc.RES_10_13, 25, 5),
        (htu21d_mc.RES_11_11, 7, 8),
        (htu21d_mc.RES_12_14, 50, 16),
    ):
        i2c, model = rig()
        sensor = HTU21D(i2c, 1)
        await sensor
        await sensor.set_resolution(res)
        del model.stamps[:]
        await asyncio.sleep(2.5)  # two more cycles at the new resolution
        cycles = [s for s in model.stamps if s[1] in (0xF3, 0xF5)]
        eq(len(cycles), 4, "two cycles: %r" % model.stamps)
        for i in (0, 2):
            eq(cycles[i + 1][0] - cycles[i][0], t_ms, "T time, resolution %02x" % res)
        # The next cycle starts read_delay after the previous reading was taken.
        eq(cycles[2][0] - cycles[1][0], rh_ms + 1000, "RH time + read_delay")
        eq(model.nacks, 0, "no early read")
        sensor.deinit()
        machine.reset()


@virtual
async def slow_sensor_is_polled_every_2_ms():
    i2c, model = rig()
    model.extra_ms = 7  # temperature ready at 57 ms, humidity 23 ms after its command
    sensor = HTU21D(i2c, 10)
    await sensor
    # T read at 50 (NACK), 52, 54, 56 (NACK), 58 (data); RH at 58+16, +18, +20, +22 (NACK), +24.
    eq(model.stamps, [(0, 0xE7), (0, 0xF3), (58, 0xF5)], "commands")
    eq(clock.now_ms(), 58 + 24, "reading")
    eq(model.nacks, 8, "NACKed reads")
    sensor.deinit()


@virtual
async def give_up_after_100_ms():
    quiet = Quiet()
    try:
        i2c, model = rig()
        model.extra_ms = 1000
        sensor = HTU21D(i2c, 10)
        while sensor.error is None:
            await asyncio.sleep_ms(1)
        eq(clock.now_ms(), 100, "gave up 100 ms after the command")
        eq(model.nacks, 1 + 25, "read at 50 ms, then every 2 ms up to 100 ms")
        eq(sensor.temperature, None, "no reading")
        sensor.deinit()
    finally:
        quiet.restore()


@virtual
async def an_hour_of_readings():
    i2c, model = rig()
    sensor = HTU21D(i2c, 10)
    await asyncio.sleep(3600)
    starts = [t for t, c in model.stamps if c == 0xF3]
    eq(len(starts), 3600000 // 10066 + 1, "one reading every 10 s + 66 ms")
    for i, t in enumerate(starts):
        if t != i * 10066:
            raise AssertionError("reading %d started at %d ms" % (i, t))
    eq(model.nacks, 0, "no early read")
    eq(model.violations, [], "violations")
    sensor.deinit()


@virtual
async def a_register_call_waits_for_the_reading_in_progress():
    i2c, model = rig()
    sensor = HTU21D(i2c, 10)
    await asyncio.sleep_ms(1)  # the task has sent the temperature command
    eq(await sensor.user_register(), 0x02, "register")
    eq(clock.now_ms(), 66, "answered once the reading (50 + 16 ms) was done")
    eq(model.nacks, 0, "the call never met a busy chip")
    eq(sensor.temperature is not None, True, "the reading was not disturbed")
    sensor.deinit()


@virtual
async def read_delay_changes_from_the_next_wait():
    i2c, model = rig()
    sensor = HTU21D(i2c, 10)
    await sensor  # at 66 ms; the task now sleeps 10 s
    sensor.read_delay = 2
    await asyncio.sleep(15)
    starts = [t for t, c in model.stamps if c == 0xF3]
    eq(starts, [0, 10066, 12132, 14198], "readings at the old, then the new period")
    sensor.deinit()


@virtual
async def other_tasks_keep_their_pace_while_the_sensor_fails():
    quiet = Quiet()
    try:
        i2c, model = rig()
        model.corrupt_crc = 10**6
        sensor = HTU21D(i2c, 0.1)
        stamps = []
        for _ in range(100):
            await asyncio.sleep_ms(7)
            stamps.append(clock.now_ms())
        eq(stamps, [7 * (i + 1) for i in range(100)], "ticker on time")
        if sensor.failures < 5:
            raise AssertionError("only %d failed attempts" % sensor.failures)
        sensor.deinit()
    finally:
        quiet.restore()


ptest.main()
