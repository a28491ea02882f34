"""as_GPS: an asynchronous NMEA-0183 reader and parser for GPS/GNSS receivers.

Hardware: a receiver's serial output, read through any asyncio StreamReader: on a board,
`asyncio.StreamReader(machine.UART(...))`; on CPython, the reader of
`asyncio.open_connection()` (NMEA over TCP) or of pyserial-asyncio's `open_serial_connection()`.
The driver never opens ports itself.

Dependencies: none.

Quick start (inside the application's main coroutine, because the reader starts a task):

    gps = AS_GPS(asyncio.StreamReader(uart), local_offset=1)
    await gps.data_received(position=True)
    print(gps.latitude(), gps.longitude(), gps.utc)

Test mode: `AS_GPS(None)` starts no task; lines are fed through `update(line)`, the same
synchronous method the reader task calls for every line it reads.

How a line is handled (update):
1. Find the sentence: the last `$` in the line (so garbage before it, e.g. a partial sentence
   at power-up, is dropped) up to a `*` followed by two hex digits and nothing but line-end
   characters. Anything else is not a sentence: ignored, nothing counted.
2. Every byte between `$` and `*` must be printable ASCII, and their XOR must equal the
   checksum: otherwise `crc_fails` is counted. A good sentence counts in `clean_sentences`.
3. Sentences RMC, GGA, GLL, VTG, GSA, GSV and ZDA from any two-letter talker are parsed: each
   parser reads every field into locals and validates them before the driver's state is
   touched, so a malformed sentence (missing or empty required field, value out of range)
   changes nothing and `update` returns None. A parsed sentence counts in `parsed_sentences`
   and returns its type ("RMC"...), with or without a fix: a receiver without a fix still
   gives time and date, which are taken; position is taken only from a sentence that carries
   a fix. Other sentences count in `unsupported_sentences` and go to the `parse(segs)` hook.

Allocation: the parser works on bytes (no decoding), returns constant strings and updates
lists in place. On MicroPython it does not split the sentence either (see _Fields): what it
allocates per sentence is the floats it stores (figures in the README).
"""

import asyncio
import sys
import time

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


# Angle formats
DD = const(1)
DMS = const(2)
DM = const(3)
KML = const(4)
# Speed units
KPH = const(10)
MPH = const(11)
KNOT = const(12)
# Date formats
MDY = const(20)
DMY = const(21)
LONG = const(22)

# Sentence types, as bits for cb_mask
RMC = const(1)
GLL = const(2)
VTG = const(4)
GGA = const(8)
GSA = const(16)
GSV = const(32)
ZDA = const(64)
# Sentences carrying each kind of data (for data_received)
POSITION = const(11)  # RMC | GLL | GGA
ALTITUDE = const(8)  # GGA
DATE = const(65)  # RMC | ZDA
COURSE = const(5)  # RMC | VTG

# The longest sentence accepted, from `$` to the checksum's last digit. The standard says 82
# characters with CR LF; high-precision GGA and NMEA 4.1 GSV run past it on real receivers.
_MAX_LEN = const(128)
_NO_TIME = const(-1)  # _ms before the first time was received

_DIRECTIONS = (
    "N",
    "NNE",
    "NE",
    "ENE",
    "E",
    "ESE",
    "SE",
    "SSE",
    "S",
    "SSW",
    "SW",
    "WSW",
    "W",
    "WNW",
    "NW",
    "NNW",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Sentence type (its three letters as one int, so that the lookup allocates nothing) ->
# (bit, returned name).
_TYPES = {
    (82 << 16) | (77 << 8) | 67: (RMC, "RMC"),
    (71 << 16) | (71 << 8) | 65: (GGA, "GGA"),
    (71 << 16) | (76 << 8) | 76: (GLL, "GLL"),
    (86 << 16) | (84 << 8) | 71: (VTG, "VTG"),
    (71 << 16) | (83 << 8) | 65: (GSA, "GSA"),
    (71 << 16) | (83 << 8) | 86: (GSV, "GSV"),
    (90 << 16) | (68 << 8) | 65: (ZDA, "ZDA"),
}

# The port's time epoch (2000 on most boards, 1970 on the unix port and CPython): epoch_time
# counts seconds from it, so time.gmtime(gps.epoch_time) works on the running port.
_EPOCH_YEAR = time.gmtime(0)[0]

if hasattr(time, "ticks_ms"):
    _ticks_ms = time.ticks_ms
    _ticks_diff = time.ticks_diff
else:  # CPython

    def _ticks_ms():
        return int(time.monotonic() * 1000)

    def _ticks_diff(a, b):
        return a - b


def _report(where, exc):
    # A failing callback must be seen, but must not end the reader task.
    print("as_GPS: exception in", where, file=sys.stderr)
    if hasattr(sys, "print_exception"):
        sys.print_exception(exc)
    else:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)


