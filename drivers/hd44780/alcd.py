"""alcd: HD44780 character LCDs for asyncio, on six pins or an I2C backpack.

Hardware: a display with an HD44780 controller (or a compatible one: KS0066, SPLC780...) of
1, 2 or 4 lines and 8 to 40 columns, wired in 4-bit mode with R/W tied to ground, either
straight to six output pins (RS, E, D4..D7) or through the common PCF8574 I2C backpack. The
driver never creates pins or buses itself: they come in by argument.

Dependencies: none besides asyncio.

Quick start (inside the application's main coroutine: the driver starts a task):

    lcd = LCD((rs, e, d4, d5, d6, d7), 16, 2)        # machine.Pin outputs
    lcd = LCD(I2CBackpack(i2c), 20, 4)               # or a PCF8574 backpack at 0x27
    lcd[0] = "Hello"                                 # returns at once
    await lcd.flush()                                # optional: wait until it is shown

How it works: `lcd[row] = text` stores the text and wakes the driver's task, which writes
only the rows that changed since they were last written, yielding to other tasks between
rows. Setting a row never blocks and never raises for a bus error. The task initialises the
display first (the datasheet's "initialising by instruction", which works whatever state the
controller is in) and again after any write failed, so a display that was unplugged or
disturbed comes back on the next update. Timing: every instruction and data write starts at
least its execution time after the one before (37 us, 1.52 ms for clear), kept with a
deadline on the microsecond clock; waits of a millisecond or more sleep in asyncio first, so
other tasks run meanwhile.

Transports: the LCD talks to the display through a transport object with three members,
`nibble(rs, n)`, `write(rs, buf, n)` and `backlight`; `_Pins` and `I2CBackpack` are the two
here, and another port expander needs only a class like `I2CBackpack`.
"""

try:
    import asyncio
except ImportError:  # MicroPython 1.20 names its scheduler uasyncio
    import uasyncio as asyncio
import sys

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


try:
    from time import ticks_add, ticks_diff, ticks_us
except ImportError:  # CPython: the same operations on a monotonic microsecond count
    from time import monotonic_ns as _ns

    def ticks_us():
        return _ns() // 1000

    def ticks_diff(a, b):
        return a - b

    def ticks_add(t, d):
        return t + d


if hasattr(asyncio, "sleep_ms"):
    _sleep_ms = asyncio.sleep_ms
else:  # CPython's asyncio

    def _sleep_ms(ms):
        return asyncio.sleep(ms / 1000)


# Execution times from the HD44780U datasheet (fosc = 270 kHz), with a margin for slower
# clones: the next write may start only this long after the previous one ended.
_T_CMD = const(40)  # us: every instruction and data write except the two below (37 us)
_T_CLEAR = const(1600)  # us: clear display and return home (1.52 ms)
_T_POWER = const(41000)  # us: from power-on to the first write (> 40 ms)
_T_RESET1 = const(4200)  # us: after the first 0x3 nibble of the reset sequence (> 4.1 ms)
_T_RESET2 = const(150)  # us: after the second (> 100 us)

# Instructions.
_CLEAR = const(0x01)
_ENTRY_INC = const(0x06)  # entry mode: address counter increments, display does not shift
_DISPLAY_OFF = const(0x08)
_DISPLAY_ON = const(0x0C)  # display on, cursor off, blink off
_FUNC_4BIT_1LINE = const(0x20)  # function set: 4-bit bus, 1 line, 5x8 dots
_FUNC_4BIT_2LINE = const(0x28)  # ... 2 lines (4-line displays run as two long lines)
_SET_CGRAM = const(0x40)
_SET_DDRAM = const(0x80)

# PCF8574 backpack: which port bit drives which display line (P4..P7 are D4..D7).
_BP_RS = const(0x01)
_BP_RW = const(0x02)  # kept low: the driver only writes
_BP_E = const(0x04)
_BP_BL = const(0x08)


def _left_us(deadline):
    # Microseconds until `deadline`, 0 if it has passed. ticks_us() wraps (every 17.9 min on
    # most ports), so a deadline left unused for half of that would look far in the future:
    # no deadline is ever set more than _T_POWER ahead, so anything further has passed.
    left = ticks_diff(deadline, ticks_us())
    return left if 0 < left <= _T_POWER else 0


