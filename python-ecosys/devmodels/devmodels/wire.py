"""Wires between two processes: pin lines and an I2C bus carried over a TCP socket.

Two MicroPython processes, each with its own scheduler and its own devmodels board, stand for
two boards wired together. A `Wire` in each process joins them over a socket on 127.0.0.1, so
the timing and interleaving between the two ends are real, not simulated in one loop:

- a pin line is a pin id both processes use. The process that drives it lists it in `outs`,
  the other in `ins`: every level change of an out line (the application's writes, a fault)
  is sent, and the peer drives its own line of that id to the same level (its irq handlers
  run then). When the peer goes away (killed, reset), its lines are let go, as the pins of a
  board in reset are: they float, or follow their pull.
- an I2C bus with roles: the process with the controller calls `wire.controller(addr)`, which
  attaches a stand-in at `addr` on its bus `I2C(bus)`; each transaction with it crosses the
  socket, is played on the peer's bus `I2C(bus)` (where the target model, I2CTarget or any
  device model, is attached), and the answer comes back. The controller waits for it, as a
  board's I2C call waits for the bus: up to `timeout_ms` (clock stretching), then
  OSError(ETIMEDOUT); no peer answers ENODEV.

Messages on the socket: one byte kind, two bytes length (big-endian), the payload.
  P  level, pin id (text)               a line's level
  W  address, data                      a write transaction; answered by w: status
  R  address, n (2 bytes)               a read transaction; answered by r: status, data
Status 0: done; otherwise the errno the peer's bus raised (ENODEV for no acknowledge).

One end listens (`await wire.listen(port)`) and serves one peer at a time, again after a
peer goes; the other connects (`await wire.connect(port)`), retrying until it gets through
and again after losing the peer. MicroPython only: it polls the socket with select.poll and
reads it through asyncio's StreamReader, which has no buffer of its own there.
"""

import errno

from . import machine

_P = 0x50  # "P"
_W = 0x57
_R = 0x52
_WR = 0x77  # "w"
_RR = 0x72  # "r"

_wires = []  # live Wire objects, for pump()


def pump(timeout_ms=0):
    """Handle what has arrived on every wire, waiting up to `timeout_ms` for something: for
    models that block, as pyb.I2C's peripheral send and recv do on a board."""
    for w in _wires:
        w._pump(timeout_ms)


