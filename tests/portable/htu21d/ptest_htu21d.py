# The HTU21D driver against the device model on a bus model (devmodels.machine.I2C): readings
# and the formulas, the awaitable first reading, the user register (resolution, heater, end of
# battery, reserved bits), soft reset, and every failure: an absent device, a bus error, a bad
# CRC, a device that disappears and comes back, one that is too slow. Other tasks keep running
# throughout. In real time on MicroPython's and CPython's asyncio, in virtual time under
# fast_io (where ptest_htu21d_virtual.py also checks exact times).
import asyncio
import errno

import ptest
from devmodels import machine
from devmodels.htu21d import HTU21DModel
from ptest import araises, eq, raises, test
from vtime import fresh_board

import htu21d_mc
from htu21d_mc import HTU21D

READ_DELAY = 0.05  # s: short, so the real-time runs stay quick
T_STEP = 175.72 / 16384  # one step of a 14-bit temperature
RH_STEP = 125 / 4096  # one step of a 12-bit humidity


def scenario(fn):
    # An `async def` test with a fresh bus; in virtual time under fast_io.
    return test(fresh_board(fn))


class Printed:
    # Collects what the driver prints (its failure reports) instead of printing it.
    def __init__(self):
        self.lines = []
        htu21d_mc.print = self

    def __call__(self, *args):
        self.lines.append(" ".join(str(a) for a in args))

    def restore(self):
        del htu21d_mc.print


class Ticker:
    # Another task of the application: it must keep running whatever the sensor does.
    def __init__(self):
        self.ticks = 0
        self.task = asyncio.create_task(self.run())

    async def run(self):
        while True:
            self.ticks += 1
            await asyncio.sleep(0.01)

    def stop(self):
        self.task.cancel()


def near(got, want, tol, what):
    if got is None or not abs(got - want) <= tol:
        raise AssertionError("%s: got %r, want %r +- %r" % (what, got, want, tol))


async def until(cond, what, timeout_s=3):
    # Wait for a state the driver reaches by itself, checking every 10 ms, with a bound.
    for _ in range(int(timeout_s * 100)):
        if cond():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out waiting for " + what)


async def more_readings(model):
    # Until the driver has taken a full reading commanded after this call: the reading in
    # progress may have sampled the model before a change (4 commands later, one has not).
    n = len(model.commands)
    await until(lambda: len(model.commands) >= n + 4, "a fresh reading")


async def first_reading(sensor):
    # wait_for() takes a coroutine on MicroPython, not any awaitable.
    await sensor


def rig(temperature=20.0, humidity=50.0, **kw):
    i2c = machine.I2C(0)
    model = HTU21DModel(temperature=temperature, humidity=humidity, **kw)
    i2c.attach(0x40, model)
    return i2c, model


@scenario
async def first_reading_is_awaitable():
    i2c, model = rig(temperature=21.5, humidity=40.0)
    sensor = HTU21D(i2c, READ_DELAY)
    eq(model.commands, [], "the constructor does not touch the bus")
    eq(sensor.temperature, None, "temperature before the first reading")
    eq(sensor.humidity, None, "humidity before the first reading")
    got = await sensor
    eq(got is sensor, True, "await gives the sensor")
    near(sensor.temperature, 21.5, T_STEP, "temperature")
    near(sensor.humidity, 40.0, RH_STEP, "humidity")
    eq(sensor.error, None, "error")
    eq(model.commands[:3], [0xE7, 0xF3, 0xF5], "read register, then T, then RH")
    eq(model.violations, [], "protocol violations")
    await sensor  # a second await returns at once
    sensor.deinit()


@scenario
async def readings_follow_the_formulas():
    i2c, model = rig()
    sensor = HTU21D(i2c, READ_DELAY)
    for t, rh in ((-40.0, 0.0), (0.0, 5.5), (25.0, 50.0), (85.0, 99.0), (124.0, 100.0)):
        model.temperature, model.humidity = t, rh
        await more_readings(model)
        # The signals the model sent, through the datasheet's formulas.
        eq(sensor.temperature, -46.85 + 175.72 * (model.t_signal & 0xFFFC) / 65536, "T formula")
        eq(sensor.humidity, -6 + 125 * (model.rh_signal & 0xFFFC) / 65536, "RH formula")
        near(sensor.temperature, t, T_STEP, "temperature %r" % t)
        near(sensor.humidity, rh, RH_STEP, "humidity %r" % rh)
    sensor.deinit()


