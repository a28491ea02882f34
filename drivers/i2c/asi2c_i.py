"""asi2c_i: the Initiator end of the asi2c link (the board whose I2C is in target mode).

The Initiator starts every exchange (see asi2c for the protocol) and watches the link: an
exchange not answered within `timeout_ms` is a failure. Exchanges happen whenever either end
has something to say, and at least every `t_poll` ms otherwise, so a silent or crashed
Responder is detected within `t_poll + timeout_ms` ms. On a failure the Initiator runs
`cr_fail(*f_args)`, pulses the reset line when it has one, and goes on trying every `t_poll`
ms; the first exchange that works brings the link up again and starts `cr_go(*go_args)`.

The target-mode interface hides behind a port with two methods, so the same Initiator works
with MicroPython's `machine.I2CTarget` (rp2, esp32, stm32, mimxrt, ...) and with the Pyboard's
older `pyb.I2C` in peripheral mode:
  load(frame)          make `frame` what the controller reads next; forget what it wrote
  await serve(timeout) for blocking interfaces (pyb.I2C): play the controller's four
                       transactions; I2CTarget serves from its IRQ handler and does nothing here
and an attribute `rx`, the bytes the controller wrote.
"""

import asyncio
import time

from asi2c import HDR, Channel, check


class TargetPort:
    """machine.I2CTarget (no memory buffer): bytes go out and come in one at a time from
    the target's IRQ handler, a soft IRQ (it runs as a scheduled callback)."""

    def __init__(self, target):
        self._t = target
        self._tx = b""
        self._ti = 0
        self.rx = bytearray()
        self._one = bytearray(1)
        self._out = bytearray(1)
        target.irq(self._irq, trigger=target.IRQ_READ_REQ | target.IRQ_WRITE_REQ)

    def _irq(self, t):
        flags = t.irq().flags()
        if flags & t.IRQ_READ_REQ:
            i = self._ti
            self._out[0] = self._tx[i] if i < len(self._tx) else 0xFF
            self._ti = i + 1
            t.write(self._out)
        if flags & t.IRQ_WRITE_REQ:
            if t.readinto(self._one):
                self.rx.append(self._one[0])

    def load(self, frame):
        self._tx = frame
        self._ti = 0
        self.rx = bytearray()

    async def serve(self, timeout_ms):
        return True

    def deinit(self):
        self._t.irq(None)


class PybPort:
    """pyb.I2C in peripheral mode: send() and recv() block until the controller has made
    its transaction (or the timeout passes), so the exchange is played here, in order."""

    def __init__(self, i2c):
        self._i2c = i2c
        self._tx = b""
        self.rx = bytearray()

    def load(self, frame):
        self._tx = frame
        self.rx = bytearray()

    async def serve(self, timeout_ms):
        i2c = self._i2c
        tx = self._tx
        try:
            i2c.send(tx[:HDR], timeout=timeout_ms)
            if len(tx) > HDR:
                i2c.send(tx[HDR:], timeout=timeout_ms)
            hdr = bytearray(i2c.recv(HDR, timeout=timeout_ms))
            n = Channel._length(hdr)
            if n < 0:
                return False
            self.rx = hdr
            if n:
                self.rx.extend(i2c.recv(n, timeout=timeout_ms))
        except OSError:
            return False
        return True

    def deinit(self):
        pass


def port(i2c):
    """The port for a target-mode interface: I2CTarget, pyb.I2C, or a port already."""
    if hasattr(i2c, "load") and hasattr(i2c, "serve"):
        return i2c
    if hasattr(i2c, "IRQ_READ_REQ"):
        return TargetPort(i2c)
    if hasattr(i2c, "send") and hasattr(i2c, "recv"):
        return PybPort(i2c)
    raise TypeError("asi2c_i: %r is neither machine.I2CTarget nor pyb.I2C" % (i2c,))