# -- calendar arithmetic (proleptic Gregorian, days counted from 2000-01-01) -----------------


def is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_days(year, month):
    if month == 2 and is_leap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def days_from_civil(y, m, d):
    """Days from 2000-01-01 to y-m-d (negative before it)."""
    # Count from a year that starts in March, so that February's length is the year's end.
    if m <= 2:
        y -= 1
    era = y // 400
    yoe = y - era * 400  # year of era, 0..399
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1  # day of the March year
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy  # day of era, 0..146096
    return era * 146097 + doe - 730425  # 730425: days from 0000-03-01 to 2000-01-01


def civil_from_days(n):
    """(year, month, day) of the day `n` days after 2000-01-01."""
    n += 730425
    era = n // 146097
    doe = n - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if m <= 2 else 0), m, d


_EPOCH_DAY = days_from_civil(_EPOCH_YEAR, 1, 1)


def _year4(yy):
    # GPS started in 1980, so a two-digit year of 80 or more is in the 1900s: this is right
    # until 2079.
    return yy + (1900 if yy >= 80 else 2000)


# -- fields ----------------------------------------------------------------------------------
# Character-level readers of one field, buf[a:b]. Each raises ValueError on a malformed field.


def _d2(buf, i):
    # Two ASCII digits at buf[i], buf[i + 1] as an int.
    a = buf[i] - 48
    c = buf[i + 1] - 48
    if a < 0 or a > 9 or c < 0 or c > 9:
        raise ValueError
    return a * 10 + c


def _hexdigit(c):
    if 48 <= c <= 57:
        return c - 48
    if 65 <= c <= 70:
        return c - 55
    if 97 <= c <= 102:
        return c - 87
    return -1


def _time_ms(buf, a, b):
    # hhmmss[.fff] -> milliseconds since midnight (an int: no float is made). Digits past
    # the milliseconds are checked and dropped.
    if b - a < 6:
        raise ValueError
    h = _d2(buf, a)
    m = _d2(buf, a + 2)
    s = _d2(buf, a + 4)
    if h > 23 or m > 59 or s > 60:  # 60: a leap second
        raise ValueError
    ms = 0
    if b > a + 6:
        if buf[a + 6] != 46:
            raise ValueError
        scale = 100
        for i in range(a + 7, b):
            c = buf[i] - 48
            if c < 0 or c > 9:
                raise ValueError
            ms += c * scale
            scale //= 10
    return ((h * 60 + m) * 60 + s) * 1000 + ms


def _degrees(buf, a, b, digits, limit):
    # The degrees of [d]ddmm[.mmmm], after checking the whole field's shape: `digits` digits
    # of degrees, two of whole minutes, then the end or a decimal point.
    if digits == 2:
        deg = _d2(buf, a)
    else:
        c = buf[a] - 48
        if c < 0 or c > 9:
            raise ValueError
        deg = c * 100 + _d2(buf, a + 1)
    _d2(buf, a + digits)
    if deg > limit or (b > a + digits + 2 and buf[a + digits + 2] != 46):
        raise ValueError
    return deg


def _date_day(buf, a, b):
    # ddmmyy -> days from 2000-01-01
    if b - a != 6:
        raise ValueError
    dd = _d2(buf, a)
    mm = _d2(buf, a + 2)
    year = _year4(_d2(buf, a + 4))
    if not (1 <= mm <= 12) or not (1 <= dd <= month_days(year, mm)):
        raise ValueError
    return days_from_civil(year, mm, dd)


# The fields of the sentence being parsed, with one reader per kind of field. Two versions
# of the same contract, chosen at import: on MicroPython the sentence is never split (field
# positions go into preallocated lists and numbers are read digit by digit, so parsing
# allocates only what it stores); on CPython it is split once and read by the built-in
# int() and float(), which is several times faster there.
# Contract: load(line, start, star) takes the sentence between "$" and "*" and returns its
# field count (0: not parseable); then for field i < count: has(i) (not empty), char(i) (the
# byte of a one-character field, 0 if empty), int(i), num(i) ([-]digits[.digits] as float),
# time(i), date(i), degrees(i, digits, limit), minutes(i, digits) (of [d]ddmm.mmmm), talker()
# (the address's first two letters as a number). Readers raise ValueError on a malformed
# field; callers check the count before reading optional fields.
_MAX_FIELDS = const(24)  # more than any supported sentence has (GSV: 21)

