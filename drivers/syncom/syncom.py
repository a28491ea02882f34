"""syncom: a full-duplex link between two boards over four GPIO lines, bit-banged.

Each board drives two lines (its clock out and its data out) and reads the peer's two. No
interrupts, timers or UART: the link runs as one task that polls the clock line, so any two
boards with four free pins (or a board and a PC with GPIO) can talk. It carries messages:
strings, or Python objects serialised as JSON, so a MicroPython board and a CPython process
share them.

One bit each way per handshake (the protocol):
  the active end sets its data line, then toggles its clock;
  the passive end sees the change, reads the bit, sets its own data line, then copies the
  clock (its clock now equals the active's);
  the active end sees its clock come back, reads the passive's bit, and goes on.
Bytes go most significant bit first. Each end always sends: idle bytes (0x00) when it has
nothing to say, else frames:
  0x01, seq, length (2 bytes, big-endian), CRC-8 (polynomial 0x07) of seq and length,
  payload, CRC-8 of all that follows 0x01 (a damaged length is seen before the payload).
  seq counts frames (from a random start): a frame sent again after a restart
  that the receiver already delivered is dropped.
A receiver that sees a byte other than 0x00 or 0x01 between frames, or a bad CRC, has lost
step (noise on a clock line adds or removes a bit): it drops the frame, counts an error and
restarts the link. A frame is never delivered damaged.

Starting and restarting: an end sets both its lines low and stays silent for twice the
timeout, long enough for a running peer to time out too; then the active end waits for the
passive's clock to read low and starts clocking, while the passive end waits for the
active's first edge. Neither waits with a timeout for that first bit, so the ends may start
in any order. After it, a clock line that does not move for `timeout` ms means the peer is
dead: the link stops (`running()` is False), the user task is cancelled, `sig_reset` is
pulsed, the awaitable is awaited, and the link restarts. With timeout=0 nothing is timed:
the ends must then start cleanly and stay up. A frame interrupted by a restart is sent again
from its start afterwards.
"""

import asyncio
import json

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


try:
    from time import ticks_diff, ticks_ms
except ImportError:  # CPython
    import time as _time

    def ticks_ms():
        return int(_time.monotonic() * 1000)

    def ticks_diff(a, b):
        return a - b


_IDLE = const(0)
_SOH = const(1)
_MAX_LEN = const(65535)
_RESET_PULSE_MS = const(100)

# Receiver states
_HUNT = const(0)
_LEN_HI = const(1)
_LEN_LO = const(2)
_DATA = const(3)
_CRC = const(4)
_SEQ = const(5)
_HCRC = const(6)


def _random_byte():
    try:
        import os

        return os.urandom(1)[0]
    except (ImportError, AttributeError, OSError, NotImplementedError):
        return ticks_ms() & 0xFF


def _crc8(crc, byte):
    crc ^= byte
    for _ in range(8):
        crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _check_json(obj):
    # MicroPython's json writes what JSON cannot carry anyway (a set as "{1, 2}", an object
    # as "<object>", and reads some of it back wrongly): refuse it here, before the peer.
    if obj is None or isinstance(obj, (bool, int, str)):
        return
    if isinstance(obj, float):
        if obj != obj or obj in (float("inf"), float("-inf")):
            raise ValueError("JSON cannot carry %r" % (obj,))
        return
    if isinstance(obj, (list, tuple)):
        for x in obj:
            _check_json(x)
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError("JSON object keys are str, got %r" % (k,))
            _check_json(v)
        return
    raise TypeError("JSON cannot carry %s" % type(obj).__name__)


class _Timeout(Exception):
    pass


class _Resync(Exception):
    pass


class _Stopped(Exception):
    pass


