"""htu21d_mc: an asynchronous driver for the HTU21D(F) humidity and temperature sensor.

Hardware: an HTU21D(F) (or the Sensirion SHT21 it is compatible with) at I2C address 0x40,
reached through any object with the `machine.I2C` methods `writeto(addr, buf)` and
`readfrom_into(addr, buf)`: a `machine.I2C` or `machine.SoftI2C`, or the device model in the
tests (devmodels.htu21d). The driver never creates the bus itself.

Dependencies: none besides asyncio (MicroPython's built-in one, fast_io, or CPython's).

Quick start (inside the application's main coroutine, because the constructor starts a task):

    sensor = HTU21D(I2C(0, scl=Pin(5), sda=Pin(4)))
    await sensor                  # until the first reading
    print(sensor.temperature, sensor.humidity)

How it works: one task per sensor measures temperature, then humidity, every `read_delay`
seconds, with the "no hold master" commands: the sensor takes the command, then refuses its
address (NACK) until the measurement is done. The task sleeps for the datasheet's longest
measurement time at the current resolution, then reads; while the sensor still NACKs it retries
every 2 ms, for at most 100 ms from the command. Each reading is checked: CRC-8 (polynomial
x^8+x^5+x^4+1, 0x131, initial value 0) and the status bit that says whether the sensor measured
temperature or humidity. A reading that fails any check is not used.

Failures (no device, a bus error, a refused command, no answer in time, a bad CRC, a reading
of the wrong kind) never end the task: the attribute `error` holds the exception, a line is
printed when the kind of failure changes, and the task tries again after `read_delay`.
`temperature` and `humidity` keep the last good values; `error` is None again once a full
reading succeeded ("recovered" is printed).
"""

try:
    import asyncio
except ImportError:  # MicroPython 1.20 names its scheduler uasyncio
    import uasyncio as asyncio
import errno

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


ADDR = const(0x40)  # fixed in the chip

# Commands (datasheet, "Sensor commands").
_TRIGGER_T = const(0xF3)  # temperature, no hold master
_TRIGGER_RH = const(0xF5)  # humidity, no hold master
_WRITE_USER = const(0xE6)
_READ_USER = const(0xE7)
_SOFT_RESET = const(0xFE)
_RESET_MS = const(15)  # the soft reset takes less than 15 ms

# User register bits.
_RES_MASK = const(0x81)  # bits 7 and 0 select the resolution
_HEATER = const(0x04)  # bit 2: on-chip heater
_END_OF_BATTERY = const(0x40)  # bit 6, read only: VDD below 2.25 V
# Bit 1 disables the OTP reload (1 after reset; the datasheet advises leaving it). Bits 3 to 5
# are reserved: a write keeps what the chip holds. Bit 6 is read only.
_WRITABLE = const(0x87)

# Resolutions, as their user register bits (bit 7, bit 0): RH bits / T bits.
RES_12_14 = const(0x00)  # the power-on default
RES_8_12 = const(0x01)
RES_10_13 = const(0x80)
RES_11_11 = const(0x81)

# Per resolution: (RH bits, T bits, longest T measurement ms, longest RH measurement ms), the
# datasheet's maxima.
_TIMES = {
    RES_12_14: (12, 14, 50, 16),
    RES_8_12: (8, 12, 13, 3),
    RES_10_13: (10, 13, 25, 5),
    RES_11_11: (11, 11, 7, 8),
}

_POLL_MS = const(2)  # retry interval while the sensor NACKs its address
_ANSWER_MS = const(100)  # give up on a measurement this long after the command (2 x 50 ms)
_IS_RH = const(0x02)  # status bit 1: 0 temperature, 1 humidity


class DataError(ValueError):
    """A reading arrived but cannot be trusted: bad CRC or the wrong kind of measurement."""


def crc8(data, n):
    """CRC-8 of data[0:n] as the HTU21D computes it: polynomial 0x131, initial value 0."""
    crc = 0
    for i in range(n):
        crc ^= data[i]
        for _ in range(8):
            crc = (crc << 1) ^ 0x131 if crc & 0x80 else crc << 1
    return crc


def temperature_from(signal):
    """Degrees Celsius from a raw 16-bit temperature reading (status bits are masked)."""
    return -46.85 + 175.72 * (signal & 0xFFFC) / 65536


