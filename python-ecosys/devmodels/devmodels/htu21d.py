"""devmodels.htu21d: the HTU21D(F) humidity and temperature sensor, as an I2C device.

Attach it to a bus model at its fixed address and talk to it as to the chip:

    i2c = machine.I2C(0)
    sensor = HTU21DModel(temperature=21.5, humidity=40.0)
    i2c.attach(0x40, sensor)

What it does, from the datasheet (HTU21D(F), TE Connectivity; the same protocol as the
Sensirion SHT21):
- Commands 0xF3 (measure temperature) and 0xF5 (measure humidity), "no hold master": the chip
  takes the command, then does not acknowledge its address (reads and writes alike) until the
  measurement is done, which takes the datasheet's longest time for the current resolution
  (`MEASURE_MS`), measured on devmodels.clock so a virtual clock drives it too. A read then
  gives MSB, LSB and a CRC byte (CRC-8, polynomial 0x131, initial value 0). The two bits at the
  bottom of the LSB are status: bit 1 is 0 for temperature and 1 for humidity. The value keeps
  only as many bits as the resolution gives; the rest are 0.
- 0xE7 reads the user register (one byte), 0xE6 writes it. Bits 7 and 0: resolution; bit 6:
  end of battery (read only; `end_of_battery`); bits 3 to 5: reserved (`reserved` sets what
  they hold; a write that changes them is recorded in `violations` and not applied); bit 2:
  heater (raises the measured temperature by `HEATER_RISE`); bit 1: disable OTP reload.
  Power-on value 0x02 (plus the reserved bits).
- 0xFE, soft reset: the chip reboots for 15 ms (NACKs meanwhile); the user register returns to
  its power-on value except the heater bit, which is kept.
- Hold-master commands (0xE3, 0xE5, which stretch the clock) and unknown commands are not
  modelled: they are recorded in `violations` and answered with a bus error (EIO).

Faults on demand: `power_off()` (the chip disappears: every transaction is NACKed) and
`power_on()` (it comes back after a 15 ms boot, settings at their power-on values);
`corrupt_crc = n` gives the next n readings a wrong CRC byte; `bus_errors = n` makes the next n
transactions raise OSError(EIO); `extra_ms` makes every measurement that much slower than the
datasheet's maximum. A sensor that is never attached is absent (the bus raises ENODEV).

For tests: `commands` lists every command byte taken, `nacks` counts the transactions not
acknowledged while the chip was busy, `violations` lists protocol errors in words,
`t_signal` and `rh_signal` are the raw 16-bit values (status bits included) of the last
temperature and humidity measurements.
"""

import errno

from devmodels import clock

ADDR = 0x40

MEASURE_T = 0xF3
MEASURE_RH = 0xF5
WRITE_USER = 0xE6
READ_USER = 0xE7
SOFT_RESET = 0xFE
HOLD_T = 0xE3
HOLD_RH = 0xE5

USER_RESET = 0x02  # power-on value of the user register, reserved bits aside
RESERVED = 0x38  # bits 3, 4, 5
END_OF_BATTERY = 0x40  # bit 6
HEATER = 0x04  # bit 2
RESOLUTION = 0x81  # bits 7 and 0
RESET_MS = 15  # soft reset and power-on boot time (datasheet maximum)
HEATER_RISE = 1.0  # deg C; the datasheet gives 0.5 to 1.5

# Resolution bits -> (T bits, RH bits) and (T ms, RH ms), the datasheet's maxima.
BITS = {0x00: (14, 12), 0x01: (12, 8), 0x80: (13, 10), 0x81: (11, 11)}
MEASURE_MS = {0x00: (50, 16), 0x01: (13, 3), 0x80: (25, 5), 0x81: (7, 8)}

# What a read returns, set by the last command.
_NOTHING = 0
_USER = 1
_MEASUREMENT = 2


def crc8(data):
    """The HTU21D checksum of `data`, as polynomial long division of data * x^8 by 0x131.

    Written differently from the driver's byte-wise loop on purpose: the tests check one
    against the other and both against the datasheet's examples."""
    value = 0
    for b in data:
        value = (value << 8) | b
    value <<= 8
    top = 8 * len(data) + 7  # the highest bit value can have
    for bit in range(top, 7, -1):
        if value >> bit & 1:
            value ^= 0x131 << (bit - 8)
    return value


