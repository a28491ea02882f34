"""machine.UART on a modelled serial line, and the device's end of it (`uart.peer`).

A line per UART id, shared by every `UART(id)`: the application uses the UART as on a board
(read, readinto, readline, write, any, or `asyncio.StreamReader(uart)` on MicroPython's
asyncio and on fast_io); the device model holds the other end, `UART(id).peer`:

    peer = UART(1).peer
    peer.write(b"$GPRMC,...\\r\\n")       # reaches the application at the baud rate's pace
    line = await peer.recv_line()        # what the application sent (a command)

Bytes travel one character time apart (start bit, data bits, parity, stop bits at the
sender's baud rate) on the scheduler's clock: at 9600 baud a byte arrives every 1.04 ms, in
virtual time too. The application's receive buffer holds `rxbuf` bytes (256 by default):
bytes arriving while it is full are lost (counted in `peer.lost`), as on a board.

On CPython's own asyncio, whose StreamReader reads from a transport rather than from a stream
object, an application gets the same coroutines from `devmodels.uart.stream(uart)`; on
MicroPython and on fast_io that function returns `asyncio.StreamReader(uart)` itself.

Waiting readers under fast_io's VirtualClock: the poller asks the UART whether bytes are
there, but only a sleeping task makes virtual time move. So each write made on a line starts
a small task that sleeps until the end of each line ("\\n") in it and until its last byte:
the application's StreamReader sees those bytes at their exact time.

Faults: `peer.silent = True` (the device stops talking: what it writes is lost), a baud rate
mismatch (`peer.baudrate` set and more than 5 % away from the application's: bytes arrive
garbled), an overrun (the application reads too slowly), line noise (the model writes
garbage with `peer.write`).
"""

import sys

from . import clock
from .machine import _on_reset

if sys.implementation.name == "micropython":
    import io

    _Stream = io.IOBase  # select.poll (MicroPython's asyncio) then takes the object
else:
    _Stream = object

_MP_STREAM_POLL = 3
_POLLIN = 1
_POLLOUT = 4

_ports = {}  # UART id -> _Port


def _reset():
    _ports.clear()


_on_reset(_reset)


def _bytes(data):
    # A board's UART takes str too (as UTF-8).
    return data.encode() if isinstance(data, str) else bytes(data)


def _garble(data):
    # What a receiver at the wrong baud rate makes of the bytes: a fixed scramble, so tests
    # can tell it from the real data and from nothing.
    return bytes(((b * 7) ^ 0xA5) & 0xFF for b in data)


