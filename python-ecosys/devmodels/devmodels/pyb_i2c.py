"""pyb.I2C in peripheral mode: the Pyboard's older target-mode I2C interface, as a model.

`PybI2C(bus, addr=0x12)` attaches itself at `addr` on the modelled bus `bus` (machine.I2C(bus),
or a controller in another process through devmodels.wire). As on a Pyboard, the target side
blocks: `send(buf, timeout=ms)` waits for the controller to read (one read transaction takes
the buffer; bytes it asks beyond read 0xFF), `recv(n or buffer, timeout=ms)` waits for the
controller to write (one write transaction). While neither call is waiting, the address is not
acknowledged (the controller gets ENODEV). A wait that runs out raises OSError(ETIMEDOUT).
While it blocks, the model handles what the wires bring (devmodels.wire.pump), as a board's
peripheral keeps running while the CPU waits in the driver.
"""

import errno
import time

from . import machine, wire


class PybI2C:
    CONTROLLER = MASTER = 0
    PERIPHERAL = SLAVE = 1

    def __init__(self, bus=0, mode=PERIPHERAL, addr=0x12, **kw):
        self._out = None  # send(): the bytes the controller reads next
        self._want = 0  # recv(): how many bytes it takes; 0 when not receiving
        self._got = None
        self.addr = addr
        machine.I2C(bus).attach(addr, self)

    # Outside send() and recv() the peripheral holds SCL low after its address (clock
    # stretching, on by default): a controller's transaction waits until the CPU serves it.
    stretching = True

    def send(self, send, addr=0, *, timeout=5000):
        self._out = bytes([send]) if isinstance(send, int) else bytes(send)
        self.stretching = False
        try:
            self._wait(timeout, lambda: self._out is None)
        finally:
            self._out = None
            self.stretching = True

    def recv(self, recv, addr=0, *, timeout=5000):
        n = recv if isinstance(recv, int) else len(recv)
        self._got = None
        self._want = n
        self.stretching = False
        try:
            self._wait(timeout, lambda: self._got is not None)
        finally:
            self.stretching = True
            self._want = 0
        data, self._got = self._got, None
        if isinstance(recv, int):
            return data
        recv[:] = data
        return recv

    @staticmethod
    def _wait(timeout, done):
        t0 = time.ticks_ms()
        while not done():
            left = timeout - time.ticks_diff(time.ticks_ms(), t0)
            if left <= 0:
                raise OSError(errno.ETIMEDOUT)
            wire.pump(min(left, 10))
            if not wire._wires:  # nothing can come: time passes
                time.sleep_ms(min(left, 10))

    # -- the bus's side -------------------------------------------------------------------

    def i2c_read(self, n):
        out = self._out
        if out is None:
            return None  # not in send(): no acknowledge
        self._out = None
        return out[:n]

    def i2c_write(self, data):
        if not self._want:
            return False
        got = bytes(data[: self._want])
        self._got = got + b"\xff" * (self._want - len(got))
        return True
