"""as_rwGPS: commands to MediaTek (MTK3329/MTK3339) GPS receivers, on top of as_GPS.

Hardware: the receiver's TX and RX on a UART (Adafruit Ultimate GPS, GlobalTop PA6H and
other MTK modules). `GPS` reads NMEA like as_GPS.AS_GPS and writes PMTK commands through
`swriter` (an asyncio StreamWriter, or the same stream object the reader uses).

Dependencies: as_GPS (package gps).

Quick start (inside the application's main coroutine):

    stream = asyncio.StreamReader(uart)           # MicroPython: one stream both ways
    gps = GPS(stream, stream, local_offset=1)
    await gps.update_interval(200)                # 5 fixes a second
    await gps.enable(gsv=0)                       # no GSV sentences
    print(await gps.firmware())

The protocol: a command is `$PMTK<number>,<args>*<checksum>\\r\\n` (two upper-case hex
digits, the XOR of the characters between `$` and `*`). The receiver answers most commands
with `$PMTK001,<number>,<flag>`: 3 done, 2 valid but failed, 1 unsupported, 0 invalid.
Restarts answer with `$PMTK010,001` (startup), the firmware query with `$PMTK705,...`, the
sentence query with `$PMTK514,...`; antenna reports (GlobalTop `$PGCMD,33,1`) arrive as
`$PGTOP,11,<status>` with each fix.

Results: every command method waits for its answer (at most `timeout_ms`, 2000 by default;
the first antenna report one update interval longer) and returns on success; otherwise it
raises MTKUnsupported (flag 1), MTKError (flag 0 or 2; `.flag` says which) or MTKTimeout (no
answer). All three are MTKError, whose `.command` is the command number. Commands are sent
one at a time (a Lock), so answers cannot be confused.
"""

import asyncio

import as_GPS

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


# The original collection's command() constants
HOT_START = const(1)
WARM_START = const(2)
COLD_START = const(3)
FULL_COLD_START = const(4)
STANDBY = const(5)
DEFAULT_SENTENCES = const(6)
VERSION = const(7)
ENABLE = const(8)
ANTENNA = const(9)
NO_ANTENNA = const(10)

# PMTK001 flags
INVALID = const(0)
UNSUPPORTED = const(1)
FAILED = const(2)
DONE = const(3)

_BAUDS = (4800, 9600, 14400, 19200, 38400, 57600, 115200)
_WAIT_ACK = const(1)  # what _wait expects: an acknowledgement of a command number
_WAIT_STARTUP = const(2)  # $PMTK010,001
_WAIT_WAKE = const(3)  # $PMTK010,002
_WAIT_VERSION = const(4)  # $PMTK705
_WAIT_ENABLED = const(5)  # $PMTK514
_WAIT_ANTENNA = const(6)  # $PGTOP,11


class MTKError(Exception):
    """A command was refused or failed: `command` (its number), `flag` (0 invalid, 1
    unsupported, 2 failed; None when no answer came)."""

    def __init__(self, command, flag, message):
        super().__init__(message)
        self.command = command
        self.flag = flag


class MTKUnsupported(MTKError):
    pass


class MTKTimeout(MTKError):
    pass


def checksum(body):
    crc = 0
    for c in body:
        crc ^= c
    return crc


def sentence(body):
    """The full command line for a body such as b"PMTK220,200" (str or bytes)."""
    if isinstance(body, str):
        body = body.encode()
    return b"$" + body + b"*" + (b"%02X" % checksum(body)) + b"\r\n"


