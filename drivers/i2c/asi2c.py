"""asi2c: a stream link between two boards over I2C, the Responder end (and the shared core).

The Initiator board (asi2c_i) has its I2C interface in target (peripheral) mode; the
Responder board, this end, is an I2C controller (`machine.I2C` or `SoftI2C`: any board). Two
handshake lines: `sync`, driven by the Initiator, and `ack`, driven by the Responder. Each end
is a stream (bytes in, bytes out, both ways at once) for asyncio.StreamReader/StreamWriter.

An exchange, always started by the Initiator:
  1. the Initiator makes its frame ready in its target, then toggles `sync`;
  2. the Responder sees `sync` differ from `ack`, reads the frame's header, then its
     payload, writes its own header, then payload (four I2C transactions at most), and sets
     `ack` equal to `sync`;
  3. the Initiator sees `ack` equal `sync` and takes the Responder's frame from its target.
A frame: an 11-byte header, then `length` bytes of payload:
  flags (bit 0: the sender has not heard from this peer yet, FRESH; bit 1: it has more to
  send, MORE), session id (2 bytes, random per start), exchange id (set by the Initiator,
  echoed by the Responder), seq, exp, length (2 bytes), window (2 bytes), checksum
  (the low byte of the sum of the other 10 header bytes and the payload, XOR 0xA5).

Reliability, per direction, stop-and-wait: a chunk of the stream (at most `window` bytes the
receiver advertised, at most MAXLEN) carries `seq` and is sent again in every exchange until
the peer's header says `exp == seq + 1`; a receiver takes a chunk only when its seq is the one
it expects, so a chunk sent twice is taken once. A failed exchange (a frame that does not
check, a missing answer) changes nothing on either side, so the link resynchronises by simply
exchanging again, without losing or duplicating a byte that was acknowledged. A peer that
restarts picks a new session id: the other end then adopts its numbering.

Flow control: `window` is the room left in the sender's receive buffer; a writer whose peer has
no room holds off, and the peer's reader frees room by reading.
"""

import asyncio

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


try:
    import io

    _Base = io.IOBase  # MicroPython's select.poll then takes the object (asyncio streams)
except (ImportError, AttributeError):  # pragma: no cover
    _Base = object

HDR = const(11)
MAXLEN = const(128)  # payload bytes per frame
_FRESH = const(1)
_MORE = const(2)
_MP_STREAM_POLL = const(3)
_POLLIN = const(1)
_POLLOUT = const(4)


def _session_id():
    try:
        import os

        r = os.urandom(2)
        sid = (r[0] << 8) | r[1]
    except (ImportError, AttributeError, OSError, NotImplementedError):
        import time

        sid = time.ticks_us() & 0xFFFF
    return sid or 1


def check(frame, n):
    # The checksum of frame[:n] without its checksum byte (index 10).
    return ((sum(frame[0:10]) + sum(frame[HDR:n])) & 0xFF) ^ 0xA5