def _wait_until(deadline):
    # Busy-wait on the microsecond clock. Used for the short execution times only (tens of
    # us: less than a task switch costs), and after an asyncio sleep has taken the bulk of a
    # long one, to make sure the controller is ready whatever clock the scheduler follows.
    while _left_us(deadline):
        pass


def _report(exc):
    print("alcd: display write failed, retrying on the next update:", file=sys.stderr)
    if hasattr(sys, "print_exception"):
        sys.print_exception(exc)
    else:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)


class _Pins:
    """Transport over six (or seven) output pins: (rs, e, d4, d5, d6, d7[, backlight]).

    Each pin is anything with `value(level)`: a machine.Pin set as an output, a Signal, a
    model. Bytes go out as two nibbles, high first, each latched by the falling edge of E."""

    def __init__(self, pins):
        if len(pins) not in (6, 7):
            raise ValueError("pinlist is (rs, e, d4, d5, d6, d7) or with a backlight pin")
        self._rs = pins[0].value
        self._e = pins[1].value
        self._d = [p.value for p in pins[2:6]]
        self._bl = pins[6] if len(pins) == 7 else None
        self._e(0)

    def nibble(self, rs, n):
        self._rs(rs)
        d = self._d
        d[0](n & 1)
        d[1](n >> 1 & 1)
        d[2](n >> 2 & 1)
        d[3](n >> 3 & 1)
        self._e(1)  # E high for > 450 ns: one Python call takes longer than that on any board
        self._e(0)

    def write(self, rs, buf, n):
        # n bytes from buf, each a whole execution time after the one before.
        nibble = self.nibble
        ready = ticks_us()
        for i in range(n):
            _wait_until(ready)
            b = buf[i]
            nibble(rs, b >> 4)
            nibble(rs, b)
            ready = ticks_add(ticks_us(), _T_CMD)

    @property
    def backlight(self):
        if self._bl is None:
            raise AttributeError("no backlight pin was given")
        return bool(self._bl.value())

    @backlight.setter
    def backlight(self, on):
        if self._bl is None:
            raise AttributeError("no backlight pin was given")
        self._bl.value(1 if on else 0)


class I2CBackpack:
    """Transport through a PCF8574 port expander (the usual "I2C backpack"), at `addr`
    (0x27 by default; 0x20..0x27, or 0x38..0x3F for the PCF8574A).

    Port bits: P0=RS, P1=RW, P2=E, P3=backlight, P4..P7=D4..D7. Every nibble takes two port
    writes (E high with the data, then E low); a run of bytes goes out as one I2C write, four
    port bytes per display byte, so the bus itself spaces the bytes (two port writes between
    successive falling edges of E: 45 us at 400 kHz, 180 us at the PCF8574's rated 100 kHz,
    both more than the 37 us a write takes)."""

    def __init__(self, i2c, addr=0x27, backlight=True):
        self._i2c = i2c
        self.addr = addr
        self._bl = _BP_BL if backlight else 0
        self._buf = bytearray(160)  # 4 port bytes per display byte: one 40-column row
        self._mv = memoryview(self._buf)

    def _put(self, i, rs, n):
        # Two port bytes for one nibble at self._buf[i]: E high with the data, then E low.
        v = (n & 0x0F) << 4 | self._bl | rs
        self._buf[i] = v | _BP_E
        self._buf[i + 1] = v

    def nibble(self, rs, n):
        self._put(0, _BP_RS if rs else 0, n)
        self._i2c.writeto(self.addr, self._mv[:2])

    def write(self, rs, buf, n):
        rs = _BP_RS if rs else 0
        i = 0
        while n:
            k = n if n <= 40 else 40  # a chunk that fits the buffer
            j = 0
            for m in range(i, i + k):
                b = buf[m]
                self._put(j, rs, b >> 4)
                self._put(j + 2, rs, b)
                j += 4
            self._i2c.writeto(self.addr, self._mv[:j])
            i += k
            n -= k

    @property
    def backlight(self):
        return bool(self._bl)

    @backlight.setter
    def backlight(self, on):
        # Takes effect at once (one port write, E low: the display latches nothing).
        self._bl = _BP_BL if on else 0
        self._buf[0] = self._bl
        self._i2c.writeto(self.addr, self._mv[:1])