class _Wire:
    """One direction of the line. `buf` holds bytes sent and not yet read; the first `ready`
    have arrived, the rest are in flight, the first of them started at t0 (a now_ms()
    reading) plus t0_us microseconds."""

    def __init__(self, size):
        self.buf = bytearray()
        self.ready = 0
        self.t0 = 0
        self.t0_us = 0
        self.char_us = 1042
        self.size = size
        self.lost = 0
        self.unpaced = False  # bytes sent outside a running loop: no pacer yet
        self._event = None

    def arrive(self):
        flight = len(self.buf) - self.ready
        if not flight:
            return
        elapsed_us = clock.diff_ms(clock.now_ms(), self.t0) * 1000 - self.t0_us
        k = elapsed_us // self.char_us
        if k <= 0:
            return
        if k > flight:
            k = flight
        room = self.size - self.ready
        if k > room:  # overrun: what does not fit in the receive buffer is lost
            room = max(room, 0)
            self.buf = self.buf[: self.ready + room] + self.buf[self.ready + k :]
            self.lost += k - room
            self.ready += room
        else:
            self.ready += k
        us = self.t0_us + k * self.char_us
        self.t0 = clock.add_ms(self.t0, us // 1000)
        self.t0_us = us % 1000

    def due(self, count):
        """When `count` bytes will have arrived (a now_ms() reading; count <= len(buf))."""
        us = self.t0_us + (count - self.ready) * self.char_us
        return clock.add_ms(self.t0, (us + 999) // 1000)

    def send(self, data):
        self.arrive()
        if len(self.buf) == self.ready:  # the line was idle: this starts now
            self.t0 = clock.now_ms()
            self.t0_us = 0
        first = len(self.buf)
        self.buf += data
        if self._event is not None:
            self._event.set()
        # Times the pacer sleeps to: the end of each line in `data`, and its last byte.
        times = []
        i = bytes(data).find(b"\n")
        while i >= 0:
            times.append(self.due(first + i + 1))
            i = bytes(data).find(b"\n", i + 1)
        if data:
            times.append(self.due(first + len(data)))
        if clock.running():
            clock.spawn(_pace(times))
        else:
            self.unpaced = True

    def pace(self, polled=False):
        # Start the pacer that send() could not, now that the loop runs. `polled`: called by
        # the loop's poller (ioctl), where no task is current but create_task() works.
        if self.unpaced and (polled or clock.running()):
            self.unpaced = False
            self.arrive()
            if len(self.buf) > self.ready:
                clock._aio().create_task(_pace([self.due(len(self.buf))]))

    def available(self):
        self.arrive()
        return self.ready

    def take(self, n=-1):
        self.arrive()
        if n < 0 or n > self.ready:
            n = self.ready
        data = bytes(self.buf[:n])
        self.buf = self.buf[n:]
        self.ready -= n
        return data

    def take_line(self):
        self.arrive()
        i = bytes(self.buf[: self.ready]).find(b"\n")
        return self.take(self.ready if i < 0 else i + 1)

    def event(self):
        if self._event is None:
            self._event = clock._aio().Event()
        return self._event

    async def wait(self, count):
        """Wait until `count` bytes have arrived, or at least one when count is 0 (a line:
        until a "\\n" has arrived)."""
        while True:
            self.arrive()
            if count:
                if self.ready >= count:
                    return
                target = count if len(self.buf) >= count else len(self.buf)
            else:
                nl = bytes(self.buf).find(b"\n")
                if 0 <= nl < self.ready:
                    return
                target = nl + 1 if nl >= 0 else len(self.buf)
            if target > self.ready:
                await clock.sleep_until(self.due(target))
            else:
                ev = self.event()
                ev.clear()
                await ev.wait()


async def _pace(times):
    for t in times:
        await clock.sleep_until(t)


class _Port:
    def __init__(self, id):
        self.id = id
        self.rx = _Wire(256)  # device -> application
        self.tx = _Wire(1 << 16)  # application -> device
        self.baudrate = 9600
        self.frame_bits = 10  # start, 8 data, stop
        self.peer = Peer(self)
        self.timing()

    def timing(self):
        app = self.baudrate
        dev = self.peer._baudrate or app
        # Each direction runs at its sender's rate.
        self.rx.char_us = (self.frame_bits * 1000000 + dev // 2) // dev
        self.tx.char_us = (self.frame_bits * 1000000 + app // 2) // app
        self.mismatch = abs(dev - app) * 20 > app


def _port(id):
    port = _ports.get(id)
    if port is None:
        port = _ports[id] = _Port(id)
    return port


class UART(_Stream):
    """machine.UART on the line `id`. `UART(id)` alone takes the line as it is configured;
    with settings it configures it (as `init`). Flow control, inversion and timeouts are
    accepted and not modelled: reads never block (they return None when nothing has
    arrived), writes never block, flush() returns at once."""

    def __init__(self, id, *args, **kw):
        self._port = _port(id)
        if args or kw:
            self.init(*args, **kw)
        clock.kick()

    def init(
        self,
        baudrate=9600,
        bits=8,
        parity=None,
        stop=1,
        *,
        rxbuf=256,
        **kw,
    ):
        if bits not in (5, 6, 7, 8, 9) or stop not in (1, 2) or parity not in (None, 0, 1):
            raise ValueError("invalid UART setting")
        if baudrate <= 0:
            raise ValueError("invalid baud rate %r" % (baudrate,))
        port = self._port
        port.baudrate = baudrate
        port.frame_bits = 1 + bits + (0 if parity is None else 1) + stop
        port.rx.size = rxbuf
        port.timing()

    def deinit(self):
        pass

    @property
    def peer(self):
        """The device's end of the line (see Peer)."""
        return self._port.peer

    def any(self):
        self._port.rx.pace()
        return self._port.rx.available()

    def read(self, nbytes=-1):
        rx = self._port.rx
        rx.pace()
        return rx.take(nbytes) if rx.available() else None

    def readinto(self, buf, nbytes=-1):
        rx = self._port.rx
        rx.pace()
        if not rx.available():
            return None
        n = len(buf) if nbytes < 0 else min(nbytes, len(buf))
        data = rx.take(n)
        buf[: len(data)] = data
        return len(data)

    def readline(self):
        rx = self._port.rx
        rx.pace()
        return rx.take_line() if rx.available() else None

    def write(self, buf):
        port = self._port
        data = _bytes(buf)
        port.tx.send(_garble(data) if port.mismatch else data)
        return len(data)

    def txdone(self):
        tx = self._port.tx
        tx.arrive()
        return len(tx.buf) == tx.ready

    def flush(self):
        pass

    def sendbreak(self):
        pass

    def ioctl(self, req, arg):
        # MicroPython's stream protocol: only polling is supported; -1 for the rest tells
        # select.poll that there is no file descriptor behind this stream.
        if req != _MP_STREAM_POLL:
            return -1
        ready = 0
        self._port.rx.pace(True)
        if arg & _POLLIN and self.any():
            ready |= _POLLIN
        if arg & _POLLOUT:
            ready |= _POLLOUT
        return ready


class Peer:
    """The device's end of a UART line: what the model writes reaches the application, what
    the application writes can be read here.

    `baudrate`: None (the default) runs at the application's rate; a number sets the
    device's own, and a mismatch of more than 5 % garbles the bytes both ways.
    `silent`: True drops what the model writes (a device that went quiet).
    `lost`: bytes the application's receive buffer could not take.
    """

    def __init__(self, port):
        self._port = port
        self._baudrate = None
        self.silent = False

    @property
    def baudrate(self):
        return self._baudrate

    @baudrate.setter
    def baudrate(self, value):
        self._baudrate = value
        self._port.timing()

    @property
    def lost(self):
        rx = self._port.rx
        rx.arrive()
        return rx.lost

    def write(self, data):
        """Send `data` to the application (queued: returns at once)."""
        port = self._port
        data = _bytes(data)
        if not self.silent:
            port.rx.send(_garble(data) if port.mismatch else data)
        return len(data)

    async def drain(self):
        """Wait until everything written has reached the application."""
        rx = self._port.rx
        rx.arrive()
        if len(rx.buf) > rx.ready:
            await clock.sleep_until(rx.due(len(rx.buf)))

    def any(self):
        return self._port.tx.available()

    def read(self, n=-1):
        """What the application sent that has arrived (b"" if nothing)."""
        return self._port.tx.take(n)

    def readline(self):
        return self._port.tx.take_line()

    async def recv(self, n):
        """Wait for `n` bytes from the application."""
        await self._port.tx.wait(n)
        return self._port.tx.take(n)

    async def recv_line(self):
        """Wait for a line ("\\n" included) from the application."""
        await self._port.tx.wait(0)
        return self._port.tx.take_line()


def stream(uart):
    """What an application reads and writes the UART through: `asyncio.StreamReader(uart)`
    on MicroPython's asyncio and on fast_io; on CPython's own asyncio (which cannot poll a
    stream object) an object with the same coroutines."""
    asyncio = clock._aio()  # uasyncio on MicroPython 1.20
    if hasattr(asyncio, "ticks"):  # MicroPython's asyncio or fast_io
        return asyncio.StreamReader(uart)
    return AsyncStream(uart)


class AsyncStream:
    """MicroPython's StreamReader/StreamWriter API over a modelled UART, for CPython's
    asyncio: read, readinto, readexactly, readline, write, drain, awrite, close,
    wait_closed."""

    def __init__(self, uart):
        self.s = uart
        self._rx = uart._port.rx

    async def read(self, n=-1):
        await self._rx.wait(1)
        return self._rx.take(n)

    async def readinto(self, buf):
        await self._rx.wait(1)
        data = self._rx.take(len(buf))
        buf[: len(data)] = data
        return len(data)

    async def readexactly(self, n):
        await self._rx.wait(n)
        return self._rx.take(n)

    async def readline(self):
        await self._rx.wait(0)
        return self._rx.take_line()

    def write(self, buf):
        self.s.write(buf)

    async def drain(self):
        await clock.sleep_ms(0)

    async def awrite(self, buf, off=0, sz=-1):
        buf = memoryview(buf)[off:] if sz < 0 else memoryview(buf)[off : off + sz]
        self.write(buf)
        await self.drain()

    def close(self):
        pass

    async def wait_closed(self):
        pass
