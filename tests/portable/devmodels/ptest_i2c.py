# devmodels.machine.I2C: devices attach at addresses, absent ones are not acknowledged (ENODEV)
# as on a board, memory access is a register write then a read, faults on demand.
import errno

import ptest
from devmodels.machine import I2C, Pin, SoftI2C, reset
from ptest import eq, raises, test


class Registers:
    """A tiny register device: a write sets the register pointer (first byte) and stores the
    rest from there; a read returns bytes from the pointer on. Records every transaction."""

    def __init__(self, size=16):
        self.mem = bytearray(size)
        self.ptr = 0
        self.log = []

    def i2c_write(self, data):
        self.log.append(("w", bytes(data)))
        if data:
            self.ptr = data[0]
            for i, b in enumerate(data[1:]):
                self.mem[(self.ptr + i) % len(self.mem)] = b
        return True

    def i2c_read(self, n):
        self.log.append(("r", n))
        return bytes(self.mem[(self.ptr + i) % len(self.mem)] for i in range(n))


class Deaf:
    # Present on the bus, but acknowledges nothing.
    def i2c_write(self, data):
        return False

    def i2c_read(self, n):
        return None


class Short:
    def __init__(self, data):
        self.data = data

    def i2c_write(self, data):
        return True

    def i2c_read(self, n):
        return self.data


class Broken:
    def i2c_write(self, data):
        raise OSError(errno.EIO)

    def i2c_read(self, n):
        raise OSError(errno.EIO)


def code(e):
    eq(e.errno, e.args[0], "errno")
    return e.errno


@test
def scan_lists_the_devices_that_acknowledge():
    reset()
    i2c = I2C(0)
    i2c.attach(0x40, Registers())
    i2c.attach(0x27, Registers())
    i2c.attach(0x50, Deaf())
    eq(i2c.scan(), [0x27, 0x40], "scan")
    eq(i2c.device(0x40).log, [("w", b"")], "scan probes with an empty write")


@test
def an_absent_address_is_not_acknowledged():
    reset()
    i2c = I2C(0)
    i2c.attach(0x50, Deaf())
    for addr in (0x41, 0x50):
        for call in (
            lambda a=addr: i2c.writeto(a, b"\x01"),
            lambda a=addr: i2c.readfrom(a, 2),
            lambda a=addr: i2c.readfrom_mem(a, 0, 2),
            lambda a=addr: i2c.writeto_mem(a, 0, b"x"),
        ):
            eq(code(raises(OSError, call)), errno.ENODEV, "ENODEV at 0x%02x" % addr)


@test
def transactions_reach_the_device():
    reset()
    i2c = I2C(0)
    dev = i2c.attach(0x40, Registers())
    eq(i2c.writeto(0x40, b"\x02abc"), 4, "writeto counts acknowledged bytes")
    eq(bytes(dev.mem[2:5]), b"abc", "written from register 2")
    eq(i2c.readfrom_mem(0x40, 2, 3), b"abc", "readfrom_mem")
    eq(dev.log[-2:], [("w", b"\x02"), ("r", 3)], "register write, then read")
    i2c.writeto_mem(0x40, 8, bytearray(b"XY"))
    eq(dev.log[-1], ("w", b"\x08XY"), "writeto_mem is one write")
    buf = bytearray(2)
    i2c.readfrom_mem_into(0x40, 8, buf)
    eq(bytes(buf), b"XY", "readfrom_mem_into")
    i2c.writeto(0x40, b"\x09")
    eq(i2c.readfrom(0x40, 1), b"Y", "readfrom")
    buf = bytearray(3)
    i2c.readfrom_into(0x40, buf)
    eq(bytes(buf), b"Y\x00\x00", "readfrom_into")
    eq(i2c.writevto(0x40, [b"\x00", b"12", b"3"]), 4, "writevto")
    eq(dev.log[-1], ("w", b"\x00123"), "writevto is one transaction")
    i2c.readfrom_mem(0x40, 0x0102, 1, addrsize=16)
    eq(dev.log[-2], ("w", b"\x01\x02"), "16-bit memory address, high byte first")


@test
def short_reads_float_high_and_long_ones_are_a_model_error():
    reset()
    i2c = I2C(0)
    i2c.attach(0x10, Short(b"\x01"))
    eq(i2c.readfrom(0x10, 3), b"\x01\xff\xff", "missing bytes read as 0xFF")
    i2c.attach(0x10, Short(b"\x01\x02\x03"))
    raises(ValueError, i2c.readfrom, 0x10, 2)


@test
def a_device_may_raise_a_bus_error():
    reset()
    i2c = I2C(0)
    i2c.attach(0x11, Broken())
    eq(code(raises(OSError, i2c.readfrom, 0x11, 1)), errno.EIO, "EIO")


@test
def faults_on_demand():
    reset()
    i2c = I2C(0)
    dev = i2c.attach(0x40, Registers())
    i2c.fault(0x40, errno.EIO, count=2)
    for _ in range(2):
        eq(code(raises(OSError, i2c.readfrom, 0x40, 1)), errno.EIO, "EIO while the fault lasts")
    eq(dev.log, [], "a failed transaction does not reach the device")
    eq(i2c.readfrom(0x40, 1), b"\x00", "then it works again")
    i2c.fault(0x40, errno.ENODEV)
    eq(i2c.scan(), [], "a device that stopped answering is not found")
    eq(code(raises(OSError, i2c.writeto, 0x40, b"\x00")), errno.ENODEV, "ENODEV for ever")
    i2c.fault(0x40, None)
    eq(i2c.scan(), [0x40], "fault cleared")
    i2c.detach(0x40)
    eq(code(raises(OSError, i2c.readfrom, 0x40, 1)), errno.ENODEV, "detached: gone")


@test
def buses_are_shared_by_id():
    reset()
    I2C(1).attach(0x40, Registers())
    eq(I2C(1, scl=Pin(5), sda=Pin(4), freq=100000).scan(), [0x40], "same id, same bus")
    eq(I2C(0).scan(), [], "another id, another bus")
    SoftI2C(scl=Pin(5), sda=Pin(4)).attach(0x27, Registers())
    eq(SoftI2C(Pin(5), Pin(4)).scan(), [0x27], "SoftI2C: the same pins, the same bus")
    eq(SoftI2C(Pin(6), Pin(4)).scan(), [], "other pins, another bus")


@test
def bad_addresses_are_refused():
    reset()
    i2c = I2C(0)
    raises(ValueError, i2c.attach, 0x80, Registers())
    raises(ValueError, i2c.readfrom, -1, 1)
    raises(ValueError, i2c.writeto, "x", b"")


@test
def reset_forgets_the_devices():
    I2C(0).attach(0x40, Registers())
    reset()
    eq(I2C(0).scan(), [], "empty bus")


ptest.main()