if sys.implementation.name == "micropython":

    def _checksum(line, a, b):
        # XOR of line[a:b], or -1 if a byte is not printable ASCII (control characters,
        # non-ASCII: line noise).
        crc = 0
        for i in range(a, b):
            c = line[i]
            if c < 32 or c > 126:
                return -1
            crc ^= c
        return crc

    class _Fields:
        def __init__(self):
            self.line = b""
            self.s = [0] * _MAX_FIELDS  # field i is line[s[i]:e[i]]
            self.e = [0] * _MAX_FIELDS

        def load(self, line, start, star):
            self.line = line
            s = self.s
            e = self.e
            n = 0
            p = start
            while n < _MAX_FIELDS:
                s[n] = p
                c = line.find(b",", p, star)
                if c < 0:
                    e[n] = star
                    return n + 1
                e[n] = c
                n += 1
                p = c + 1
            return 0  # too many fields for any supported sentence

        def has(self, i):
            return self.e[i] > self.s[i]

        def char(self, i):
            a = self.s[i]
            b = self.e[i]
            if b == a:
                return 0
            if b != a + 1:
                raise ValueError
            return self.line[a]

        def int(self, i):
            line = self.line
            a = self.s[i]
            b = self.e[i]
            neg = a < b and line[a] == 45
            if neg:
                a += 1
            if a == b:
                raise ValueError
            v = 0
            for j in range(a, b):
                c = line[j] - 48
                if c < 0 or c > 9:
                    raise ValueError
                v = v * 10 + c
            return -v if neg else v

        def num(self, i):
            return self._num(self.s[i], self.e[i])

        def _num(self, a, b):
            # The digits as one integer, divided once by a power of ten: correctly rounded,
            # as float() would give.
            line = self.line
            neg = a < b and line[a] == 45
            if neg:
                a += 1
            v = 0
            dec = -1  # digits after the point; -1 before the point
            digits = 0
            for j in range(a, b):
                c = line[j]
                if 48 <= c <= 57:
                    v = v * 10 + c - 48
                    digits += 1
                    if dec >= 0:
                        dec += 1
                elif c == 46 and dec < 0:
                    dec = 0
                else:
                    raise ValueError
            if not digits:
                raise ValueError
            v = v / 10**dec if dec > 0 else float(v)
            return -v if neg else v

        def time(self, i):
            return _time_ms(self.line, self.s[i], self.e[i])

        def date(self, i):
            return _date_day(self.line, self.s[i], self.e[i])

        def degrees(self, i, digits, limit):
            return _degrees(self.line, self.s[i], self.e[i], digits, limit)

        def minutes(self, i, digits):
            return self._num(self.s[i] + digits, self.e[i])

        def talker(self):
            a = self.s[0]
            return (self.line[a] << 8) | self.line[a + 1]

else:  # CPython
    _PRINTABLE = bytes(range(32, 127))
    # What int() and float() may see: they would also take spaces, "+", "_", exponents,
    # "nan" and "inf", which MicroPython's readers refuse.
    _INT_BYTES = b"0123456789-"
    _DECIMAL_BYTES = b"0123456789.-"

    def _checksum(line, a, b):
        body = line[a:b]
        if body.translate(None, _PRINTABLE):
            return -1
        # XOR all bytes at once: read them as one integer and fold it in halves (on byte
        # boundaries, so byte lanes stay aligned) until one byte is left.
        x = int.from_bytes(body, "little")
        n = b - a
        while n > 1:
            half = (n + 1) >> 1
            x = (x >> (half << 3)) ^ (x & ((1 << (half << 3)) - 1))
            n = half
        return x

    class _Fields:
        def __init__(self):
            self.f = []
            self.plain = True

        def load(self, line, start, star):
            body = line[start:star]
            # int() takes only digits and "-" here unless the sentence holds a space, "+" or
            # "_" somewhere: three searches of the sentence spare a check per field.
            self.plain = not (b" " in body or b"+" in body or b"_" in body)
            self.f = f = body.split(b",")
            return len(f) if len(f) <= _MAX_FIELDS else 0

        def has(self, i):
            return self.f[i] != b""

        def char(self, i):
            p = self.f[i]
            if len(p) > 1:
                raise ValueError
            return p[0] if p else 0

        def int(self, i):
            p = self.f[i]
            if not self.plain and p.translate(None, _INT_BYTES):
                raise ValueError
            return int(p)

        def num(self, i):
            p = self.f[i]
            if p.translate(None, _DECIMAL_BYTES):
                raise ValueError
            return float(p)

        def time(self, i):
            p = self.f[i]
            return _time_ms(p, 0, len(p))

        def date(self, i):
            p = self.f[i]
            return _date_day(p, 0, len(p))

        def degrees(self, i, digits, limit):
            p = self.f[i]
            return _degrees(p, 0, len(p), digits, limit)

        def minutes(self, i, digits):
            p = self.f[i][digits:]
            if p.translate(None, _DECIMAL_BYTES):
                raise ValueError
            return float(p)

        def talker(self):
            p = self.f[0]
            return (p[0] << 8) | p[1]