@scenario
async def resolution_through_the_user_register():
    i2c, model = rig(temperature=22.2222, humidity=33.3333)
    sensor = HTU21D(i2c, READ_DELAY)
    await sensor
    eq(sensor.resolution(), (12, 14), "default RH/T bits")
    eq(await sensor.user_register(), 0x02, "reset value")
    for res, bits in (
        (htu21d_mc.RES_8_12, (8, 12)),
        (htu21d_mc.RES_10_13, (10, 13)),
        (htu21d_mc.RES_11_11, (11, 11)),
        (htu21d_mc.RES_12_14, (12, 14)),
    ):
        await sensor.set_resolution(res)
        eq(sensor.resolution(), bits, "resolution %02x" % res)
        eq(model.resolution(), (bits[1], bits[0]), "model T/RH bits")
        eq(await sensor.user_register() & 0x81, res, "register bits 7, 0")
        await more_readings(model)
        near(sensor.humidity, 33.3333, 125 / (1 << bits[0]), "RH at %d bits" % bits[0])
        near(sensor.temperature, 22.2222, 175.72 / (1 << bits[1]), "T at %d bits" % bits[1])
        low = (1 << (16 - bits[0])) - 1
        eq(model.rh_signal & low & 0xFFFC, 0, "RH bits below the resolution")
        low = (1 << (16 - bits[1])) - 1
        eq(model.t_signal & low & 0xFFFC, 0, "T bits below the resolution")
    await araises(ValueError, sensor.set_resolution(0x42))
    eq(model.violations, [], "protocol violations")
    sensor.deinit()


@scenario
async def heater_and_end_of_battery():
    i2c, model = rig(temperature=20.0)
    sensor = HTU21D(i2c, READ_DELAY)
    await sensor
    await sensor.heater(True)
    eq(await sensor.user_register() & 0x04, 0x04, "heater bit")
    await more_readings(model)
    near(sensor.temperature, 21.0, T_STEP, "heated by the model's 1 deg C")
    await sensor.heater(False)
    eq(await sensor.user_register() & 0x04, 0, "heater off")
    eq(await sensor.end_of_battery(), False, "battery fine")
    model.end_of_battery = True
    eq(await sensor.end_of_battery(), True, "end of battery")
    eq(model.violations, [], "protocol violations")
    sensor.deinit()


@scenario
async def reserved_bits_are_preserved():
    i2c, model = rig(reserved=0x28)
    sensor = HTU21D(i2c, READ_DELAY)
    await sensor
    eq(await sensor.user_register(), 0x2A, "reserved bits read back")
    eq(await sensor.user_register(0xFF), 0xAF, "write all ones: reserved and bit 6 kept")
    eq(await sensor.user_register(0x00), 0x28, "write zeros: reserved kept")
    await sensor.set_resolution(htu21d_mc.RES_10_13)
    await sensor.heater(True)
    eq(await sensor.user_register(), 0xAC, "resolution and heater set, reserved kept")
    eq(model.violations, [], "no write changed a reserved bit")
    await araises(ValueError, sensor.user_register(0x100))
    sensor.deinit()


@scenario
async def soft_reset():
    i2c, model = rig()
    sensor = HTU21D(i2c, READ_DELAY)
    await sensor
    await sensor.set_resolution(htu21d_mc.RES_8_12)
    await sensor.heater(True)
    await sensor.soft_reset()
    eq(await sensor.user_register(), 0x06, "defaults, heater kept (datasheet)")
    eq(sensor.resolution(), (12, 14), "default resolution")
    await more_readings(model)
    eq(sensor.error, None, "error")
    eq(model.resolution(), (14, 12), "the driver does not put the old resolution back")
    eq(model.violations, [], "protocol violations")
    sensor.deinit()


