# The HTU21D's arithmetic and the device model on its own: the datasheet's CRC and conversion
# examples (worked out here, not copied), the model's answers to raw I2C transactions
# (command set, NACK while busy, user register, soft reset, faults). No scheduler runs: the
# tests wait for the model's deadlines (a few ms) on the real clock.
import errno
import time

import ptest
from devmodels import clock
from devmodels import htu21d as model_mod
from devmodels.htu21d import HTU21DModel
from ptest import eq, raises, test

import htu21d_mc


def wait_ms(ms):
    # Wait on devmodels.clock (the model's own clock), so the model sees the time pass.
    start = clock.now_ms()
    while clock.diff_ms(clock.now_ms(), start) < ms:
        time.sleep(0.001)


# -- CRC ----------------------------------------------------------------------------------
# Datasheet examples (HTU21D(F) datasheet, "CRC checksum"): 0xDC -> 0x79, 0x683A -> 0x7C,
# 0x4E85 -> 0x6B.
CRC_EXAMPLES = ((b"\xdc", 0x79), (b"\x68\x3a", 0x7C), (b"\x4e\x85", 0x6B))


@test
def crc_datasheet_examples_driver():
    for data, crc in CRC_EXAMPLES:
        eq(htu21d_mc.crc8(data, len(data)), crc, "driver crc8(%r)" % data)


@test
def crc_datasheet_examples_model():
    for data, crc in CRC_EXAMPLES:
        eq(model_mod.crc8(data), crc, "model crc8(%r)" % data)


@test
def crc_driver_and_model_agree():
    # Two independent ways to compute the same CRC: byte-wise shift register (driver) and
    # polynomial long division (model), over a spread of 2-byte values.
    x = 12345
    for _ in range(300):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        data = bytes([(x >> 8) & 0xFF, (x >> 16) & 0xFF])
        eq(htu21d_mc.crc8(data, 2), model_mod.crc8(data), "crc8(%r)" % data)
    # A CRC over data plus its own CRC is 0 (the property a receiver can use).
    data = b"\x68\x3a\x7c"
    eq(htu21d_mc.crc8(data, 3), 0, "crc over data+crc")


# -- conversion -----------------------------------------------------------------------------


def near(got, want, tol, what):
    if not abs(got - want) <= tol:
        raise AssertionError("%s: got %r, want %r +- %r" % (what, got, want, tol))


@test
def conversion_of_the_datasheet_words():
    # The words of the datasheet's CRC examples: 0x683A has status bit 1 set (a humidity
    # reading), 0x4E85 has it clear (a temperature reading). Through the formulas, with the
    # status bits masked (0x6838, 0x4E84): 44.89 %RH and 7.04 deg C.
    near(htu21d_mc.humidity_from(0x683A), -6 + 125 * 0x6838 / 65536, 1e-9, "RH formula")
    near(htu21d_mc.temperature_from(0x4E85), -46.85 + 175.72 * 0x4E84 / 65536, 1e-9, "T formula")
    near(htu21d_mc.humidity_from(0x683A), 44.89, 0.005, "RH(0x683A)")
    near(htu21d_mc.temperature_from(0x4E85), 7.04, 0.005, "T(0x4E85)")


@test
def conversion_masks_status_bits():
    for s in (0x0000, 0x683A, 0xFFFF):
        eq(htu21d_mc.temperature_from(s), htu21d_mc.temperature_from(s & 0xFFFC), "T %x" % s)
        eq(htu21d_mc.humidity_from(s), htu21d_mc.humidity_from(s & 0xFFFC), "RH %x" % s)
    near(htu21d_mc.temperature_from(0), -46.85, 1e-9, "T(0)")
    near(htu21d_mc.humidity_from(0), -6, 1e-9, "RH(0)")
    near(htu21d_mc.humidity_from(0xFFFF), -6 + 125 * 0xFFFC / 65536, 1e-9, "RH(max)")


# -- the model, transaction by transaction ---------------------------------------------------


def measure(m, command):
    """Command a measurement and read it as soon as the model acknowledges: (bytes, nacks)."""
    assert m.i2c_write(bytes([command]))
    nacks = 0
    while True:
        r = m.i2c_read(3)
        if r is not None:
            return r, nacks
        nacks += 1
        time.sleep(0.001)


@test
def model_measurement_bytes():
    m = HTU21DModel(temperature=24.7, humidity=32.3)
    data, _ = measure(m, 0xF3)
    eq(len(data), 3, "3 bytes")
    eq(model_mod.crc8(data[:2]), data[2], "crc")
    signal = data[0] << 8 | data[1]
    eq(signal & 0x03, 0, "temperature status bits")
    near(htu21d_mc.temperature_from(signal), 24.7, 175.72 / 16384, "T")
    data, _ = measure(m, 0xF5)
    signal = data[0] << 8 | data[1]
    eq(signal & 0x03, 0x02, "humidity status bits")
    eq(signal & 0x0C, 0, "12-bit humidity: bits 2, 3 are 0")
    near(htu21d_mc.humidity_from(signal), 32.3, 125 / 4096, "RH")
    eq(m.violations, [], "violations")