class HTU21DModel:
    """The sensor chip. `temperature` (deg C) and `humidity` (%RH) may be set at any time;
    a measurement samples them when it is commanded."""

    def __init__(self, temperature=20.0, humidity=50.0, reserved=0):
        if reserved & ~RESERVED:
            raise ValueError("reserved bits are 3 to 5 (mask 0x38)")
        self.temperature = temperature
        self.humidity = humidity
        self.reserved = reserved
        self.end_of_battery = False
        self.corrupt_crc = 0
        self.bus_errors = 0
        self.extra_ms = 0
        self.commands = []
        self.nacks = 0
        self.violations = []
        self.t_signal = None
        self.rh_signal = None
        self._powered = True
        self._user = USER_RESET  # bits 3..6 come from `reserved` and `end_of_battery`
        self._busy_until = None  # ms stamp: NACK everything until then (measuring, booting)
        self._reply = _NOTHING
        self._data = None  # the 3 bytes of a measurement, once commanded

    # -- faults and state ---------------------------------------------------------------------

    @property
    def powered(self):
        return self._powered

    def power_off(self):
        """The chip disappears from the bus (unplugged, or its supply failed)."""
        self._powered = False
        self._reply = _NOTHING
        self._data = None
        self._busy_until = None

    def power_on(self):
        """The chip comes back: it boots for RESET_MS, its user register at the power-on
        value (heater off)."""
        self._powered = True
        self._user = USER_RESET
        self._reply = _NOTHING
        self._data = None
        self._busy_until = clock.add_ms(clock.now_ms(), RESET_MS)

    @property
    def user(self):
        """The user register as the chip would report it."""
        return (
            (self._user & ~(RESERVED | END_OF_BATTERY))
            | self.reserved
            | (END_OF_BATTERY if self.end_of_battery else 0)
        )

    def resolution(self):
        """(T bits, RH bits) now set."""
        return BITS[self._user & RESOLUTION]

    # -- the I2C device protocol --------------------------------------------------------------

    def _available(self):
        # The chip answers its address: powered and not busy. Counts a refusal while busy.
        if self.bus_errors:
            self.bus_errors -= 1
            raise OSError(errno.EIO)
        if not self._powered:
            return False
        if self._busy_until is not None:
            if clock.diff_ms(clock.now_ms(), self._busy_until) < 0:
                self.nacks += 1
                return False
            self._busy_until = None
        return True

    def i2c_write(self, data):
        if not self._available():
            return False
        if not len(data):  # an address probe, as I2C.scan() makes
            return True
        command = data[0]
        self.commands.append(command)
        self._reply = _NOTHING
        self._data = None
        if command in (MEASURE_T, MEASURE_RH):
            self._extra_bytes(data, 1)
            self._start(command == MEASURE_RH)
        elif command == READ_USER:
            self._extra_bytes(data, 1)
            self._reply = _USER
        elif command == WRITE_USER:
            self._extra_bytes(data, 2)
            if len(data) < 2:
                self.violations.append("write user register without a value")
            else:
                self._write_user(data[1])
        elif command == SOFT_RESET:
            self._extra_bytes(data, 1)
            self._user = USER_RESET | (self._user & HEATER)
            self._busy_until = clock.add_ms(clock.now_ms(), RESET_MS)
        else:
            what = "hold master command" if command in (HOLD_T, HOLD_RH) else "unknown command"
            self.violations.append("%s 0x%02x (not modelled)" % (what, command))
            raise OSError(errno.EIO)  # the chip does not acknowledge the command byte
        return True

    def i2c_read(self, n):
        if not self._available():
            return None
        if self._reply == _MEASUREMENT:
            out = self._data
            self._reply = _NOTHING  # read once; a second read has nothing to give
            self._data = None
        elif self._reply == _USER:
            out = bytes([self.user])
        else:
            self.violations.append("read with nothing to read")
            return None
        if n > len(out):
            out += b"\xff" * (n - len(out))  # the chip lets SDA go: the pull-up reads 1s
        return out[:n]

    # -- inside the chip ----------------------------------------------------------------------

    def _extra_bytes(self, data, want):
        if len(data) > want:
            self.violations.append(
                "command 0x%02x followed by %d extra bytes" % (data[0], len(data) - want)
            )

    def _write_user(self, value):
        if (value ^ self.reserved) & RESERVED:
            self.violations.append(
                "reserved bits changed: wrote 0x%02x, reserved bits hold 0x%02x"
                % (value, self.reserved)
            )
        # Bit 6 is read only and the reserved bits keep their value.
        self._user = value & ~(RESERVED | END_OF_BATTERY)

    def _start(self, humidity):
        res = self._user & RESOLUTION
        t_bits, rh_bits = BITS[res]
        t_ms, rh_ms = MEASURE_MS[res]
        if humidity:
            scaled = (self.humidity + 6) * 65536 / 125
            bits, status, ms = rh_bits, 0x02, rh_ms
        else:
            celsius = self.temperature + (HEATER_RISE if self._user & HEATER else 0)
            scaled = (celsius + 46.85) * 65536 / 175.72
            bits, status, ms = t_bits, 0x00, t_ms
        signal = min(max(int(scaled), 0), 0xFFFF)  # the ADC truncates
        signal &= (0xFFFF << (16 - bits)) & 0xFFFF  # keep the resolution's bits
        signal |= status
        if humidity:
            self.rh_signal = signal
        else:
            self.t_signal = signal
        data = bytes([signal >> 8, signal & 0xFF])
        crc = crc8(data)
        if self.corrupt_crc:
            self.corrupt_crc -= 1
            crc ^= 0x01
        self._data = data + bytes([crc])
        self._reply = _MEASUREMENT
        self._busy_until = clock.add_ms(clock.now_ms(), ms + self.extra_ms)