@scenario
async def absent_device_then_attached():
    printed = Printed()
    try:
        i2c = machine.I2C(0)
        ticker = Ticker()
        sensor = HTU21D(i2c, READ_DELAY)
        await until(lambda: sensor.failures >= 3, "three failed attempts")
        eq(isinstance(sensor.error, OSError), True, "error is an OSError: %r" % sensor.error)
        eq(sensor.error.args[0], errno.ENODEV, "ENODEV: nothing answers at 0x40")
        eq(sensor.temperature, None, "no reading")
        eq(len(printed.lines), 1, "one report for a failure that repeats: %r" % printed.lines)
        eq(
            printed.lines[0].startswith("htu21d: reading failed: OSError: [Errno 19] "),
            True,
            printed.lines,
        )
        eq(printed.lines[0].endswith("; retrying every %s s" % READ_DELAY), True, printed.lines)
        await araises(OSError, sensor.user_register())
        # `await sensor` waits for ever; wait_for puts a limit on it.
        await araises(asyncio.TimeoutError, asyncio.wait_for(first_reading(sensor), 0.2))
        # The device is plugged in: the driver finds it and the awaiter wakes.
        model = HTU21DModel(temperature=30.0, humidity=60.0)
        i2c.attach(0x40, model)
        await asyncio.wait_for(first_reading(sensor), 3)
        near(sensor.temperature, 30.0, T_STEP, "temperature")
        eq(sensor.error, None, "error cleared")
        eq(sensor.failures, 0, "failures reset")
        eq("recovered" in printed.lines[-1], True, printed.lines)
        if ticker.ticks < 5:
            raise AssertionError("the other task ran %d times" % ticker.ticks)
        ticker.stop()
        sensor.deinit()
    finally:
        printed.restore()


@scenario
async def corrupted_crc():
    printed = Printed()
    try:
        i2c, model = rig(temperature=20.0)
        sensor = HTU21D(i2c, READ_DELAY)
        await sensor
        model.temperature = 30.0
        model.corrupt_crc = 1
        await until(lambda: sensor.error is not None, "the CRC failure")
        eq(isinstance(sensor.error, htu21d_mc.DataError), True, repr(sensor.error))
        eq("CRC" in str(sensor.error), True, str(sensor.error))
        near(sensor.temperature, 20.0, T_STEP, "the bad reading was not used")
        await until(lambda: sensor.error is None, "recovery")
        near(sensor.temperature, 30.0, T_STEP, "the next good reading")
        eq(len(printed.lines), 2, repr(printed.lines))
        # Every reading corrupted, for a while: the task keeps trying.
        model.corrupt_crc = 1000
        await until(lambda: sensor.failures >= 5, "five failures")
        model.corrupt_crc = 0
        await until(lambda: sensor.error is None, "recovery")
        sensor.deinit()
    finally:
        printed.restore()


@scenario
async def bus_error():
    printed = Printed()
    try:
        i2c, model = rig()
        ticker = Ticker()
        sensor = HTU21D(i2c, READ_DELAY)
        await sensor
        model.bus_errors = 1
        await until(lambda: sensor.error is not None, "the bus error")
        eq(sensor.error.args[0], errno.EIO, "EIO")
        await until(lambda: sensor.error is None, "recovery")
        # The same from the bus model's side: three transactions with 0x40 time out.
        i2c.fault(0x40, errno.ETIMEDOUT, 3)
        await until(lambda: sensor.error is not None, "the bus fault")
        eq(sensor.error.args[0], errno.ETIMEDOUT, "ETIMEDOUT")
        await until(lambda: sensor.error is None, "recovery")
        eq(len(printed.lines), 4, "two failures, two recoveries: %r" % printed.lines)
        if ticker.ticks < 3:
            raise AssertionError("the other task ran %d times" % ticker.ticks)
        ticker.stop()
        sensor.deinit()
    finally:
        printed.restore()


@scenario
async def device_disappears_and_comes_back():
    printed = Printed()
    try:
        i2c, model = rig(temperature=20.0)
        sensor = HTU21D(i2c, READ_DELAY)
        await sensor
        await sensor.user_register(0x83)  # 11/11 bits, written as a raw register value
        await sensor.heater(True)
        await more_readings(model)
        model.power_off()
        await until(lambda: sensor.failures >= 2, "failures while the device is away")
        near(sensor.temperature, 21.0, 175.72 / 2048, "last good value kept")
        # A setting that fails while the sensor is away changes nothing.
        await araises(OSError, sensor.set_resolution(htu21d_mc.RES_8_12))
        model.temperature = 25.0
        model.power_on()  # back with its power-on settings: 12/14 bits, heater off
        await until(lambda: sensor.error is None, "recovery")
        eq(model.resolution(), (11, 11), "the driver put its resolution back")
        eq(model.user & 0x04, 0x04, "and the heater")
        near(sensor.temperature, 26.0, 175.72 / 2048, "fresh reading")
        eq(model.violations, [], "protocol violations")
        sensor.deinit()
    finally:
        printed.restore()