class Channel(_Base):
    """The stream and the protocol state shared by both ends. Not made directly."""

    rxbufsize = 512  # bytes received and not yet read that an end holds
    txbufsize = 512  # bytes written and not yet acknowledged that an end holds

    def __init__(self, own, rem, verbose):
        self._own = own  # our handshake line (output)
        self._rem = rem  # the peer's handshake line (input)
        self._verbose = verbose
        self._rx = bytearray()  # received, not yet read by the application
        self._tx = bytearray()  # written, not yet acknowledged; _inflight bytes are sent
        self._inflight = 0
        self._seq = 0  # the seq of our chunk in flight (or the next one)
        self._exp = 0  # the seq we expect next from the peer
        self._sid = _session_id()
        self._peer_sid = 0  # 0: we have not heard from a peer yet
        self._peer_win = 0  # room the peer advertised last
        self._peer_more = False
        self._ready = asyncio.ThreadSafeFlag()  # an edge on the peer's line
        self._wake = asyncio.ThreadSafeFlag()  # the application read or wrote
        self.errors = 0  # exchanges that failed (bad frame, no answer, bus error)
        self.exchanges = 0  # exchanges completed
        rem.irq(self._edge, trigger=rem.IRQ_RISING | rem.IRQ_FALLING)

    def _edge(self, pin):
        self._ready.set()

    # -- the stream ------------------------------------------------------------------------

    def read(self, n=-1):
        rx = self._rx
        if not rx:
            return None
        if n < 0 or n >= len(rx):
            self._rx = bytearray()
            data = bytes(rx)
        else:
            data = bytes(rx[:n])
            self._rx = rx[n:]
        self._wake.set()  # room for the peer: tell it soon
        return data

    def readinto(self, buf):
        data = self.read(len(buf))
        if data is None:
            return None
        buf[: len(data)] = data
        return len(data)

    def readline(self):
        rx = self._rx
        i = rx.find(b"\n")
        return self.read(-1 if i < 0 else i + 1)

    def write(self, buf):
        room = self.txbufsize - len(self._tx)
        if room <= 0:
            return None
        n = min(room, len(buf))
        self._tx.extend(buf[:n] if n < len(buf) else buf)
        self._wake.set()
        return n

    def any(self):
        return len(self._rx)

    def ioctl(self, req, arg):
        if req != _MP_STREAM_POLL:
            return -1
        ready = 0
        if arg & _POLLIN and self._rx:
            ready |= _POLLIN
        if arg & _POLLOUT and len(self._tx) < self.txbufsize:
            ready |= _POLLOUT
        return ready

    def close(self):
        pass

    # -- frames ------------------------------------------------------------------------------

    def _frame(self, xid):
        # Our next frame: the chunk in flight again, or a new one the peer has room for.
        n = self._inflight
        if not n:
            n = min(len(self._tx), self._peer_win, MAXLEN)
            self._inflight = n
        win = min(self.rxbufsize - len(self._rx), MAXLEN)
        win = max(win, 0)
        flags = 0 if self._peer_sid else _FRESH
        if len(self._tx) > n:
            flags |= _MORE
        sid = self._sid
        f = bytearray(HDR + n)
        f[0] = flags
        f[1] = sid >> 8
        f[2] = sid & 0xFF
        f[3] = xid
        f[4] = self._seq
        f[5] = self._exp
        f[6] = n >> 8
        f[7] = n & 0xFF
        f[8] = win >> 8
        f[9] = win & 0xFF
        f[HDR:] = self._tx[:n]
        f[10] = check(f, HDR + n)
        return f

    @staticmethod
    def _length(hdr):
        # The payload length a header announces, or -1 when the header cannot be one.
        n = (hdr[6] << 8) | hdr[7]
        if hdr[0] & ~(_FRESH | _MORE) or n > MAXLEN:
            return -1
        return n

    def _take(self, f):
        # A frame from the peer that checked: acknowledgements, its chunk, its window.
        flags = f[0]
        sid = (f[1] << 8) | f[2]
        seq = f[4]
        exp = f[5]
        n = (f[6] << 8) | f[7]
        if sid != self._peer_sid or flags & _FRESH:
            # A peer we have not heard from (or that has not heard from us): take up its
            # numbering. Its exp means nothing yet when it is FRESH.
            if self._peer_sid and sid != self._peer_sid and self._verbose:
                print("asi2c: the peer restarted")
            self._peer_sid = sid
            self._exp = seq
        if not flags & _FRESH and self._inflight and exp == (self._seq + 1) & 0xFF:
            self._tx = self._tx[self._inflight :]  # acknowledged
            self._inflight = 0
            self._seq = (self._seq + 1) & 0xFF
        if n and seq == self._exp and n <= self.rxbufsize - len(self._rx):
            self._rx.extend(f[HDR : HDR + n])
            self._exp = (self._exp + 1) & 0xFF
        self._peer_win = (f[8] << 8) | f[9]
        self._peer_more = bool(flags & _MORE)
        self.exchanges += 1


class Responder(Channel):
    """Responder(i2c, pin, pinack, verbose=True): the end with the I2C controller.

    i2c: a machine.I2C or SoftI2C; pin: input, the Initiator's `sync` line; pinack: output,
    the `ack` line. The Initiator's target address is `Responder.addr` (0x12 unless set
    before construction). Start it inside the running loop: it starts its task.
    """

    addr = 0x12
    retry_ms = 2  # after a failed exchange, before trying again

    def __init__(self, i2c, pin, pinack, verbose=True):
        super().__init__(pinack, pin, verbose)
        self._i2c = i2c
        self._hdr = bytearray(HDR)
        self._level = pin()  # ack's level (kept here: pinack may be write-only)
        pinack(self._level)  # in step with the Initiator: no exchange pending
        self._task = asyncio.create_task(self._run())

    def deinit(self):
        self._rem.irq(None)
        self._task.cancel()

    async def _run(self):
        rem = self._rem
        own = self._own
        while True:
            self._ready.clear()
            level = rem()
            if level == self._level:
                await self._ready.wait()
                continue
            try:
                done = self._exchange()
            except OSError:
                done = False
            if done:
                self._level = level
                own(level)
            else:
                self.errors += 1
                await asyncio.sleep_ms(self.retry_ms)
                continue
            await asyncio.sleep_ms(0)

    def _exchange(self):
        # One exchange, from the controller's side: False when the Initiator's frame does not
        # check (a glitch on sync, or its target not ready).
        i2c = self._i2c
        addr = self.addr
        hdr = self._hdr
        i2c.readfrom_into(addr, hdr)
        n = self._length(hdr)
        if n < 0:
            return False
        f = bytearray(HDR + n)
        f[:HDR] = hdr
        if n:
            f[HDR:] = i2c.readfrom(addr, n)
        if f[10] != check(f, HDR + n):
            return False
        self._take(f)
        out = self._frame(f[3])
        i2c.writeto(addr, out[:HDR])
        if len(out) > HDR:
            i2c.writeto(addr, out[HDR:])
        return True
