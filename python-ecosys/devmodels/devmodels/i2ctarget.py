"""machine.I2CTarget: this board as a device on an I2C bus (MicroPython's current API).

The target attaches itself to the modelled bus `id` (and, when scl and sda are given, to the
SoftI2C bus on those pins), so a controller made in the same program, `I2C(id)` standing for
the other board, reaches it at `addr`. Two ways to serve, as on a board:

- `mem=` a buffer: the controller's first bytes of a write select the memory address
  (`mem_addrsize` bits), the rest are stored from there; reads return memory from the
  address on. Addresses wrap around the buffer.
- no `mem`: bytes the controller writes queue up for `readinto()` (an IRQ_WRITE_REQ handler
  per byte may take them at once); a read takes bytes queued with `write()`, firing
  IRQ_READ_REQ whenever the queue is empty (a handler then calls `write()`); missing bytes
  read as 0xFF.

Handlers run synchronously, inside the controller's call: `i2c_target.irq().flags()` tells
the event. IRQ_READ_REQ fires once per byte needed (some ports ask one byte ahead).
"""

from . import machine

_NOT_GIVEN = object()


class _Irq:
    def __init__(self, handler, trigger, hard):
        self.handler = handler
        self.trig = trigger
        self.hard = hard
        self.last = 0

    def flags(self):
        return self.last

    def trigger(self):
        return self.trig


class I2CTarget:
    IRQ_ADDR_MATCH_READ = 1
    IRQ_ADDR_MATCH_WRITE = 2
    IRQ_READ_REQ = 4
    IRQ_WRITE_REQ = 8
    IRQ_END_READ = 16
    IRQ_END_WRITE = 32

    def __init__(
        self, id=0, addr=None, *, addrsize=7, mem=None, mem_addrsize=8, scl=None, sda=None
    ):
        if addr is None:
            raise TypeError("I2CTarget needs addr")
        if mem_addrsize not in (8, 16, 24, 32):
            raise ValueError("mem_addrsize must be 8, 16, 24 or 32")
        self.mem = mem
        self.mem_addrsize = mem_addrsize
        self.memaddr = 0  # the address the controller selected last
        self._ptr = 0  # where the next memory byte comes from or goes to
        self._rx = bytearray()  # written by the controller, for readinto()
        self._tx = bytearray()  # queued by write(), for the controller's reads
        self._irq = _Irq(None, 0, False)
        self._buses = [machine.I2C(id)]
        if scl is not None and sda is not None:
            self._buses.append(machine.SoftI2C(scl, sda))
        self.addr = addr
        for bus in self._buses:
            bus.attach(addr, self)

    def deinit(self):
        for bus in self._buses:
            if bus.device(self.addr) is self:
                bus.detach(self.addr)

    def irq(self, handler=_NOT_GIVEN, trigger=IRQ_END_READ | IRQ_END_WRITE, hard=False):
        if handler is _NOT_GIVEN:
            return self._irq
        self._irq = _Irq(handler, trigger, hard)
        return self._irq

    def readinto(self, buf):
        n = min(len(buf), len(self._rx))
        buf[:n] = self._rx[:n]
        self._rx = self._rx[n:]
        return n

    def write(self, buf):
        self._tx += buf
        return len(buf)

    def _event(self, flag):
        irq = self._irq
        if irq.handler is not None and irq.trig & flag:
            irq.last = flag
            irq.handler(self)

    # -- the device protocol the modelled bus speaks ---------------------------------------

    def i2c_write(self, data):
        self._event(self.IRQ_ADDR_MATCH_WRITE)
        mem = self.mem
        if mem is None:
            for b in data:
                self._rx.append(b)
                self._event(self.IRQ_WRITE_REQ)
            self._event(self.IRQ_END_WRITE)
            return True
        n = self.mem_addrsize // 8
        if len(data) >= n:
            addr = 0
            for b in data[:n]:
                addr = (addr << 8) | b
            self.memaddr = addr
            self._ptr = addr % len(mem)
            for b in data[n:]:
                mem[self._ptr] = b
                self._ptr = (self._ptr + 1) % len(mem)
        if len(data) != n:  # no END_WRITE for a write that only selects the address
            self._event(self.IRQ_END_WRITE)
        return True

    def i2c_read(self, n):
        self._event(self.IRQ_ADDR_MATCH_READ)
        out = bytearray()
        mem = self.mem
        for _ in range(n):
            if mem is not None:
                out.append(mem[self._ptr])
                self._ptr = (self._ptr + 1) % len(mem)
                continue
            if not self._tx:
                self._event(self.IRQ_READ_REQ)
            if self._tx:
                out.append(self._tx[0])
                self._tx = self._tx[1:]
            else:
                out.append(0xFF)
        self._event(self.IRQ_END_READ)
        return bytes(out)