class RefusingBus(machine.I2C):
    # A bus on which the chip refuses (NACKs) the next `refuse` temperature command bytes:
    # writeto() then returns the count of acknowledged bytes, 0, as machine.I2C does.
    refuse = 0

    def writeto(self, addr, buf, stop=True):
        if self.refuse and buf[0] == 0xF3:
            self.refuse -= 1
            return 0
        return super().writeto(addr, buf, stop)


@scenario
async def command_byte_not_acknowledged():
    printed = Printed()
    try:
        i2c = RefusingBus(0)
        model = HTU21DModel()
        i2c.attach(0x40, model)
        sensor = HTU21D(i2c, READ_DELAY)
        await sensor
        i2c.refuse = 2
        await until(lambda: sensor.failures >= 2, "two failures")
        eq(sensor.error.args[0], errno.EIO, "EIO")
        eq("command not acknowledged" in str(sensor.error), True, str(sensor.error))
        await until(lambda: sensor.error is None, "recovery")
        eq(model.violations, [], "protocol violations")
        sensor.deinit()
    finally:
        printed.restore()


class SwappedModel(HTU21DModel):
    # A faulty chip that measures humidity when asked for temperature and the other way round:
    # every reading has a good CRC but the other kind's status bit.
    def i2c_write(self, data):
        if len(data) and data[0] in (0xF3, 0xF5):
            data = bytes([data[0] ^ 0xF3 ^ 0xF5])
        return super().i2c_write(data)


@scenario
async def reading_of_the_wrong_kind():
    printed = Printed()
    try:
        i2c = machine.I2C(0)
        i2c.attach(0x40, SwappedModel())
        sensor = HTU21D(i2c, READ_DELAY)
        await until(lambda: sensor.failures >= 2, "failures")
        eq(isinstance(sensor.error, htu21d_mc.DataError), True, repr(sensor.error))
        eq("status bits" in str(sensor.error), True, str(sensor.error))
        eq(sensor.temperature, None, "no reading accepted")
        i2c.attach(0x40, HTU21DModel())
        await asyncio.wait_for(first_reading(sensor), 3)
        sensor.deinit()
    finally:
        printed.restore()


@scenario
async def slow_device_is_polled_then_given_up():
    printed = Printed()
    try:
        i2c, model = rig()
        model.extra_ms = 10  # slower than the datasheet: the driver polls while it NACKs
        sensor = HTU21D(i2c, READ_DELAY)
        await sensor
        eq(sensor.error, None, "error")
        if model.nacks < 2:
            raise AssertionError("the driver read only %d times early" % model.nacks)
        model.extra_ms = 200  # too slow: the wait is bounded
        await until(lambda: sensor.error is not None, "the timeout")
        eq(sensor.error.args[0], errno.ETIMEDOUT, "ETIMEDOUT")
        model.extra_ms = 0
        await until(lambda: sensor.error is None, "recovery")
        sensor.deinit()
    finally:
        printed.restore()


@scenario
async def deinit_stops_the_task():
    i2c, model = rig()
    sensor = HTU21D(i2c, READ_DELAY)
    await sensor
    sensor.deinit()
    await asyncio.sleep(0.01)
    n = len(model.commands)
    await asyncio.sleep(READ_DELAY * 4)
    eq(len(model.commands), n, "no command after deinit")


@scenario
async def bad_arguments():
    i2c, model = rig()
    raises(ValueError, HTU21D, i2c, 0)
    raises(ValueError, HTU21D, i2c, -1)
    sensor = HTU21D(i2c, READ_DELAY)
    await araises(ValueError, sensor.user_register(-1))
    await araises(ValueError, sensor.user_register(1.5))
    await araises(ValueError, sensor.user_register("2"))
    await araises(ValueError, sensor.set_resolution(3))
    await sensor
    sensor.deinit()


ptest.main()