def _range(f, i, lo, hi):
    v = f.num(i)
    if not (lo <= v <= hi):  # also refuses nan
        raise ValueError
    return v


class AS_GPS:
    """Reads NMEA sentences from `sreader` (or, when it is None, from calls to `update`) and
    keeps position, motion, satellites, time and date.

    `fix_cb(gps, sentence_bit, *fix_cb_args)` runs for each sentence whose bit is in
    `cb_mask` and which carried valid data (RMC, GLL and GGA with a fix, GSA with a 2D or 3D
    fix, VTG with a course, GSV, ZDA with a time)."""

    def __init__(self, sreader, local_offset=0, fix_cb=None, cb_mask=RMC, fix_cb_args=()):
        self._sreader = sreader
        self.local_offset = local_offset  # hours from UTC, may be negative or fractional
        self._fix_cb = fix_cb
        self.cb_mask = cb_mask
        self._fix_cb_args = fix_cb_args
        # The hooks get sentences as str fields only where a subclass overrides them.
        self._parse = type(self).parse is not AS_GPS.parse
        self._reparse = type(self).reparse is not AS_GPS.reparse

        # Sentence statistics
        self.crc_fails = 0
        self.clean_sentences = 0
        self.parsed_sentences = 0
        self.unsupported_sentences = 0

        # Position and motion. Latitude and longitude are [degrees, minutes, hemisphere],
        # updated in place.
        self._latitude = [0, 0.0, "N"]
        self._longitude = [0, 0.0, "W"]
        self._fix_time = None  # ticks_ms of the last sentence with a position
        self._speed = 0.0  # knots
        self.course = 0.0  # degrees clockwise from true north
        self.altitude = 0.0  # metres above mean sea level
        self.geoid_height = 0.0  # metres
        self.magvar = 0.0  # magnetic variation in degrees, west negative

        # Satellites
        self.satellites_in_view = 0
        self.satellites_in_use = 0
        self.satellites_used = []  # PRNs used in the fix (from GSA)
        self.hdop = 0.0
        self.pdop = 0.0
        self.vdop = 0.0
        self._gsa_used = {}  # system (GSA's system ID, else talker) -> PRNs
        self._sat_data = {}  # PRN -> (elevation, azimuth, SNR) from complete GSV sets
        self._sv_building = {}  # talker -> PRN data of the GSV set being received
        self._sv_talker_prns = {}  # talker -> PRNs its last complete set gave
        self._sv_in_view = {}  # talker -> satellites in view
        self._sv_sets = 0  # complete GSV sets received (get_satellite_data waits on it)

        # UTC time and date. _ms (milliseconds since midnight) is _NO_TIME until a time
        # arrives; _day counts days from 2000-01-01 and is None until a date arrives.
        self._ms = _NO_TIME
        self._day = None
        self.msecs = 0  # milliseconds of the last time received (for timing drivers)
        self.epoch_time = 0  # seconds from the port's epoch to the last UTC date and time
        self._update_ms = 1000  # the receiver's update interval (as_rwGPS changes it)

        self._fields = _Fields()  # the sentence being parsed
        self._new_fix = [0, 0.0, "N", 0, 0.0, "W"]  # a checked fix, before it is stored
        self._prns = [0] * 12  # GSA's PRNs, before they are compared with the last ones
        self._sv = [0] * 16  # GSV's satellites (PRN, elevation, azimuth, SNR) x 4, staged

        self._valid = 0  # bits of the sentences parsed with valid data (data_received)
        self._event = None  # made on first wait: an asyncio.Event set on each parse
        self._task = None
        if sreader is not None:
            self._task = asyncio.create_task(self._run())

    # -- the reader task --------------------------------------------------------------------

    async def _run(self):
        sreader = self._sreader
        while True:
            try:
                line = await sreader.readline()
            except asyncio.CancelledError:
                raise
            except Exception as e:  # e.g. CPython's limit on a line without a newline
                _report("readline", e)
                await asyncio.sleep(0.1)  # a port that keeps failing must not spin
                continue
            if not line:  # end of the stream (a closed connection): nothing more will come
                return
            try:
                self.update(line)
            except Exception as e:  # only a callback or a hook can raise here
                _report("a callback or hook", e)

    def deinit(self):
        """Stop the reader task."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    # -- one line ---------------------------------------------------------------------------

    def update(self, line):
        """Parse one sentence (str, bytes or bytearray, line end optional). Returns the
        sentence type ("RMC", "GGA"...) or None if the line was rejected or not supported."""
        if not isinstance(line, bytes):
            try:
                line = line.encode() if isinstance(line, str) else bytes(line)
            except (TypeError, ValueError):  # e.g. a lone surrogate in a CPython str
                return None
        end = len(line)
        while end and line[end - 1] in (10, 13, 32):
            end -= 1
        star = end - 3
        if star < 1 or line[star] != 42:  # "*": no checksum in its place
            return None
        start = line.rfind(b"$", 0, star)
        if start < 0 or end - start > _MAX_LEN:
            return None
        want = _hexdigit(line[star + 1]) << 4 | _hexdigit(line[star + 2])
        if _checksum(line, start + 1, star) != want or want < 0:
            self.crc_fails += 1
            return None
        self.clean_sentences += 1

        # The address ("GPRMC"): two letters of talker, three of sentence type.
        a = start + 1
        c = line.find(b",", a, star)
        kind = None
        if (
            (c if c >= 0 else star) - a == 5
            and 65 <= line[a] <= 90  # talker: two capital letters; P (80): proprietary
            and 65 <= line[a + 1] <= 90
            and line[a] != 80
        ):
            kind = _TYPES.get((line[a + 2] << 16) | (line[a + 3] << 8) | line[a + 4])
        if kind is None:
            self.unsupported_sentences += 1
            if not self._parse:
                return None
            segs = self._segs(line, start, star)
            if self.parse(segs):
                self.parsed_sentences += 1
                return segs[0][2:] if len(segs[0]) == 5 else segs[0]
            return None
        f = self._fields
        n = f.load(line, a, star)
        if not n:
            return None  # too many fields for any supported sentence
        bit = kind[0]
        try:
            if bit == RMC:
                valid = self._rmc(f, n)
            elif bit == GGA:
                valid = self._gga(f, n)
            elif bit == GLL:
                valid = self._gll(f, n)
            elif bit == VTG:
                valid = self._vtg(f, n)
            elif bit == GSA:
                valid = self._gsa(f, n)
            elif bit == GSV:
                valid = self._gsv(f, n)
            else:
                valid = self._zda(f, n)
        except (ValueError, IndexError):
            return None  # malformed: the parsers change nothing before all fields are read
        if self._reparse and not self.reparse(self._segs(line, start, star)):
            return None
        self.parsed_sentences += 1
        if valid:
            self._valid |= bit
            if self._event is not None:
                self._event.set()
            if bit & self.cb_mask and self._fix_cb is not None:
                self._fix_cb(self, bit, *self._fix_cb_args)
        elif bit == GSV and self._event is not None:
            self._event.set()
        return kind[1]

    @staticmethod
    def _segs(line, start, star):
        # The original collection's view for the hooks: str fields, "GPRMC" first (every
        # byte is printable ASCII by now, so decoding cannot fail).
        return line[start + 1 : star].decode().split(",")

    # Hooks for subclasses: `segs` is the sentence as a list of str fields, the address
    # first ("GPRMC", "PMTK001"), without "$" and checksum.
    def parse(self, segs):
        """Called for each clean sentence of an unsupported type. Return True if handled:
        it is then counted in parsed_sentences and update() returns its type."""
        return False

    def reparse(self, segs):
        """Called after a supported sentence was parsed. Return False to reject it."""
        return True

    # -- time and date ----------------------------------------------------------------------

    def _set_time(self, ms, day):
        # Store a UTC time (ms since midnight) and its date (days from 2000-01-01, or None).
        # A sentence with a time but no date (GGA, GLL) that goes back by more than 12 hours
        # has crossed midnight.
        if day is not None:
            self._day = day
        elif self._day is not None and self._ms != _NO_TIME and ms < self._ms - 43200000:
            self._day += 1
        self._ms = ms
        self.msecs = ms % 1000
        if self._day is not None:
            self.epoch_time = (self._day - _EPOCH_DAY) * 86400 + ms // 1000
        self._dtset()

    def _dtset(self):
        # Hook for timing subclasses: a new UTC time (and maybe date) was stored.
        pass

    @staticmethod
    def _hms(ms):
        return ms // 3600000, ms // 60000 % 60, (ms % 60000) / 1000

    def _local_ms(self):
        # Local time as ms from the start of the UTC date (negative: the day before).
        return self._ms + int(round(self.local_offset * 60)) * 60000

    @property
    def utc(self):
        """UTC time as (hours, minutes, seconds); seconds is a float with the sentence's
        fraction (to the millisecond). (0, 0, 0.0) until a time has been received."""
        if self._ms == _NO_TIME:
            return 0, 0, 0.0
        return self._hms(self._ms)

    @property
    def local_time(self):
        """Local time (UTC plus local_offset hours) as (hours, minutes, seconds)."""
        if self._ms == _NO_TIME:
            return 0, 0, 0.0
        return self._hms(self._local_ms() % 86400000)

    def _local_date(self):
        if self._day is None:
            return None
        shift = self._local_ms() // 86400000 if self._ms != _NO_TIME else 0
        return civil_from_days(self._day + shift)

    @property
    def date(self):
        """Local date as (day, month, two-digit year), as in the original collection;
        (0, 0, 0) until a date has been received. full_date has the four-digit year."""
        ymd = self._local_date()
        if ymd is None:
            return 0, 0, 0
        return ymd[2], ymd[1], ymd[0] % 100

    @property
    def full_date(self):
        """Local date as (day, month, year), or (0, 0, 0) before a date was received."""
        ymd = self._local_date()
        if ymd is None:
            return 0, 0, 0
        return ymd[2], ymd[1], ymd[0]

    def time_string(self, local=True):
        h, m, s = self.local_time if local else self.utc
        return "%02d:%02d:%02d" % (h, m, int(s))

    def date_string(self, formatting=MDY):
        day, month, year = self.full_date
        if formatting == LONG:
            if month == 0:
                return ""
            if day in (1, 21, 31):
                suffix = "st"
            elif day in (2, 22):
                suffix = "nd"
            elif day in (3, 23):
                suffix = "rd"
            else:
                suffix = "th"
            return "%s %d%s, %d" % (_MONTHS[month - 1], day, suffix, year)
        if formatting == DMY:
            return "%02d/%02d/%02d" % (day, month, year % 100)
        if formatting == MDY:
            return "%02d/%02d/%02d" % (month, day, year % 100)
        raise ValueError("Unknown date format.")

    # -- sentence parsers -------------------------------------------------------------------
    # Each gets the sentence's fields and their count; reads and checks every field it uses
    # before changing anything; raises ValueError or IndexError on a malformed sentence; and
    # returns True when the sentence carried valid data (a fix, a course, a time...), False
    # when well formed but without it.

    def _stage_fix(self, f, i):
        # Latitude, N|S, longitude, E|W at fields i..i+3, checked, into self._new_fix.
        lat = f.degrees(i, 2, 90)
        lat_m = f.minutes(i, 2)
        c = f.char(i + 1)
        ns = "N" if c == 78 else "S" if c == 83 else None
        lon = f.degrees(i + 2, 3, 180)
        lon_m = f.minutes(i + 2, 3)
        c = f.char(i + 3)
        ew = "E" if c == 69 else "W" if c == 87 else None
        if (
            ns is None
            or ew is None
            or not (0.0 <= lat_m < 60.0)
            or not (0.0 <= lon_m < 60.0)
            or (lat == 90 and lat_m)
            or (lon == 180 and lon_m)
        ):
            raise ValueError
        new = self._new_fix
        new[0], new[1], new[2] = lat, lat_m, ns  # (three at a time: no tuple is made)
        new[3], new[4], new[5] = lon, lon_m, ew

    def _store_fix(self):
        new = self._new_fix
        lat = self._latitude
        lat[0], lat[1], lat[2] = new[0], new[1], new[2]
        lon = self._longitude
        lon[0], lon[1], lon[2] = new[3], new[4], new[5]
        self._fix_time = _ticks_ms()

    def _rmc(self, f, n):
        # $--RMC,time,status,lat,N,lon,E,speed kn,course,ddmmyy,magvar,E,mode[,nav status]
        if n < 10:
            raise ValueError
        status = f.char(2)
        if status != 65 and status != 86:  # A, V
            raise ValueError
        t = f.time(1) if f.has(1) else _NO_TIME
        day = f.date(9) if f.has(9) else None
        fix = status == 65 and (n < 13 or f.char(12) != 78)  # mode N: not valid
        if fix:
            self._stage_fix(f, 3)
            speed = _range(f, 7, 0.0, 1e5) if f.has(7) else None
            course = _range(f, 8, 0.0, 360.0) if f.has(8) else None
            magvar = None
            if n > 11 and f.has(10):
                magvar = _range(f, 10, 0.0, 180.0)
                c = f.char(11)
                if c == 87:  # W
                    magvar = -magvar
                elif c != 69:  # E
                    raise ValueError
        if t != _NO_TIME and day is not None:  # a time without its date is not taken
            self._set_time(t, day)
        if not fix:
            return False
        self._store_fix()
        if speed is not None:
            self._speed = speed
        if course is not None:
            self.course = course
        if magvar is not None:
            self.magvar = magvar
        return True

    def _gga(self, f, n):
        # $--GGA,time,lat,N,lon,E,quality,sats,hdop,alt,M,geoid,M,age,station
        if n < 12:
            raise ValueError
        t = f.time(1) if f.has(1) else _NO_TIME
        quality = f.int(6) if f.has(6) else 0
        sats = f.int(7) if f.has(7) else -1
        hdop = _range(f, 8, 0.0, 100.0) if f.has(8) else None
        if not (0 <= quality <= 9) or sats > 99 or (sats < 0 and f.has(7)):
            raise ValueError
        if quality:
            self._stage_fix(f, 2)
            alt = _range(f, 9, -1e4, 1e6) if f.has(9) else None
            geoid = _range(f, 11, -1e3, 1e3) if f.has(11) else None
        if t != _NO_TIME:
            self._set_time(t, None)
        if sats >= 0:
            self.satellites_in_use = sats
        if hdop is not None:
            self.hdop = hdop
        if not quality:
            return False
        self._store_fix()
        if alt is not None:
            self.altitude = alt
        if geoid is not None:
            self.geoid_height = geoid
        return True

    def _gll(self, f, n):
        # $--GLL,lat,N,lon,E[,time,status[,mode]] (NMEA 1.5 sentences end after E)
        if n < 5:
            raise ValueError
        t = f.time(5) if n > 5 and f.has(5) else _NO_TIME
        status = f.char(6) if n > 6 else 65
        if status != 65 and status != 86:
            raise ValueError
        fix = status == 65 and (n < 8 or f.char(7) != 78) and f.has(1)
        if fix:
            self._stage_fix(f, 1)
        if t != _NO_TIME:
            self._set_time(t, None)
        if not fix:
            return False
        self._store_fix()
        return True

    def _vtg(self, f, n):
        # $--VTG,course,T,course mag,M,speed kn,N,speed km/h,K[,mode]
        # (before NMEA 2.0 without the unit letters: $--VTG,course,course mag,kn,km/h)
        if n >= 9 and f.char(2) in (84, 0):  # "T", or empty in a no-fix VTG
            k = 5
            mode = f.char(9) if n > 9 else 0
        elif n == 5:
            k = 3
            mode = 0
        else:
            raise ValueError
        if not f.has(1) or mode == 78:  # no course (mode N): no fix yet
            return False
        course = _range(f, 1, 0.0, 360.0)
        speed = _range(f, k, 0.0, 1e5) if f.has(k) else None
        self.course = course
        if speed is not None:
            self._speed = speed
        return True

    def _gsa(self, f, n):
        # $--GSA,mode,fix type,12 PRNs,pdop,hdop,vdop[,system id]
        if n < 18:
            raise ValueError
        fix_type = f.int(2)
        if not (1 <= fix_type <= 3):
            raise ValueError
        prns = self._prns
        k = 0
        for i in range(3, 15):
            if f.has(i):
                prns[k] = f.int(i)
                k += 1
        pdop = _range(f, 15, 0.0, 100.0) if f.has(15) else None
        hdop = _range(f, 16, 0.0, 100.0) if f.has(16) else None
        vdop = _range(f, 17, 0.0, 100.0) if f.has(17) else None
        # GN receivers send one GSA per constellation in each cycle: keep each one's PRNs,
        # under its system ID (NMEA 4.1), else under its talker (as a negative number).
        system = f.int(18) if n > 18 and f.has(18) else -f.talker()
        if fix_type == 1:
            return False
        used = self._gsa_used.get(system)
        same = used is not None and len(used) == k
        i = 0
        while same and i < k:
            same = used[i] == prns[i]
            i += 1
        if not same:  # a new list only when the PRNs changed
            self._gsa_used[system] = prns[:k]
            every = []
            for key in sorted(self._gsa_used):  # talkers, then GPS (1), GLONASS (2)...
                every.extend(self._gsa_used[key])
            self.satellites_used = every
        if pdop is not None:
            self.pdop = pdop
        if hdop is not None:
            self.hdop = hdop
        if vdop is not None:
            self.vdop = vdop
        return True

    def _gsv(self, f, n):
        # $--GSV,count,index,in view,{PRN,elevation,azimuth,SNR} x 0..4[,signal id]
        if n < 4:
            raise ValueError
        count = f.int(1)
        index = f.int(2)
        in_view = f.int(3)
        if not (1 <= index <= count <= 9) or not (0 <= in_view <= 99):
            raise ValueError
        slots = n - 4
        if slots % 4 == 1:  # NMEA 4.1: a signal ID closes the sentence
            slots -= 1
        if slots % 4 or slots > 16:
            raise ValueError
        sv = self._sv
        k = 0
        for i in range(4, 4 + slots, 4):
            if not f.has(i):
                continue  # an empty slot
            sv[k] = f.int(i)
            elev = sv[k + 1] = f.int(i + 1) if f.has(i + 1) else None
            az = sv[k + 2] = f.int(i + 2) if f.has(i + 2) else None
            snr = sv[k + 3] = f.int(i + 3) if f.has(i + 3) else None
            if (
                (elev is not None and not (-90 <= elev <= 90))
                or (az is not None and not (0 <= az <= 359))
                or (snr is not None and not (0 <= snr <= 99))
            ):
                raise ValueError
            k += 4
        talker = f.talker()
        building = self._sv_building
        if index == 1:
            sats = building[talker] = {}
        else:
            sats = building.get(talker)
            if sats is None:  # the start of this set was missed
                return False
        for i in range(0, k, 4):
            sats[sv[i]] = (sv[i + 1], sv[i + 2], sv[i + 3])
        if index == count:
            done = building.pop(talker)
            data = self._sat_data
            for prn in self._sv_talker_prns.get(talker, ()):
                data.pop(prn, None)
            data.update(done)
            self._sv_talker_prns[talker] = list(done)
            self._sv_in_view[talker] = in_view
            total = 0
            for v in self._sv_in_view.values():
                total += v
            self.satellites_in_view = total
            self._sv_sets += 1
        return True

    def _zda(self, f, n):
        # $--ZDA,time,day,month,year,zone hours,zone minutes
        if n < 5:
            raise ValueError
        if not f.has(1) or not f.has(4):
            return False  # no time yet
        t = f.time(1)
        dd = f.int(2)
        mm = f.int(3)
        year = f.int(4)
        if not (1000 <= year <= 9999) or not (1 <= mm <= 12):
            raise ValueError
        if not (1 <= dd <= month_days(year, mm)):
            raise ValueError
        self._set_time(t, days_from_civil(year, mm, dd))
        return True

    # -- the data API (names and shapes of the original collection) ------------------------

    def latitude(self, coord_format=DD):
        """DD: [degrees, "N"|"S"]; DMS: [deg, min, sec, hemi]; DM: [deg, minutes, hemi];
        KML: signed decimal degrees (north positive)."""
        return self._angle(self._latitude, coord_format, "S")

    def longitude(self, coord_format=DD):
        """As latitude(), hemisphere "E"|"W"; KML is east positive."""
        return self._angle(self._longitude, coord_format, "W")

    @staticmethod
    def _angle(a, coord_format, negative):
        if coord_format == DD:
            return [a[0] + a[1] / 60, a[2]]
        if coord_format == DMS:
            mins = int(a[1])
            return [a[0], mins, round((a[1] - mins) * 60), a[2]]
        if coord_format == DM:
            return [a[0], a[1], a[2]]
        if coord_format == KML:
            v = a[0] + a[1] / 60
            return -v if a[2] == negative else v
        raise ValueError("Unknown coordinate format.")

    def latitude_string(self, coord_format=DM):
        return self._angle_string(self.latitude, coord_format)

    def longitude_string(self, coord_format=DM):
        return self._angle_string(self.longitude, coord_format)

    @staticmethod
    def _angle_string(get, coord_format):
        if coord_format == DD:
            return "%.6f° %s" % tuple(get(DD))
        if coord_format == DMS:
            return "%d° %d' %d\" %s" % tuple(get(DMS))
        if coord_format == KML:
            return "%.6f" % get(KML)
        return "%d° %.4f' %s" % tuple(get(coord_format))

    def speed(self, units=KNOT):
        if units == KNOT:
            return self._speed
        if units == KPH:
            return self._speed * 1.852
        if units == MPH:
            return self._speed * 1.150779
        raise ValueError("Unknown speed units.")

    def speed_string(self, unit=KPH):
        if unit == MPH:
            name = "mph"
        elif unit == KNOT:
            name = "knots"
        else:
            name = "km/h"
        return "%.2f %s" % (self.speed(unit), name)

    def compass_direction(self):
        """The course as one of 16 compass points ("N", "NNE"...)."""
        return _DIRECTIONS[int((self.course + 11.25) % 360 // 22.5)]

    def time_since_fix(self):
        """Milliseconds since the last sentence with a position, or -1 if none yet."""
        if self._fix_time is None:
            return -1
        return _ticks_diff(_ticks_ms(), self._fix_time)

    # -- waiting for data -------------------------------------------------------------------

    async def _next_parse(self):
        if self._event is None:
            self._event = asyncio.Event()
        self._event.clear()
        await self._event.wait()

    async def data_received(self, position=False, course=False, date=False, altitude=False):
        """Wait until sentences with valid data of each asked-for kind have arrived (from
        now on). A course counts only together with a position: receivers send a course
        before their first fix."""
        self._valid = 0
        while True:
            v = self._valid
            if (
                (not position or v & POSITION)
                and (not date or v & DATE)
                and (not course or (v & COURSE and v & POSITION))
                and (not altitude or v & ALTITUDE)
            ):
                return
            await self._next_parse()

    async def get_satellite_data(self):
        """Wait for the next complete set of GSV sentences; returns {PRN: (elevation,
        azimuth, SNR)} (None for a value the receiver left empty), for every talker's last
        complete set. Satellites of two constellations with the same PRN share one entry."""
        sets = self._sv_sets
        while self._sv_sets == sets:
            await self._next_parse()
        return dict(self._sat_data)