class LCD:
    """A character display of `rows` lines (1, 2 or 4) of `cols` characters (8 to 40; at
    most 20 on 4 lines, which share the controller's 80 characters of display RAM).

    `pinlist` is (rs, e, d4, d5, d6, d7) output pins, optionally with a backlight pin at the
    end, or a transport such as `I2CBackpack(i2c)`. Construct it in a running event loop."""

    def __init__(self, pinlist, cols, rows=2):
        if rows not in (1, 2, 4):
            raise ValueError("rows must be 1, 2 or 4")
        if not 8 <= cols <= (20 if rows == 4 else 40):
            raise ValueError("cols must be 8 to %d for %d rows" % (20 if rows == 4 else 40, rows))
        self._t = pinlist if hasattr(pinlist, "nibble") else _Pins(pinlist)
        self.cols = cols
        self.rows = rows
        blank = " " * cols
        self._lines = [blank] * rows  # what the application asked for, padded to cols
        self._shown = [None] * rows  # what the display shows (None: unknown)
        self._dirty = (1 << rows) - 1  # bit r: row r may differ from the display
        self._glyphs = None  # CGRAM's 64 bytes, made by the first define_char()
        self._glyphs_defined = 0  # bit n: glyph n was defined
        self._glyphs_dirty = 0  # bit n: glyph n still to be written to CGRAM
        self._buf = bytearray(cols)  # one row, as character codes
        self._cmd = bytearray(1)  # one instruction
        # The controller takes no write before this ticks_us() time. The first one is 40 ms
        # after the driver was made: the display is assumed to have been powered up with it.
        self._ready = ticks_add(ticks_us(), _T_POWER)
        self._need_init = True  # the next refresh starts with the initialisation sequence
        self._first_init = True
        self.error = None  # the exception of the last failed refresh, None once one succeeds
        self.errors = 0  # failed refreshes so far
        self._wake = asyncio.Event()  # set: there is something to write
        # Set when nothing is left to write or the last refresh failed; made by the first
        # flush(), so that applications that never call it do not pay for it.
        self._idle = None
        self._stopped = False  # deinit() was called
        self._task = asyncio.create_task(self._run())

    # The application's side.

    def __setitem__(self, row, text):
        if not isinstance(text, str):
            raise TypeError("an LCD row takes a str")
        if not 0 <= row < self.rows:
            raise IndexError("row %d of a %d-row display" % (row, self.rows))
        n = self.cols
        text = text[:n] if len(text) >= n else text + " " * (n - len(text))
        if text != self._lines[row]:
            self._lines[row] = text
            self._dirty |= 1 << row
            self._poke()

    def __getitem__(self, row):
        """The text of `row` as it is (or soon will be) shown: padded or cut to `cols`."""
        if not 0 <= row < self.rows:
            raise IndexError("row %d of a %d-row display" % (row, self.rows))
        return self._lines[row]

    def define_char(self, n, rows_of_5_bits):
        """Make character code n (0..7) show a glyph of up to 8 rows, top first, each row's
        5 low bits the pixels left to right (0b10000 is the leftmost). Missing rows are blank.
        Put chr(n) in a row's text to show it; text already shown changes with it."""
        if not 0 <= n <= 7:
            raise ValueError("custom characters are 0 to 7")
        glyph = bytearray(8)
        i = 0
        for r in rows_of_5_bits:
            if i == 8 or not 0 <= r <= 0x1F:
                raise ValueError("a glyph is up to 8 rows of 5 bits (0 to 31)")
            glyph[i] = r
            i += 1
        if self._glyphs is None:
            self._glyphs = bytearray(64)
        self._glyphs[n * 8 : n * 8 + 8] = glyph
        self._glyphs_defined |= 1 << n
        self._glyphs_dirty |= 1 << n
        self._poke()

    @property
    def backlight(self):
        return self._t.backlight

    @backlight.setter
    def backlight(self, on):
        self._t.backlight = on

    async def flush(self):
        """Wait until everything set so far is on the display. Raises the error of the
        refresh if it failed (the driver tries again on the next update)."""
        while self._pending():
            if self._stopped:
                raise RuntimeError("the LCD was deinit()ed: nothing more is written")
            if self.error is not None:
                raise self.error
            if self._idle is None:
                self._idle = asyncio.Event()
            self._idle.clear()
            await self._idle.wait()

    def deinit(self):
        """Stop the driver's task. The display keeps showing what it shows; flush() raises
        from now on if anything is left unwritten."""
        self._stopped = True
        self._task.cancel()
        self._set_idle()  # a flush() waiting now raises

    def _poke(self):
        self.error = None  # a new attempt is coming
        self._wake.set()

    def _set_idle(self):
        if self._idle is not None:
            self._idle.set()

    def _pending(self):
        return self._need_init or self._dirty or self._glyphs_dirty

    # The driver's task.

    async def _run(self):
        while True:
            self._wake.clear()
            if self._pending():
                try:
                    await self._refresh()
                except Exception as e:  # a bus error (OSError) or anything else: never die
                    _report(e)
                    self.error = e
                    self.errors += 1
                    # The controller may hold half a byte: start again from the reset sequence.
                    self._need_init = True
                    self._set_idle()  # flush() raises the error
                    await self._wake.wait()  # retry on the next update
                    continue
            if not self._pending():
                self._set_idle()
                await self._wake.wait()

    async def _refresh(self):
        if self._need_init:
            await self._init()
        for n in range(8):
            if self._glyphs_dirty & (1 << n):
                self._glyphs_dirty &= ~(1 << n)
                self._send(0, _SET_CGRAM | n << 3)
                self._send(1, memoryview(self._glyphs)[n * 8 : n * 8 + 8])
        for row in range(self.rows):
            if self._dirty & (1 << row):
                # Cleared before writing: an update made while this row is written marks it
                # again, and a failure marks everything again (re-initialisation).
                self._dirty &= ~(1 << row)
                text = self._lines[row]
                if text != self._shown[row]:  # not changed and changed back
                    self._shown[row] = None  # unknown until written in full
                    self._write_row(row, text)
                    self._shown[row] = text
                    await _sleep_ms(0)  # let other tasks run between rows

    def _write_row(self, row, text):
        buf = self._buf
        for i in range(self.cols):
            c = ord(text[i])
            buf[i] = c if c < 256 else 0x3F  # '?' for what the character ROM cannot show
        addr = (0, 0x40, self.cols, 0x40 + self.cols)[row]
        self._send(0, _SET_DDRAM | addr)
        self._send(1, buf)

    def _send(self, rs, data, t_exec=_T_CMD):
        # One instruction (an int) or a run of data bytes, once the controller is ready.
        _wait_until(self._ready)
        if isinstance(data, int):
            self._cmd[0] = data
            data = self._cmd
        self._t.write(rs, data, len(data))
        self._ready = ticks_add(ticks_us(), t_exec)

    async def _wait_ready(self):
        # A long execution time: sleep through most of it (other tasks run meanwhile), then
        # busy-wait the rest on the microsecond clock, whatever clock the scheduler follows.
        left = _left_us(self._ready)
        if left >= 1000:
            await _sleep_ms(left // 1000)
        _wait_until(self._ready)

    async def _init(self):
        # The datasheet's initialisation by instruction for a 4-bit interface (HD44780U,
        # figure 24). It works from any state the controller may be in, including halfway
        # through a byte after a failed write: the three 0x3 nibbles always end in 8-bit mode.
        t = self._t
        if not self._first_init:
            # After a failure: the display may have been unplugged and powered up again.
            self._ready = ticks_add(ticks_us(), _T_POWER)
        self._first_init = False
        await self._wait_ready()
        for t_exec in (_T_RESET1, _T_RESET2, _T_CMD):
            t.nibble(0, 0x3)  # function set, 8-bit interface
            self._ready = ticks_add(ticks_us(), t_exec)
            await self._wait_ready()
        t.nibble(0, 0x2)  # function set, 4-bit interface: from here every byte is 2 nibbles
        self._ready = ticks_add(ticks_us(), _T_CMD)
        self._send(0, _FUNC_4BIT_2LINE if self.rows > 1 else _FUNC_4BIT_1LINE)
        self._send(0, _DISPLAY_OFF)
        self._send(0, _CLEAR, _T_CLEAR)
        await self._wait_ready()
        self._send(0, _ENTRY_INC)
        self._send(0, _DISPLAY_ON)
        self._need_init = False
        # What the display showed is gone: every row and every defined glyph is rewritten.
        self._dirty = (1 << self.rows) - 1
        for r in range(self.rows):
            self._shown[r] = None
        self._glyphs_dirty = self._glyphs_defined
