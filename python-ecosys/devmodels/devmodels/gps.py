"""A GNSS receiver model: NMEA sentences at the baud rate's pace, a PPS pulse, and answers to
MTK (PMTK) commands, for running GPS drivers and applications off-board.

    rx = GPSReceiver(port, pps=pin, baudrate=9600)
    task = asyncio.create_task(rx.run(epochs=5))   # five fixes, one per update interval
    ...
    await rx.command(b"$PMTK220,200*2C\\r\\n")  # or: asyncio.create_task(rx.serve(reader))

`port` is where the receiver's output goes: `UART(id).peer`, the device's end of a
`devmodels.machine.UART` line (which delivers each byte at the baud rate's pace, and from
which `serve()` reads commands), or any object with `write(bytes)` and optionally an
awaitable `drain()`, as an asyncio StreamWriter has (a TCP connection, a pseudo-terminal):
the model then waits the time each line's characters take on the wire (10 bits a
character) after writing it, so a reader sees lines arrive at a real receiver's pace.

Each epoch (every `update_ms`, 1000 by default): the PPS pin (a `devmodels.machine.Pin`, or
anything with `drive(level)`) is driven high at the start of the UTC second the sentences
describe (only in epochs that start a second: PPS is once a second) and low once they are
sent; then the enabled sentences follow, in the MTK order
(RMC, VTG, GGA, GSA, GSV, GLL, ZDA), then `$PGTOP,11,n` when antenna reports are on.
The model's UTC clock advances by `update_ms` per epoch. The receiver is the time
reference: its epochs follow the scheduler's clock exactly (a board clock with a drift is
modelled by the timing tests on the other side).

Commands (`command(line)`): a line with a bad or missing checksum is ignored, as a receiver
does. Otherwise `$PMTK001,<cmd>,<flag>` answers, flag 3 = done, 2 = valid but failed (e.g. an
update interval out of range), 1 = unsupported command, 0 = invalid (unparsable arguments).
`fail` ({command number: flag}) forces a PMTK001 answer and `silent` (a set of command
numbers) suppresses any answer and any effect, to test failures and timeouts. Supported:

| command | effect | answer |
|---|---|---|
| PMTK220,ms | update interval 100..10000 ms | PMTK001 |
| PMTK251,baud | baud rate (4800..115200) after the answer | PMTK001 |
| PMTK314,gll,rmc,vtg,gga,gsa,gsv,...,zda(17),chan(18) / PMTK314,-1 | sentence rates | PMTK001 |
| PMTK414 | query sentence rates | PMTK514,... |
| PMTK605 | firmware query | PMTK705,release,build,model,sdk |
| PMTK101/102/103/104 | hot/warm/cold/full cold start | PMTK010,001 (startup) |
| PMTK161,0 | standby: no output until a byte arrives | PMTK001, then PMTK010,002 on wake |
| PGCMD,33,1 / PGCMD,33,0 | antenna reports on/off | $PGTOP,11,<antenna> each epoch |

A cold or full cold start drops the fix for `cold_epochs` epochs (full cold also restores the
default interval and sentences); a hot or warm start keeps it.
"""

from devmodels import clock

# PMTK314 field index of each sentence.
_RATE_FIELDS = (("GLL", 0), ("RMC", 1), ("VTG", 2), ("GGA", 3), ("GSA", 4), ("GSV", 5))
_ZDA_FIELD = 17
_DEFAULT_RATES = {"GLL": 0, "RMC": 1, "VTG": 1, "GGA": 1, "GSA": 1, "GSV": 5, "ZDA": 0}
_ORDER = ("RMC", "VTG", "GGA", "GSA", "GSV", "GLL", "ZDA")
_BAUDS = (4800, 9600, 14400, 19200, 38400, 57600, 115200)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def checksum(body):
    """XOR of the characters of a sentence body (between "$" and "*")."""
    crc = 0
    for c in body.encode() if isinstance(body, str) else body:
        crc ^= c
    return crc