def humidity_from(signal):
    """%RH from a raw 16-bit humidity reading (status bits are masked). The datasheet's formula
    can give a little below 0 or above 100 near the ends of the range; it is not clipped."""
    return -6 + 125 * (signal & 0xFFFC) / 65536


def _kind(e):
    if e is None:
        return None
    return (type(e), e.args[0] if isinstance(e, OSError) and e.args else None)


if hasattr(asyncio, "sleep_ms"):
    _sleep_ms = asyncio.sleep_ms
else:  # CPython's asyncio

    def _sleep_ms(ms):
        return asyncio.sleep(ms / 1000)


class HTU21D:
    """An HTU21D on `i2c`, read every `read_delay` seconds by a background task.

    Attributes: `temperature` (deg C) and `humidity` (%RH), None until the first reading;
    `error`: None, or the exception that made the last attempt fail; `failures`: attempts that
    failed in a row. `await sensor` waits for the first reading.
    """

    def __init__(self, i2c, read_delay=10):
        if not read_delay > 0:
            raise ValueError("read_delay must be > 0 seconds")
        self._i2c = i2c
        self.read_delay = read_delay
        self.temperature = None
        self.humidity = None
        self.error = None
        self.failures = 0
        self._buf = bytearray(3)  # one reading: MSB, LSB, CRC
        self._cmd = bytearray(2)  # a command, or the write-user-register command and value
        self._cmd1 = memoryview(self._cmd)[:1]
        self._user = None  # the user register as last read or written (None: not known)
        # User register bits the application set through this driver (which bits, and their
        # values), put back when the sensor lost them: a power cycle resets the register.
        self._want_mask = 0
        self._want_bits = 0
        self._ready = None  # an Event, made when someone awaits before the first reading
        self._bus = asyncio.Lock()  # one conversation with the sensor at a time
        self._task = asyncio.create_task(self._run())

    # -- the awaitable ------------------------------------------------------------------------

    def __await__(self):
        # `await sensor`: until the first reading. On CPython Event.wait() is a coroutine
        # (iterate its __await__), on MicroPython a generator.
        if self.temperature is None:
            if self._ready is None:
                self._ready = asyncio.Event()
            w = self._ready.wait()
            if hasattr(w, "__await__"):
                w = w.__await__()
            yield from w
        return self

    __iter__ = __await__  # MicroPython awaits an object through __iter__

    # -- the background task ------------------------------------------------------------------

    async def _run(self):
        while True:
            try:
                async with self._bus:
                    if self._user is None:  # first run, or after a failure
                        self._restore()
                    t = await self._measure(_TRIGGER_T)
                    rh = await self._measure(_TRIGGER_RH)
                self.temperature = temperature_from(t)
                self.humidity = humidity_from(rh)
                if self.error is not None:
                    print("htu21d: recovered after %d failed attempts" % self.failures)
                self.error = None
                self.failures = 0
                if self._ready is not None:
                    self._ready.set()
                    self._ready = None  # (tasks woken already hold it; later awaits see data)
            except Exception as e:  # any failure (even a bug here) is reported, never fatal
                self._failed(e)
            await asyncio.sleep(self.read_delay)

    def _failed(self, e):
        # Print when the kind of failure changes (another exception class or errno), not on
        # every retry of the same one.
        if _kind(e) != _kind(self.error):
            print(
                "htu21d: reading failed: %s: %s; retrying every %s s"
                % (type(e).__name__, e, self.read_delay)
            )
        self.error = e
        self.failures += 1
        self._user = None  # the sensor may have been reset: read its settings again

    def _restore(self):
        # Learn the resolution (for the measurement times) and put back what the application
        # set, if the sensor forgot it.
        user = self._read_user()
        if (user ^ self._want_bits) & self._want_mask:
            self._write_user((user & ~self._want_mask) | self._want_bits)

    async def _measure(self, command):
        i2c = self._i2c
        self._cmd[0] = command
        self._send(self._cmd1)  # OSError (ENODEV) here: nothing answers at 0x40
        times = _TIMES[(self._user if self._user is not None else 0) & _RES_MASK]
        wait = times[2] if command == _TRIGGER_T else times[3]
        waited = 0
        buf = self._buf
        while True:
            await _sleep_ms(wait)
            waited += wait
            try:
                i2c.readfrom_into(ADDR, buf)
                break
            except OSError:  # NACK: still measuring (the error code for it varies by port)
                if waited >= _ANSWER_MS:
                    raise OSError(
                        errno.ETIMEDOUT, "no reading within %d ms" % _ANSWER_MS
                    ) from None
            wait = _POLL_MS
        crc = crc8(buf, 2)
        if crc != buf[2]:
            raise DataError("CRC mismatch: got 0x%02x, computed 0x%02x" % (buf[2], crc))
        if (buf[1] & _IS_RH) != (_IS_RH if command == _TRIGGER_RH else 0):
            raise DataError("status bits say the wrong kind of measurement")
        return buf[0] << 8 | buf[1]

    def _send(self, buf):
        # writeto() raises when the address is not acknowledged, but only returns the count
        # of acknowledged bytes when the chip refuses a command byte.
        acks = self._i2c.writeto(ADDR, buf)
        if acks is not None and acks != len(buf):
            raise OSError(errno.EIO, "command not acknowledged")

    def _read_user(self):
        self._cmd[0] = _READ_USER
        self._send(self._cmd1)
        self._i2c.readfrom_into(ADDR, self._cmd1)  # one byte, no CRC
        self._user = self._cmd[0]
        return self._user

    def _write_user(self, value):
        # Reserved bits keep what the chip holds (the datasheet asks to read them first).
        current = self._read_user()
        value = (current & ~_WRITABLE) | (value & _WRITABLE)
        self._cmd[0] = _WRITE_USER
        self._cmd[1] = value
        self._send(self._cmd)
        self._user = value
        return value

    # -- the application's side ---------------------------------------------------------------

    async def user_register(self, value=None):
        """Read the user register, or write `value` to it and return what it now holds.

        Only bits 7, 2, 1 and 0 are written (resolution, heater, OTP reload); the reserved bits
        3 to 5 keep what the sensor holds and bit 6 (end of battery) is read only. Raises
        OSError if the sensor does not answer. Waits for a measurement in progress."""
        async with self._bus:
            if value is None:
                return self._read_user()
            if not isinstance(value, int) or not 0 <= value <= 0xFF:
                raise ValueError("user register value must be an int 0..255")
            self._keep(_RES_MASK | _HEATER, self._write_user(value))
            return self._read_user()

    async def _set_bits(self, mask, bits):
        async with self._bus:
            user = self._read_user()
            self._write_user((user & ~mask) | bits)
            self._keep(mask, bits)

    def _keep(self, mask, bits):
        # Remember settings the application made, to put them back after a power cycle.
        self._want_mask |= mask
        self._want_bits = (self._want_bits & ~mask) | (bits & mask)

    async def set_resolution(self, res):
        """Set the resolution: RES_12_14 (default), RES_8_12, RES_10_13 or RES_11_11 (bits of
        RH / bits of T). Kept by the driver and put back if the sensor is power cycled."""
        if res not in _TIMES:
            raise ValueError("resolution must be RES_12_14, RES_8_12, RES_10_13 or RES_11_11")
        await self._set_bits(_RES_MASK, res)

    def resolution(self):
        """(RH bits, T bits) as last read from the sensor; None if not known yet."""
        if self._user is None:
            return None
        times = _TIMES[self._user & _RES_MASK]
        return (times[0], times[1])

    async def heater(self, on):
        """Switch the on-chip heater (about 0.5 to 1.5 deg C of self-heating) on or off."""
        await self._set_bits(_HEATER, _HEATER if on else 0)

    async def end_of_battery(self):
        """True when the sensor reports its supply below 2.25 V (updated after each
        measurement)."""
        return bool(await self.user_register() & _END_OF_BATTERY)

    async def soft_reset(self):
        """Reboot the sensor (15 ms): settings return to their defaults except the heater bit,
        as the datasheet says; the driver forgets the resolution it was asked to keep."""
        async with self._bus:
            self._cmd[0] = _SOFT_RESET
            self._send(self._cmd1)
            self._user = None
            self._want_mask &= _HEATER
            self._want_bits &= _HEATER
            await _sleep_ms(_RESET_MS)
            self._read_user()

    def deinit(self):
        """Stop the background task."""
        self._task.cancel()