class GPS(as_GPS.AS_GPS):
    """as_GPS.AS_GPS with commands. `msg_cb(gps, segs, *msg_cb_args)` runs for each PMTK or
    PGTOP message received (segs: its str fields, the address first, as in the original)."""

    timeout_ms = 2000

    def __init__(
        self,
        sreader,
        swriter,
        local_offset=0,
        fix_cb=None,
        cb_mask=as_GPS.RMC,
        fix_cb_args=(),
        msg_cb=None,
        msg_cb_args=(),
    ):
        super().__init__(sreader, local_offset, fix_cb, cb_mask, fix_cb_args)
        self._swriter = swriter
        self._msg_cb = msg_cb
        self._msg_cb_args = msg_cb_args
        self.version = None  # the firmware's answer to the version query (list of str)
        self.enabled = None  # the answer to the sentence query (dict)
        self.antenna = 0  # the last PGTOP status: 1 short, 2 internal, 3 active antenna
        self._lock = None  # an asyncio.Lock, made on first use (inside the loop)
        self._answered = None  # an asyncio.Event set by parse() when the answer arrived
        self._waiting = 0  # _WAIT_... or 0
        self._waiting_cmd = 0
        self._answer = None

    # -- sending and waiting ---------------------------------------------------------------

    async def _write(self, line):
        w = self._swriter
        w.write(line)
        drain = getattr(w, "drain", None)
        if drain is not None:
            await drain()

    async def _exchange(self, body, wait, cmd=0, raw=None, timeout_ms=0):
        # Send one command (or raw bytes) and wait for the answer `wait` expects; returns it.
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            self._waiting = wait
            self._waiting_cmd = cmd
            self._answer = None
            if self._answered is None:
                self._answered = asyncio.Event()
            self._answered.clear()
            try:
                await self._write(raw or sentence(body))
                if wait:
                    timeout_ms = timeout_ms or self.timeout_ms
                    try:
                        await asyncio.wait_for(self._answered.wait(), timeout_ms / 1000)
                    except asyncio.TimeoutError:
                        raise MTKTimeout(
                            cmd, None, "no answer to %s in %d ms" % (body, timeout_ms)
                        ) from None
                return self._answer
            finally:
                self._waiting = 0

    async def _command(self, cmd, args=""):
        # A command answered by $PMTK001: returns on flag 3, raises otherwise.
        body = "PMTK%03d%s" % (cmd, args)
        flag = await self._exchange(body, _WAIT_ACK, cmd)
        if flag == DONE:
            return True
        if flag == UNSUPPORTED:
            raise MTKUnsupported(cmd, flag, "%s: unsupported command" % body)
        what = "failed" if flag == FAILED else "invalid command"
        raise MTKError(cmd, flag, "%s: %s" % (body, what))

    def parse(self, segs):
        # The receiver's answers and reports; everything else is not handled here.
        kind = segs[0]
        waiting = self._waiting
        answer = None
        if kind == "PMTK001" and len(segs) >= 3:
            if waiting == _WAIT_ACK and segs[1] == "%03d" % self._waiting_cmd:
                answer = int(segs[2])
        elif kind == "PMTK010" and len(segs) >= 2:
            if (waiting == _WAIT_STARTUP and segs[1] == "001") or (
                waiting == _WAIT_WAKE and segs[1] == "002"
            ):
                answer = segs[1]
        elif kind == "PMTK705":
            self.version = segs[1:]
            if waiting == _WAIT_VERSION:
                answer = self.version
        elif kind == "PMTK514" and len(segs) >= 20:
            names = ("gll", "rmc", "vtg", "gga", "gsa", "gsv")
            self.enabled = {name: int(segs[i + 1]) for i, name in enumerate(names)}
            self.enabled["zda"] = int(segs[18])
            self.enabled["chan"] = int(segs[19])
            if waiting == _WAIT_ENABLED:
                answer = self.enabled
        elif kind == "PGTOP" and len(segs) >= 3 and segs[1] == "11":
            self.antenna = int(segs[2])
            if waiting == _WAIT_ANTENNA:
                answer = self.antenna
        elif not kind.startswith("PMTK"):
            return False
        if answer is not None:
            self._answer = answer
            self._waiting = 0
            self._answered.set()
        if self._msg_cb is not None:
            self._msg_cb(self, segs, *self._msg_cb_args)
        return True

    # -- commands --------------------------------------------------------------------------

    async def update_interval(self, ms=1000):
        """Fixes every `ms` (100..10000)."""
        if not (100 <= ms <= 10000):
            raise ValueError("Invalid update interval %d ms." % ms)
        await self._command(220, ",%d" % ms)
        self._update_ms = ms  # for the timing drivers

    async def baudrate(self, value=9600):
        """Switch the receiver to `value` baud. It answers at the old rate; this returns
        10 ms later, and then the board's UART is set to the new rate (uart.init(...))."""
        if value not in _BAUDS:
            raise ValueError("Invalid baudrate %d." % value)
        await self._command(251, ",%d" % value)
        # The receiver switches once its answer is out: give it that moment before the
        # application switches its UART.
        await asyncio.sleep(0.01)

    async def enable(self, *, gll=0, rmc=1, vtg=1, gga=1, gsa=1, gsv=5, zda=0, chan=0):
        """Which sentences to send: each value is 0 (off) or 1..5 (once every n fixes)."""
        rates = (gll, rmc, vtg, gga, gsa, gsv)
        for v in rates + (zda, chan):
            if not (0 <= v <= 5):
                raise ValueError("Invalid sentence rate %r." % v)
        fields = list(rates) + [0] * 11 + [zda, chan]
        await self._command(314, "," + ",".join(str(v) for v in fields))

    async def default_sentences(self):
        await self._command(314, ",-1")

    async def query_sentences(self):
        """The receiver's sentence rates: {"gll": n, "rmc": n, ..., "zda": n, "chan": n}."""
        return await self._exchange("PMTK414", _WAIT_ENABLED, 414)

    async def firmware(self):
        """The firmware's answer to the version query: [release, build, model, sdk]."""
        return await self._exchange("PMTK605", _WAIT_VERSION, 605)

    async def antenna_reports(self, on=True):
        """Turn antenna status reports on (returns the first status: 1 short circuit, 2
        internal antenna, 3 active antenna) or off (returns None)."""
        if on:  # the first report comes with the next fix
            wait = self.timeout_ms + self._update_ms
            return await self._exchange("PGCMD,33,1", _WAIT_ANTENNA, 33, timeout_ms=wait)
        await self._exchange("PGCMD,33,0", 0)
        return None

    async def _restart(self, cmd):
        await self._exchange("PMTK%d" % cmd, _WAIT_STARTUP, cmd)
        return True

    async def hot_start(self):
        return await self._restart(101)

    async def warm_start(self):
        return await self._restart(102)

    async def cold_start(self):
        return await self._restart(103)

    async def full_cold_start(self):
        """Cold start and factory settings (1 Hz, default sentences)."""
        await self._restart(104)
        self._update_ms = 1000
        return True

    async def standby(self):
        """Stop until woken by wake() (or any byte sent to the receiver)."""
        await self._command(161, ",0")

    async def wake(self):
        """Wake the receiver from standby (any byte does; it answers $PMTK010,002)."""
        await self._exchange("wake", _WAIT_WAKE, raw=b"\r\n")

    async def command(self, cmd):
        """The original collection's fixed commands (HOT_START ... NO_ANTENNA)."""
        if cmd == HOT_START:
            return await self.hot_start()
        if cmd == WARM_START:
            return await self.warm_start()
        if cmd == COLD_START:
            return await self.cold_start()
        if cmd == FULL_COLD_START:
            return await self.full_cold_start()
        if cmd == STANDBY:
            return await self.standby()
        if cmd == DEFAULT_SENTENCES:
            return await self.default_sentences()
        if cmd == VERSION:
            return await self.firmware()
        if cmd == ENABLE:
            return await self.query_sentences()
        if cmd == ANTENNA:
            return await self.antenna_reports(True)
        if cmd == NO_ANTENNA:
            return await self.antenna_reports(False)
        raise ValueError("Invalid command %r." % cmd)