@test
def model_nacks_while_measuring():
    m = HTU21DModel()
    start = clock.now_ms()
    assert m.i2c_write(b"\xf3")
    eq(m.i2c_read(3), None, "read at once: NACK")
    eq(m.i2c_write(b"\xe7"), False, "write while measuring: NACK")
    data, nacks = measure_existing(m)
    took = clock.diff_ms(clock.now_ms(), start)
    if took < 50:  # (exact times are checked in virtual time, ptest_htu21d_virtual.py)
        raise AssertionError("14-bit temperature ready after %d ms, want 50" % took)
    if nacks < 1 or m.nacks < 3:
        raise AssertionError("nacks %d, model counted %d" % (nacks, m.nacks))
    eq(m.i2c_read(3), None, "a second read has nothing to give")
    eq(m.violations, ["read with nothing to read"], "violations")


def measure_existing(m):
    nacks = 0
    while True:
        r = m.i2c_read(3)
        if r is not None:
            return r, nacks
        nacks += 1
        time.sleep(0.001)


@test
def model_user_register():
    m = HTU21DModel(reserved=0x28)
    assert m.i2c_write(b"\xe7")
    eq(m.i2c_read(1), bytes([0x2A]), "reset value 0x02 plus the reserved bits")
    m.end_of_battery = True
    eq(m.i2c_read(1), bytes([0x6A]), "end of battery: bit 6")
    assert m.i2c_write(bytes([0xE6, 0x81 | 0x04 | 0x02 | 0x28]))
    eq(m.violations, [], "reserved bits kept: no violation")
    eq(m.resolution(), (11, 11), "resolution bits 7 and 0")
    assert m.i2c_write(bytes([0xE6, 0x00]))
    eq(len(m.violations), 1, "reserved bits changed: recorded")
    eq(m.user & 0x38, 0x28, "reserved bits not changed by the write")


@test
def model_resolutions_and_times():
    # (register bits, T bits, RH bits, T ms, RH ms): the datasheet's table.
    for res, t_bits, rh_bits, t_ms, rh_ms in (
        (0x00, 14, 12, 50, 16),
        (0x01, 12, 8, 13, 3),
        (0x80, 13, 10, 25, 5),
        (0x81, 11, 11, 7, 8),
    ):
        m = HTU21DModel(temperature=25.123, humidity=55.555)
        assert m.i2c_write(bytes([0xE6, 0x02 | res]))
        eq(m.resolution(), (t_bits, rh_bits), "resolution 0x%02x" % res)
        eq(model_mod.MEASURE_MS[res], (t_ms, rh_ms), "times 0x%02x" % res)
        for command, bits in ((0xF3, t_bits), (0xF5, rh_bits)):
            data, _ = measure(m, command)
            low = (1 << (16 - bits)) - 1  # bits below the resolution: 0 except status
            eq((data[0] << 8 | data[1]) & low & 0xFFFC, 0, "unused bits, %d-bit" % bits)


@test
def model_soft_reset_keeps_heater():
    m = HTU21DModel()
    assert m.i2c_write(bytes([0xE6, 0x81 | 0x04 | 0x02]))
    assert m.i2c_write(b"\xfe")
    eq(m.i2c_write(b"\xe7"), False, "NACK while rebooting")
    wait_ms(16)
    assert m.i2c_write(b"\xe7")
    eq(m.i2c_read(1)[0], 0x06, "defaults, heater kept")


@test
def model_heater_warms():
    m = HTU21DModel(temperature=20.0)
    data, _ = measure(m, 0xF3)
    cold = htu21d_mc.temperature_from(data[0] << 8 | data[1])
    assert m.i2c_write(bytes([0xE6, 0x06]))
    data, _ = measure(m, 0xF3)
    warm = htu21d_mc.temperature_from(data[0] << 8 | data[1])
    near(warm - cold, model_mod.HEATER_RISE, 0.03, "heater rise")


@test
def model_faults():
    m = HTU21DModel()
    m.corrupt_crc = 1
    data, _ = measure(m, 0xF3)
    if model_mod.crc8(data[:2]) == data[2]:
        raise AssertionError("corrupt_crc gave a good CRC")
    data, _ = measure(m, 0xF3)
    eq(model_mod.crc8(data[:2]), data[2], "next CRC good again")
    m.bus_errors = 2
    e = raises(OSError, m.i2c_write, b"\xe7")
    eq(e.args[0], errno.EIO, "errno")
    raises(OSError, m.i2c_read, 1)
    assert m.i2c_write(b"\xe7")
    m.power_off()
    eq(m.i2c_write(b"\xe7"), False, "powered off: NACK")
    eq(m.i2c_read(1), None, "powered off: NACK")
    m.power_on()
    eq(m.i2c_write(b"\xe7"), False, "booting: NACK")
    wait_ms(16)
    assert m.i2c_write(b"\xe7")
    e = raises(OSError, m.i2c_write, b"\xe3")
    eq(e.args[0], errno.EIO, "hold master command refused")
    eq(len(m.violations), 1, "violation recorded")


ptest.main()