class Wire:
    def __init__(self, outs=(), ins=(), bus=0, timeout_ms=100):
        self.outs = list(outs)
        self.ins = list(ins)
        self.bus = bus
        self.timeout_ms = timeout_ms
        self._sock = None  # the connected socket, or None
        self._buf = bytearray()  # received, not yet handled
        self._held = []  # transactions waiting for a clock-stretching target (see _handle)
        self._reply = None  # the answer to the transaction in progress
        self._stop = False
        self.connections = 0  # how many peers have come so far
        for id in self.outs:
            machine.Pin(id).watch(self._changed)
        _wires.append(self)

    # -- connecting ------------------------------------------------------------------------

    async def listen(self, port, host="127.0.0.1"):
        """Serve peers on host:port, one at a time. Returns once listening."""
        import asyncio

        self._server = await asyncio.start_server(self._serve, host, port)

    async def _serve(self, reader, writer):
        if self._sock is not None:  # one peer at a time
            reader.s.close()
            return
        await self._run(reader)

    async def connect(self, port, host="127.0.0.1"):
        """Connect to host:port in the background: retry until it gets through, and again
        after losing the peer. Returns at once."""
        import asyncio

        self._task = asyncio.create_task(self._connector(host, port))

    async def _connector(self, host, port):
        import asyncio

        while not self._stop:
            try:
                reader, _ = await asyncio.open_connection(host, port)
            except OSError:
                await asyncio.sleep_ms(20)
                continue
            await self._run(reader)
            await asyncio.sleep_ms(20)

    async def _run(self, reader):
        sock = reader.s
        try:  # no Nagle delay: every level change goes at once (IPPROTO_TCP, TCP_NODELAY)
            sock.setsockopt(6, 1, 1)
        except (OSError, AttributeError):
            pass
        self._sock = sock
        self._buf = bytearray()
        try:
            # The new peer learns the levels of our lines at once.
            for id in self.outs:
                self._send_level(machine.Pin(id))
            while self._sock is not None and not self._stop:
                try:
                    data = await reader.read(4096)
                except OSError:
                    break
                if data is None:
                    continue
                if not data:
                    break
                self._feed(data)
        finally:
            self._lost()

    def _lost(self):
        sock, self._sock = self._sock, None
        if sock is not None:
            self.connections += 1
            try:
                sock.close()
            except OSError:
                pass
            # The peer's board is gone: its pins let go of our lines.
            for id in self.ins:
                machine.Pin(id).undrive()

    def connected(self):
        return self._sock is not None

    def close(self):
        self._stop = True
        self._lost()
        for id in self.outs:
            machine.Pin(id).unwatch(self._changed)
        if self in _wires:
            _wires.remove(self)
        server = getattr(self, "_server", None)
        if server is not None:
            server.close()
        task = getattr(self, "_task", None)
        if task is not None:
            task.cancel()

    # -- sending ---------------------------------------------------------------------------

    def _send(self, kind, payload):
        sock = self._sock
        if sock is None:
            return False
        n = len(payload)
        msg = bytes((kind, n >> 8, n & 0xFF)) + payload
        try:
            while msg:
                k = sock.write(msg)
                if k is None:  # the socket's buffer is full: wait for room
                    self._wait_writable()
                    continue
                msg = msg[k:]
        except OSError:
            self._lost()
            return False
        return True

    def _wait_writable(self):
        import select

        p = select.poll()
        p.register(self._sock, select.POLLOUT)
        p.poll(100)

    def _changed(self, pin):
        self._send_level(pin)

    def _send_level(self, pin):
        self._send(_P, bytes((pin.value(),)) + str(pin.id()).encode())

    # -- receiving -------------------------------------------------------------------------

    def _feed(self, data):
        buf = self._buf
        buf.extend(data)
        while len(buf) >= 3:
            n = (buf[1] << 8) | buf[2]
            if len(buf) < 3 + n:
                break
            kind = buf[0]
            payload = bytes(buf[3 : 3 + n])
            buf = buf[3 + n :]
            self._buf = buf
            self._handle(kind, payload)
            buf = self._buf
        self._buf = buf

    def _handle(self, kind, p):
        if kind == _P:
            id = p[1:].decode()
            for known in self.ins:
                if str(known) == id:
                    machine.Pin(known).drive(p[0])
            return
        if kind == _WR or kind == _RR:
            self._reply = p
            return
        # A transaction from the peer's controller, played on our bus.
        i2c = machine.I2C(self.bus)
        dev = i2c.device(p[0])
        if dev is not None and getattr(dev, "stretching", False):
            # A target that holds the clock until its CPU serves the bus (pyb.I2C outside
            # send()/recv()): the transaction waits, as the controller does on a board, and
            # is played when the target next serves (pump()).
            self._held.append((kind, p))
            return
        status = 0
        data = b""
        try:
            if kind == _W:
                i2c.writeto(p[0], p[1:])
            else:
                data = i2c.readfrom(p[0], (p[1] << 8) | p[2])
        except OSError as e:
            status = e.args[0] if e.args and isinstance(e.args[0], int) else errno.EIO
        self._send(_WR if kind == _W else _RR, bytes((status,)) + data)

    def _pump(self, timeout_ms):
        import select

        if self._held:
            kind, p = self._held.pop(0)
            self._handle(kind, p)
            return
        sock = self._sock
        if sock is None:
            return
        p = select.poll()
        p.register(sock, select.POLLIN)
        if not p.poll(timeout_ms):
            return
        try:
            data = sock.read(4096)
        except OSError:
            data = b""
        if data is None:
            return
        if not data:
            self._lost()
            return
        self._feed(data)

    # -- the controller's side of the I2C bus ----------------------------------------------

    def controller(self, addr):
        """Put a stand-in for the peer's target at `addr` on our bus I2C(bus): the
        application's transactions with `addr` go to the peer."""
        machine.I2C(self.bus).attach(addr, _Remote(self, addr))

    def _transact(self, kind, payload):
        import time

        self._reply = None
        if not self._send(kind, payload):
            return None  # no peer: no acknowledge
        t0 = time.ticks_ms()
        while self._reply is None:
            left = self.timeout_ms - time.ticks_diff(time.ticks_ms(), t0)
            if left <= 0 or self._sock is None:
                if self._sock is None:
                    return None
                raise OSError(errno.ETIMEDOUT)
            self._pump(left)
        reply, self._reply = self._reply, None
        if reply[0] == errno.ENODEV:
            return None
        if reply[0]:
            raise OSError(reply[0])
        return reply[1:]


class _Remote:
    # The peer's target as a device model on our bus.
    def __init__(self, wire, addr):
        self.wire = wire
        self.addr = addr

    def i2c_write(self, data):
        return self.wire._transact(_W, bytes((self.addr,)) + bytes(data)) is not None

    def i2c_read(self, n):
        return self.wire._transact(_R, bytes((self.addr, n >> 8, n & 0xFF)))