class SynCom:
    """SynCom(passive, ckin, ckout, din, dout, sig_reset=None, timeout=0,
    string_mode=False, verbose=True)

    passive: True on one end, False on the other. ckin, din: input pins (the peer's clock and
    data out); ckout, dout: output pins. sig_reset: an output pin (or Signal) pulsed high for
    100 ms when the peer has timed out, e.g. wired to its reset. timeout: ms without a clock
    edge after which the peer counts as dead (0: never; give both ends the same value).
    string_mode: messages are str, sent as UTF-8; otherwise any object JSON can serialise.
    """

    def __init__(
        self,
        passive,
        ckin,
        ckout,
        din,
        dout,
        sig_reset=None,
        timeout=0,
        string_mode=False,
        verbose=True,
    ):
        self._passive = bool(passive)
        self._ckin = ckin
        self._ckout = ckout
        self._din = din
        self._dout = dout
        self._sig_reset = sig_reset
        self._timeout = timeout
        self._string_mode = string_mode
        self._verbose = verbose
        self._txq = []  # encoded payloads waiting; the first one is being sent
        self._rxq = []  # received objects, for await_obj()
        self._rx_event = None  # made in the running loop (CPython binds Events to a loop)
        self._running = False  # bits are flowing
        self._stop = False
        self._ck = 0  # our clock's level
        self._tx_i = 0  # the index of the next byte of the frame being sent
        self._tx_crc = 0
        self._tx_busy = False  # the byte being exchanged belongs to a frame
        # Frames are numbered, so that one sent again after a restart (the receiver may have
        # taken it before the sender saw its last bit go) is not delivered twice. A random
        # start: a restarted peer's first frame is not taken for its predecessor's last.
        self._tx_seq = _random_byte()
        self._rx_seq = 0
        self._rx_last = -1  # the seq of the frame delivered last
        self.errors = 0  # frames dropped: out of step, bad CRC, undecodable payload
        self.timeouts = 0  # times the peer went silent
        self.restarts = 0  # restarts for any reason
        self._rx_reset()

    # -- the application's side ------------------------------------------------------------

    def send(self, obj):
        """Queue `obj` for the peer (a str in string mode, else anything JSON serialises).
        Raises TypeError or ValueError at once, queuing nothing, if it cannot be sent."""
        if self._string_mode:
            if not isinstance(obj, str):
                raise TypeError("string mode sends str, got %s" % type(obj).__name__)
            data = obj.encode()
        else:
            _check_json(obj)
            data = json.dumps(obj).encode()
        if len(data) > _MAX_LEN:
            raise ValueError("message of %d bytes: at most %d" % (len(data), _MAX_LEN))
        self._txq.append(data)

    def any(self):
        """How many received messages wait to be read by await_obj()."""
        return len(self._rxq)

    def running(self):
        return self._running

    def stop(self):
        """Stop the link: start() returns soon after."""
        self._stop = True

    async def await_obj(self):
        """The next message from the peer (waits for it)."""
        while not self._rxq:
            ev = self._event()
            ev.clear()
            await ev.wait()
        return self._rxq.pop(0)

    def _event(self):
        if self._rx_event is None:
            self._rx_event = asyncio.Event()
        return self._rx_event

    async def start(self, user_task=None, awaitable=None):
        """Run the link until stop(). `user_task(self)`, a coroutine function, is started each
        time the link comes up and cancelled when it goes down. `awaitable`, a coroutine
        function (or an awaitable object, used once), is awaited after each timeout, before
        the link restarts: e.g. to wait for a peer that was reset to boot."""
        self._stop = False
        self._event()
        while not self._stop:
            task = None
            try:
                await self._sync()
                tx = self._next_tx()
                rx = await self._byte(tx, False)  # the first bit is not timed
                self._running = True
                if self._verbose:
                    print("syncom: link up")
                if user_task is not None:
                    task = asyncio.create_task(user_task(self))
                while True:
                    self._got(rx)
                    self._sent()
                    rx = await self._byte(self._next_tx(), True)
            except _Stopped:
                break
            except _Timeout:
                self.timeouts += 1
                if self._verbose:
                    print("syncom: peer timed out; restarting")
                await self._down(task)
                task = None
                await self._reset_peer(awaitable)
                if awaitable is not None and not callable(awaitable):
                    awaitable = None  # an awaitable object can only be awaited once
            except _Resync:
                if self._verbose:
                    print("syncom: out of step; restarting")
                await self._down(task)
                task = None
            except Exception as e:  # noqa: BLE001 (a bug or a bad pin: report, restart)
                self.errors += 1
                print("syncom: restarting after", repr(e))
                await self._down(task)
                task = None
                await asyncio.sleep(0.1)
            finally:
                if task is not None:
                    await self._down(task)
        self._running = False

    # -- the link ----------------------------------------------------------------------------

    async def _down(self, task):
        self._running = False
        self.restarts += 1
        if task is not None:
            task.cancel()
            try:
                await task
            except BaseException:  # noqa: BLE001 (the user task's end, whatever it is)
                pass

    async def _reset_peer(self, awaitable):
        if self._sig_reset is not None:
            self._sig_reset(1)
            await asyncio.sleep(_RESET_PULSE_MS / 1000)
            self._sig_reset(0)
        if awaitable is not None:
            await (awaitable() if callable(awaitable) else awaitable)

    async def _sync(self):
        # Both lines low, then silent long enough for a running peer to time out.
        self._ck = 0
        self._ckout(0)
        self._dout(0)
        self._rx_reset()
        self._tx_i = 0  # a frame cut short goes again from its start
        if self._timeout:
            t0 = ticks_ms()
            while ticks_diff(ticks_ms(), t0) < 2 * self._timeout:
                if self._stop:
                    raise _Stopped
                await asyncio.sleep(0.01)
        if not self._passive:
            while self._ckin():  # the passive end is not back at rest yet
                if self._stop:
                    raise _Stopped
                await asyncio.sleep(0)

    async def _wait(self, level, timed):
        # Until the peer's clock reads `level`.
        ckin = self._ckin
        t0 = ticks_ms()
        timeout = self._timeout if timed else 0
        while ckin() != level:
            await asyncio.sleep(0)
            if self._stop:
                raise _Stopped
            if timeout and ticks_diff(ticks_ms(), t0) > timeout:
                raise _Timeout

    async def _byte(self, tx, timed):
        # Exchange one byte each way; returns the byte received.
        ckin = self._ckin
        din = self._din
        dout = self._dout
        ckout = self._ckout
        ck = self._ck
        rx = 0
        passive = self._passive
        for i in range(7, -1, -1):
            if passive:
                if ckin() == ck:
                    await self._wait(ck ^ 1, timed)
                rx = (rx << 1) | din()
                dout((tx >> i) & 1)
                ck ^= 1
                self._ck = ck
                ckout(ck)
            else:
                dout((tx >> i) & 1)
                ck ^= 1
                self._ck = ck
                ckout(ck)
                if ckin() != ck:
                    await self._wait(ck, timed)
                rx = (rx << 1) | din()
            timed = True
        return rx

    # -- framing ---------------------------------------------------------------------------

    def _next_tx(self):
        # The next byte to send: from the frame at the head of the queue, or idle.
        self._tx_busy = bool(self._txq)
        if not self._tx_busy:
            return _IDLE
        data = self._txq[0]
        i = self._tx_i
        n = len(data)
        if i == 0:
            self._tx_crc = 0
            return _SOH
        if i == 1:
            b = self._tx_seq
        elif i == 2:
            b = n >> 8
        elif i == 3:
            b = n & 0xFF
        elif i == 4:
            b = self._tx_crc  # the header's own check: a damaged length is seen at once
        elif i < n + 5:
            b = data[i - 5]
        else:
            return self._tx_crc  # the last byte
        self._tx_crc = _crc8(self._tx_crc, b)
        return b

    def _sent(self):
        # The byte from _next_tx() has gone (a message queued meanwhile waits for the next).
        if not self._tx_busy:
            return
        self._tx_i += 1
        if self._tx_i > len(self._txq[0]) + 5:
            self._txq.pop(0)
            self._tx_i = 0
            self._tx_seq = (self._tx_seq + 1) & 0xFF

    def _rx_reset(self):
        self._rx_state = _HUNT
        self._rx_buf = bytearray()
        self._rx_len = 0
        self._rx_crc = 0

    def _got(self, b):
        state = self._rx_state
        if state == _HUNT:
            if b == _SOH:
                self._rx_state = _SEQ
                self._rx_crc = 0
            elif b != _IDLE:
                self._error()
            return
        if state == _CRC:
            if b != self._rx_crc:
                self._error()
                return
            if self._rx_seq != self._rx_last:  # else: sent again after a restart
                self._rx_last = self._rx_seq
                self._deliver(self._rx_buf)
            self._rx_reset()
            return
        crc = self._rx_crc
        self._rx_crc = _crc8(crc, b)
        if state == _SEQ:
            self._rx_seq = b
            self._rx_state = _LEN_HI
        elif state == _LEN_HI:
            self._rx_len = b << 8
            self._rx_state = _LEN_LO
        elif state == _LEN_LO:
            self._rx_len |= b
            self._rx_buf = bytearray()
            self._rx_state = _HCRC
        elif state == _HCRC:
            if b != crc:
                self._error()
                return
            self._rx_state = _DATA if self._rx_len else _CRC
        else:
            self._rx_buf.append(b)
            if len(self._rx_buf) == self._rx_len:
                self._rx_state = _CRC

    def _error(self):
        self.errors += 1
        self._rx_reset()
        if self._timeout:  # restarting brings the ends back into step
            raise _Resync

    def _deliver(self, payload):
        try:
            s = bytes(payload).decode()
            obj = s if self._string_mode else json.loads(s)
        except ValueError:  # not UTF-8, or not JSON (UnicodeError is a ValueError)
            self.errors += 1
            if self._verbose:
                print("syncom: dropped a message that does not decode")
            return
        self._rxq.append(obj)
        self._rx_event.set()