def sentence(body):
    """A complete sentence from its body: b"$" + body + b"*CS\\r\\n" (upper-case hex)."""
    if isinstance(body, str):
        body = body.encode()
    return b"$" + body + b"*" + (b"%02X" % checksum(body)) + b"\r\n"


def _split_command(line):
    # The body of a received sentence, or None if it is not one with a correct checksum.
    line = bytes(line).strip()
    star = line.rfind(b"*")
    if not line.startswith(b"$") or star < 0 or len(line) != star + 3:
        return None
    try:
        want = int(line[star + 1 :], 16)
    except ValueError:
        return None
    body = line[1:star]
    return body if checksum(body) == want else None


def _dm(value, digits):
    # Signed decimal degrees -> ("dddmm.mmmm", hemisphere index 0 positive, 1 negative).
    neg = value < 0
    value = -value if neg else value
    deg = int(value)
    mins = (value - deg) * 60
    # Round the minutes to 4 decimals as MTK receivers do, carrying into the degrees.
    tenk = int(mins * 10000 + 0.5)
    if tenk >= 600000:
        deg += 1
        tenk -= 600000
    return ("%0" + str(digits) + "d%02d.%04d") % (deg, tenk // 10000, tenk % 10000), neg


class GPSReceiver:
    def __init__(
        self,
        port,
        *,
        pps=None,
        baudrate=9600,
        talker="GP",
        date=(2024, 6, 15),
        time=(12, 0, 0),
        latitude=48.1173,
        longitude=11.516667,
        altitude=545.4,
        geoid=46.9,
        speed_knots=0.0,
        course=0.0,
        fix=True,
        satellites=(
            (4, 40, 83, 46),
            (5, 17, 308, 41),
            (9, 7, 344, 39),
            (12, 22, 228, 45),
            (24, 55, 120, 48),
        ),
        firmware=("AXN_2.31_3339_13101700", "5632", "PA6H", "1.0"),
    ):
        self.port = port
        # The end of a devmodels UART line paces what it is given; other ports are paced here.
        self._uart = type(port).__name__ == "Peer" and hasattr(port, "recv_line")
        self.pps = pps
        self.baudrate = baudrate
        self.talker = talker
        self.year, self.month, self.day = date
        self.ms_of_day = ((time[0] * 60 + time[1]) * 60 + time[2]) * 1000
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.geoid = geoid
        self.speed_knots = speed_knots
        self.course = course
        self.fix = fix
        self.satellites = list(satellites)  # (PRN, elevation, azimuth, SNR)
        self.firmware = firmware
        self.update_ms = 1000
        self.rates = dict(_DEFAULT_RATES)
        self.antenna = 3  # PGTOP status: 1 short, 2 internal antenna, 3 active antenna
        self.antenna_reports = False
        self.standby = False
        self.cold_epochs = 3
        self._no_fix_epochs = 0
        self.fail = {}  # command number -> flag to answer instead
        self.silent = set()  # command numbers not answered
        self.commands = []  # every command body received (bytes), for tests
        self.epochs = 0  # epochs sent

    # -- output --------------------------------------------------------------------------

    async def send(self, line):
        """Write one line and wait the time its characters take at the baud rate."""
        port = self.port
        port.write(line)
        if self._uart:  # the UART line paces the bytes itself
            await port.drain()
            return
        drain = getattr(port, "drain", None)
        if drain is not None:
            await drain()
        await clock.sleep_ms(len(line) * 10000 // self.baudrate)

    def time_fields(self):
        s = self.ms_of_day // 1000
        return "%02d%02d%02d.%03d" % (s // 3600, s // 60 % 60, s % 60, self.ms_of_day % 1000)

    def date_fields(self):
        return "%02d%02d%02d" % (self.day, self.month, self.year % 100)

    def position_fields(self):
        lat, south = _dm(self.latitude, 2)
        lon, west = _dm(self.longitude, 3)
        return "%s,%s,%s,%s" % (lat, "S" if south else "N", lon, "W" if west else "E")

    def has_fix(self):
        return self.fix and not self._no_fix_epochs

    def epoch_sentences(self):
        """The sentences of the current epoch, each complete with checksum and CR LF."""
        t = self.talker
        fix = self.has_fix()
        out = []
        for name in _ORDER:
            rate = self.rates.get(name, 0)
            if not rate or self.epochs % rate:
                continue
            if name == "RMC":
                out.append(
                    "%sRMC,%s,%s,%s,%.2f,%.2f,%s,,,%s"
                    % (
                        t,
                        self.time_fields(),
                        "A" if fix else "V",
                        self.position_fields() if fix else ",,,",
                        self.speed_knots,
                        self.course,
                        self.date_fields(),
                        "A" if fix else "N",
                    )
                )
            elif name == "VTG":
                if fix:
                    out.append(
                        "%sVTG,%.2f,T,,M,%.2f,N,%.2f,K,A"
                        % (t, self.course, self.speed_knots, self.speed_knots * 1.852)
                    )
                else:
                    out.append("%sVTG,,T,,M,,N,,K,N" % t)
            elif name == "GGA":
                if fix:
                    out.append(
                        "%sGGA,%s,%s,1,%02d,%.2f,%.1f,M,%.1f,M,,"
                        % (
                            t,
                            self.time_fields(),
                            self.position_fields(),
                            len(self.satellites),
                            1.2,
                            self.altitude,
                            self.geoid,
                        )
                    )
                else:
                    out.append("%sGGA,%s,,,,,0,00,,,M,,M,," % (t, self.time_fields()))
            elif name == "GSA":
                prns = [("%02d" % s[0]) for s in self.satellites[:12]] if fix else []
                prns += [""] * (12 - len(prns))
                dops = "2.10,1.20,1.70" if fix else ",,"
                out.append("%sGSA,A,%d,%s,%s" % (t, 3 if fix else 1, ",".join(prns), dops))
            elif name == "GSV":
                sats = self.satellites
                count = max(1, (len(sats) + 3) // 4)
                for i in range(count):
                    part = ""
                    for s in sats[i * 4 : i * 4 + 4]:
                        part += ",%02d,%02d,%03d,%02d" % s
                    out.append("%sGSV,%d,%d,%02d%s" % (t, count, i + 1, len(sats), part))
            elif name == "GLL":
                out.append(
                    "%sGLL,%s,%s,%s,%s"
                    % (
                        t,
                        self.position_fields() if fix else ",,,",
                        self.time_fields(),
                        "A" if fix else "V",
                        "A" if fix else "N",
                    )
                )
            elif name == "ZDA":
                out.append(
                    "%sZDA,%s,%02d,%02d,%04d,00,00"
                    % (t, self.time_fields(), self.day, self.month, self.year)
                )
        if self.antenna_reports:
            out.append("PGTOP,11,%d" % self.antenna)
        return [sentence(body) for body in out]

    def advance(self, ms):
        """Move the receiver's UTC clock on by `ms`, across days, months and years."""
        self.ms_of_day += ms
        while self.ms_of_day >= 86400000:
            self.ms_of_day -= 86400000
            self.day += 1
            leap = self.year % 4 == 0 and (self.year % 100 != 0 or self.year % 400 == 0)
            length = 29 if self.month == 2 and leap else _MONTH_DAYS[self.month - 1]
            if self.day > length:
                self.day = 1
                self.month += 1
                if self.month > 12:
                    self.month = 1
                    self.year += 1

    async def epoch(self):
        """One epoch: PPS high if the epoch starts a UTC second (the pulse is once a second
        whatever the update interval), the sentences at the baud rate's pace, PPS low."""
        pulse = self.pps is not None and self.ms_of_day % 1000 == 0
        if pulse:
            self.pps.drive(1)
        for line in self.epoch_sentences():
            await self.send(line)
        if pulse:
            self.pps.drive(0)

    async def run(self, epochs=None):
        """Send `epochs` epochs (None: forever), one per update interval, from now."""
        n = 0
        t = clock.now_ms()
        while epochs is None or n < epochs:
            if not self.standby:
                await self.epoch()
                if self._no_fix_epochs:
                    self._no_fix_epochs -= 1
            self.epochs += 1
            n += 1
            self.advance(self.update_ms)
            t = clock.add_ms(t, self.update_ms)
            await clock.sleep_until(t)

    # -- commands ------------------------------------------------------------------------

    async def serve(self, reader=None):
        """Answer every command line from `reader` (an asyncio StreamReader; by default the
        UART line's end given as `port`), until the stream ends."""
        if reader is None:
            readline = self.port.recv_line
        else:
            readline = reader.readline
        while True:
            line = await readline()
            if not line:
                return
            await self.command(line)

    async def _ack(self, cmd, flag):
        await self.send(sentence("PMTK001,%d,%d" % (cmd, self.fail.get(cmd, flag))))

    async def command(self, line):
        """Act on one received line (bytes, with or without CR LF) and send the answer."""
        if self.standby:  # any byte wakes the receiver; that command itself is lost
            self.standby = False
            await self.send(sentence("PMTK010,002"))
            return
        body = _split_command(line)
        if body is None:
            return
        self.commands.append(body)
        fields = body.decode().split(",")
        if fields[0] == "PGCMD":
            if fields[1:] == ["33", "1"]:
                self.antenna_reports = True
            elif fields[1:] == ["33", "0"]:
                self.antenna_reports = False
            return
        if not fields[0].startswith("PMTK") or not fields[0][4:].isdigit():
            return
        cmd = int(fields[0][4:])
        args = fields[1:]
        if cmd in self.silent:  # no answer at all: the application times out
            return
        if cmd in self.fail:
            await self._ack(cmd, self.fail[cmd])
            return
        try:
            values = [int(a) for a in args]
        except ValueError:
            await self._ack(cmd, 0)
            return
        if cmd == 220:
            if len(values) != 1:
                await self._ack(cmd, 0)
            elif not (100 <= values[0] <= 10000):
                await self._ack(cmd, 2)
            else:
                self.update_ms = values[0]
                await self._ack(cmd, 3)
        elif cmd == 251:
            if len(values) != 1 or values[0] not in _BAUDS:
                await self._ack(cmd, 2)
            else:
                await self._ack(cmd, 3)
                self.baudrate = values[0]
                if self._uart:  # the line now runs at the new rate on the receiver's side
                    self.port.baudrate = values[0]
        elif cmd == 314:
            if values == [-1]:
                self.rates = dict(_DEFAULT_RATES)
                await self._ack(cmd, 3)
            elif len(values) != 19 or min(values) < 0 or max(values) > 5:
                await self._ack(cmd, 0)
            else:
                for name, i in _RATE_FIELDS:
                    self.rates[name] = values[i]
                self.rates["ZDA"] = values[_ZDA_FIELD]
                await self._ack(cmd, 3)
        elif cmd == 414 and not values:
            fields = [0] * 19
            for name, i in _RATE_FIELDS:
                fields[i] = self.rates[name]
            fields[_ZDA_FIELD] = self.rates["ZDA"]
            await self.send(sentence("PMTK514," + ",".join(str(v) for v in fields)))
        elif cmd == 605 and not values:
            await self.send(sentence("PMTK705," + ",".join(self.firmware)))
        elif cmd in (101, 102, 103, 104) and not values:
            if cmd >= 103:
                self._no_fix_epochs = self.cold_epochs
            if cmd == 104:
                self.update_ms = 1000
                self.rates = dict(_DEFAULT_RATES)
            await self.send(sentence("PMTK010,001"))
        elif cmd == 161 and values == [0]:
            await self._ack(cmd, 3)
            self.standby = True
        else:
            await self._ack(cmd, 1)