class Initiator(Channel):
    """Initiator(i2c, pin, pinack, reset=None, verbose=True, cr_go=False, go_args=(),
    cr_fail=False, f_args=())

    i2c: a machine.I2CTarget at the address the Responder uses (asi2c.Responder.addr), or a
    pyb.I2C in peripheral mode; pin: output, the `sync` line; pinack: input, the `ack` line.
    reset: (pin, level, ms): the pin is driven to `level` for `ms` ms at start and after
    each failure, then to the other level (wire it to the Responder's reset).
    cr_go, cr_fail: coroutine functions (False: none), see the module's docstring.
    Start it inside the running loop: it starts its task.
    """

    timeout_ms = 100  # an exchange not answered within this has failed
    t_poll = 20  # ms between exchanges when neither end has anything to send

    def __init__(
        self,
        i2c,
        pin,
        pinack,
        reset=None,
        verbose=True,
        cr_go=False,
        go_args=(),
        cr_fail=False,
        f_args=(),
    ):
        super().__init__(pin, pinack, verbose)
        self._port = port(i2c)
        self._reset = reset
        self._cr_go = cr_go
        self._go_args = go_args
        self._cr_fail = cr_fail
        self._f_args = f_args
        self._level = 0
        pin(0)
        self._xid = 0
        self.up = False  # the last exchange worked
        self.failures = 0  # times the link went down
        self._task = asyncio.create_task(self._run())

    def deinit(self):
        self._rem.irq(None)
        self._port.deinit()
        self._task.cancel()

    async def _pulse_reset(self):
        pin, level, ms = self._reset
        pin(level)
        await asyncio.sleep_ms(ms)
        pin(not level)

    async def _run(self):
        if self._reset is not None:
            await self._pulse_reset()
        while True:
            rx_before = len(self._rx)
            ok = await self._exchange()
            if not ok:
                self.errors += 1
                if self.up:
                    self.up = False
                    self.failures += 1
                    if self._verbose:
                        print("asi2c_i: the Responder does not answer")
                    if self._cr_fail:
                        await self._cr_fail(*self._f_args)
                    if self._reset is not None:
                        await self._pulse_reset()
                await asyncio.sleep_ms(self.t_poll)
                continue
            if not self.up:
                self.up = True
                if self._verbose:
                    print("asi2c_i: link up")
                if self._cr_go:
                    asyncio.create_task(self._cr_go(*self._go_args))
            busy = (
                (self._peer_more and len(self._rx) < self.rxbufsize)
                or len(self._rx) > rx_before
                or (self._tx and (self._inflight or self._peer_win))
            )
            if busy:
                await asyncio.sleep_ms(0)
                continue
            try:
                await asyncio.wait_for_ms(self._wake.wait(), self.t_poll)
            except asyncio.TimeoutError:
                pass

    async def _exchange(self):
        xid = self._xid = (self._xid + 1) & 0xFF
        port = self._port
        port.load(self._frame(xid))
        self._ready.clear()
        self._level ^= 1
        self._own(self._level)
        t0 = time.ticks_ms()
        if not await port.serve(self.timeout_ms):
            return False
        while True:
            if self._rem() == self._level:
                found = self._find(port.rx, xid)
                if found is not None:
                    port.load(b"")  # a stray read (a glitch on sync) now gets 0xFF
                    if found is False:
                        return False
                    self._take(found)
                    return True
            left = self.timeout_ms - time.ticks_diff(time.ticks_ms(), t0)
            if left <= 0:
                port.load(b"")
                return False
            try:
                await asyncio.wait_for_ms(self._ready.wait(), left)
            except asyncio.TimeoutError:
                pass

    @staticmethod
    def _find(rx, xid):
        # The Responder's answer to exchange `xid` in what it wrote: the frame, None while
        # it is not all there, False when a frame does not check. An answer to an earlier
        # exchange (late, after that one failed) is passed over.
        i = 0
        while len(rx) - i >= HDR:
            n = Channel._length(rx[i : i + HDR])
            if n < 0:
                return False
            if len(rx) - i < HDR + n:
                return None
            f = rx[i : i + HDR + n]
            if f[10] != check(f, HDR + n):
                return False
            if f[3] == xid:
                return f
            i += HDR + n
        return None
