"""Models of an HD44780 character LCD controller and of the PCF8574 I2C backpack.

`HD44780Model(cols, rows, pins=(rs, e, d4, d5, d6, d7))` is a display module: the controller
and its glass. It watches the E line and latches RS and D4..D7 on every falling edge of E, as
the chip does; D0..D3 are not connected (4-bit wiring) and read as 0. Like a controller whose
power supply did not meet the conditions of its internal reset, it starts in 8-bit mode with
undefined display RAM (shown as 0xFF, a full block) and insists on the datasheet's
"initialising by instruction". It keeps DDRAM, CGRAM, the address counter, the entry mode and
the display shift, and renders the visible screen with `screen()`.

`PCF8574Backpack(model, freq=100000)` is the I2C side of the common backpack: attach it to a
bus (`i2c.attach(0x27, backpack)`); every byte written sets the expander's port (P0=RS, P1=RW,
P2=E, P3=backlight, P4..P7=D4..D7) at the time the byte would finish on a bus running at
`freq`, and a falling edge of E latches into the model exactly as the pin wiring does. The
write blocks for as long as the bytes take on the bus, as a real I2C write does.

Protocol and timing rules are checked, never assumed. A rule broken is recorded in
`model.violations` (a list of strings) and the instruction is still carried out, so one
mistake gives one report; `model.check()` raises AssertionError listing them. Checked:
- the first write at least 40 ms after power-on (the model's creation, or `power_on()`);
- the reset sequence: three 8-bit function sets (0x3 nibbles), 4.1 ms after the first and
  100 us after the second, then a function set choosing the interface length, then (in 4-bit
  mode) a function set choosing lines and font, before any other instruction;
- each instruction or data write starts after the previous one has finished: 37 us, or 1.52
  ms for clear display and return home (the datasheet's figures at fosc = 270 kHz);
- a function set that changes lines or font without changing the interface length (the
  datasheet: not executable after initialisation);
- a DDRAM address that the display does not have.

Time is `devmodels.clock.now_us()`, the real microsecond clock, also under a virtual scheduler
clock: the controller works in physical time, and a driver must keep physical time. (A driver
can sleep through a long wait in asyncio and then busy-wait the rest on ticks_us; the alcd
driver does.) Sub-microsecond timings (E pulse width, set-up and hold times) are not checked:
no Python code on any board toggles a pin that fast. Reads (RW high) are ignored.
"""

import errno

from devmodels import clock


# Execution times (us), HD44780U datasheet at fosc = 270 kHz.
T_CMD = 37
T_CLEAR = 1520
T_POWER = 40000
T_RESET1 = 4100
T_RESET2 = 100

_READY = 5  # init stage once the reset sequence and both function sets are done

# The backpack's port bits.
BP_RS = 0x01
BP_RW = 0x02
BP_E = 0x04
BP_BL = 0x08


def _minus(a, b):
    return a - b


class _Time:
    # Microseconds since the model was made, never wrapping: now_us() wraps on MicroPython.
    def __init__(self, now_us, diff_us):
        self._now_us = now_us
        self._diff_us = diff_us
        self._raw = now_us()
        self._t = 0

    def now(self):
        raw = self._now_us()
        self._t += self._diff_us(raw, self._raw)
        self._raw = raw
        return self._t


class HD44780Model:
    def __init__(self, cols, rows=2, pins=None, now_us=None):
        # now_us: the clock (default devmodels.clock.now_us); a test can give a hand-moved
        # one to make a too-short gap exact, whatever the host's scheduler does meanwhile.
        self.cols = cols
        self.rows = rows
        if now_us is None:
            self._time = _Time(clock.now_us, clock.diff_us)
        else:
            self._time = _Time(now_us, _minus)
        self.violations = []
        self.power_on()
        self._pins = None
        if pins is not None:
            self.connect(pins)

    # -- wiring

    def connect(self, pins):
        """Wire (rs, e, d4, d5, d6, d7) pins (Pin objects, or ids of devmodels.machine
        pins) and start watching E."""
        from devmodels import machine

        pins = [p if hasattr(p, "value") else machine.Pin(p) for p in pins]
        if len(pins) != 6:
            raise ValueError("pins are (rs, e, d4, d5, d6, d7)")
        self._pins = pins
        self._e_level = pins[1].value()
        pins[1].watch(self._e_changed)

    def _e_changed(self, pin):
        level = pin.value()
        fell = self._e_level and not level
        self._e_level = level
        if fell:
            p = self._pins
            n = p[2].value() | p[3].value() << 1 | p[4].value() << 2 | p[5].value() << 3
            self.latch(p[0].value(), n, 0, self._time.now())

    # -- state

    def power_on(self):
        """Power the module (again): the state the datasheet gives when the internal reset
        did not run; RAM contents undefined (0xFF in DDRAM, 0 in CGRAM)."""
        self.ddram = bytearray(b"\xff" * 0x80)
        self.cgram = bytearray(64)
        self.eight_bit = True
        self.two_lines = False
        self.font_5x10 = False
        self.display_on = False
        self.cursor_on = False
        self.blink_on = False
        self.increment = True
        self.shift_on_write = False
        self.ac = 0  # the address counter
        self.in_cgram = False  # which RAM data writes go to (the last set address)
        self.shift = 0  # display shift, in characters (positive: contents moved left)
        self._pending = None  # 4-bit mode: (rs, high nibble) of a half-written byte
        self._powered = self._time.now()
        self._busy_until = self._powered + T_POWER
        self._busy_what = "power-on"
        self._stage = 0  # 0..2: reset function sets seen; 3: length; 4: lines; 5: ready
        self._init_failed = False
        self._nf_settable = True  # function set may change lines and font (after a DL change)
        self.instructions = 0  # instructions executed
        self.data_writes = 0  # data bytes written (DDRAM or CGRAM)
        self.row_writes = [0] * self.rows  # data bytes that landed in each visible row

    def _violation(self, what):
        self.violations.append(what)

    def check(self):
        """Raise AssertionError if any rule was broken."""
        if self.violations:
            raise AssertionError("HD44780 violations: " + "; ".join(self.violations))

    # -- the bus: one transfer latched by a falling edge of E

    def latch(self, rs, nibble, rw=0, t=None):
        """What the controller does on a falling edge of E with RS, RW and D4..D7 as given,
        at time t (us since the model was made; now if None)."""
        if rw:
            return  # a read: the model does not answer reads
        if t is None:
            t = self._time.now()
        rs = 1 if rs else 0
        nibble &= 0x0F
        if self._pending is None:
            # The start of an instruction or data write: the controller must be ready.
            if t < self._busy_until:
                what = self._describe(rs, nibble << 4)
                if not self.eight_bit:
                    what = what[:-1] + "_"  # only the high nibble is known yet
                self._violation(
                    "%s at %d us: the controller is busy with %s until %d us"
                    % (what, t, self._busy_what, self._busy_until)
                )
            if self.eight_bit:
                self._execute(rs, nibble << 4, t)  # D0..D3 unconnected: read as 0
            else:
                self._pending = (rs, nibble)
        else:
            rs0, high = self._pending
            self._pending = None
            self._execute(rs0, high << 4 | nibble, t)

    def _describe(self, rs, byte):
        if rs:
            return "data 0x%02x" % byte
        return "instruction 0x%02x" % byte

    def _execute(self, rs, b, t):
        t_exec = T_CMD
        if self._stage < _READY and not self._init_failed:
            t_exec = self._check_init(rs, b)
        if rs:
            self._write_data(b)
            what = "a data write"
        else:
            self.instructions += 1
            what = "instruction 0x%02x" % b
            if b <= 0x03:  # clear display, return home
                t_exec = T_CLEAR
            self._instruction(b)
        self._busy_until = t + t_exec
        self._busy_what = what

    def _check_init(self, rs, b):
        # The datasheet's initialisation by instruction, step by step. Returns how long this
        # step takes (the reset sequence's first two steps take longer than an instruction).
        stage = self._stage
        func = not rs and b & 0xE0 == 0x20  # a function set
        if stage < 3:
            if func and b & 0x10 and self.eight_bit:
                self._stage = stage + 1
                return (T_RESET1, T_RESET2, T_CMD)[stage]
            self._init_error(rs, b, "function set 8-bit (0x3) number %d of 3" % (stage + 1))
        elif stage == 3:
            if func:
                self._stage = 5 if b & 0x10 else 4  # 8-bit: lines and font set at once
                return T_CMD
            self._init_error(rs, b, "the function set choosing the interface length")
        else:  # stage 4: in 4-bit mode, lines and font next
            if func and not b & 0x10:
                self._stage = 5
                return T_CMD
            self._init_error(rs, b, "the function set choosing lines and font (4-bit)")
        return T_CMD

    def _init_error(self, rs, b, wanted):
        self._violation("initialisation: got %s, wanted %s" % (self._describe(rs, b), wanted))
        self._init_failed = True  # one report, then the model just executes what comes

    def _instruction(self, b):
        if b >= 0x80:  # set DDRAM address
            a = b & 0x7F
            if not self._ddram_valid(a):
                self._violation(
                    "DDRAM address 0x%02x does not exist in %s mode"
                    % (a, "2-line" if self.two_lines else "1-line")
                )
            self.ac = a
            self.in_cgram = False
        elif b >= 0x40:  # set CGRAM address
            self.ac = b & 0x3F
            self.in_cgram = True
        elif b >= 0x20:  # function set
            dl = bool(b & 0x10)
            n = bool(b & 0x08)
            f = bool(b & 0x04)
            # Lines and font may change until initialised, and later only in a function set
            # that changes the interface length or in the one right after it.
            dl_changed = dl != self.eight_bit
            self.eight_bit = dl
            if n != self.two_lines or f != self.font_5x10:
                if self._nf_settable or dl_changed or self._stage < _READY:
                    self.two_lines = n
                    self.font_5x10 = f
                else:
                    self._violation(
                        "function set 0x%02x changes lines or font after initialisation" % b
                    )
            self._nf_settable = dl_changed
        elif b >= 0x10:  # cursor or display shift
            step = 1 if b & 0x04 else -1
            if b & 0x08:
                self.shift -= step  # display shift right moves the contents right
            else:
                self._move(step)
        elif b >= 0x08:  # display on/off control
            self.display_on = bool(b & 0x04)
            self.cursor_on = bool(b & 0x02)
            self.blink_on = bool(b & 0x01)
        elif b >= 0x04:  # entry mode set
            self.increment = bool(b & 0x02)
            self.shift_on_write = bool(b & 0x01)
        elif b >= 0x02:  # return home
            self.ac = 0
            self.in_cgram = False
            self.shift = 0
        elif b == 0x01:  # clear display
            for i in range(0x80):
                self.ddram[i] = 0x20
            self.ac = 0
            self.in_cgram = False
            self.shift = 0
            self.increment = True

    def _ddram_valid(self, a):
        if self.two_lines:
            return a <= 0x27 or 0x40 <= a <= 0x67
        return a <= 0x4F

    def _move(self, step):
        if self.in_cgram:
            self.ac = (self.ac + step) & 0x3F
            return
        a = self.ac + step
        if self.two_lines:  # two lines of 40: 0x00..0x27 then 0x40..0x67, round again
            if a == 0x28:
                a = 0x40
            elif a == 0x68:
                a = 0
            elif a == 0x3F:
                a = 0x27
            elif a < 0:
                a = 0x67
        else:
            a %= 0x50
        self.ac = a

    def _write_data(self, b):
        self.data_writes += 1
        if self.in_cgram:
            self.cgram[self.ac] = b & 0x1F  # 5 pixels per row
        else:
            self.ddram[self.ac] = b
            r = self._row_of(self.ac)
            if r is not None:
                self.row_writes[r] += 1
        self._move(1 if self.increment else -1)
        if self.shift_on_write and not self.in_cgram:
            self.shift += 1 if self.increment else -1

    # -- the glass

    def row_start(self, row):
        """The DDRAM address of the leftmost character of `row` (no display shift)."""
        return (0x00, 0x40, self.cols, 0x40 + self.cols)[row]

    def _row_of(self, a):
        for r in range(self.rows):
            s = self.row_start(r)
            if s <= a < s + self.cols:
                return r
        return None

    def _char_at(self, row, col):
        if self.two_lines:
            start = self.row_start(row)
            base = start & 0x40
            a = base + (start - base + col + self.shift) % 40
        else:
            if row:
                return " "  # 1-line mode drives only the first row's commons
            a = (col + self.shift) % 0x50
        return chr(self.ddram[a])

    def screen(self):
        """The visible text, one str per row. Character codes 0..15 (the custom characters,
        0..7 twice) come out as chr(0)..chr(15); everything blank while the display is off."""
        rows = []
        for r in range(self.rows):
            if not self.display_on:
                rows.append(" " * self.cols)
            else:
                rows.append("".join([self._char_at(r, c) for c in range(self.cols)]))
        return rows

    def glyph(self, code):
        """The 8 pixel rows (5 bits each, top first) of custom character `code` (0..15)."""
        i = (code & 7) * 8
        return list(self.cgram[i : i + 8])


class PCF8574Backpack:
    """The I2C side of a PCF8574 backpack wired to `model` (an HD44780Model).

    `freq` is the bus clock the byte timing follows (the PCF8574 is rated for 100 kHz).
    `present = False` makes it stop acknowledging (the bus raises ENODEV);
    `fail_after(n)` makes the write that carries the (n+1)th byte from now raise
    OSError(EIO), the first n bytes having taken effect, as when a bus error cuts a transfer
    short."""

    def __init__(self, model, freq=100000):
        self.model = model
        self.freq = freq
        self.port = 0xFF  # the PCF8574's outputs are high at power-on
        self.present = True
        self.writes = 0  # I2C write transfers taken
        self._fail_after = None
        self._bus_free = 0

    def fail_after(self, n):
        self._fail_after = n

    @property
    def backlight(self):
        return bool(self.port & BP_BL)

    def i2c_write(self, data):
        if not self.present:
            return False
        now = self.model._time.now()
        byte_us = 9000000 // self.freq  # 8 bits and the acknowledge
        t = max(now, self._bus_free) + byte_us  # the address byte
        for i in range(len(data)):
            if self._fail_after is not None:
                if self._fail_after == 0:
                    self._fail_after = None
                    self._block(t)
                    raise OSError(errno.EIO)
                self._fail_after -= 1
            t += byte_us
            self._set_port(data[i], t)
        self.writes += 1
        self._block(t)
        return True

    def i2c_read(self, n):
        if not self.present:
            return None
        return bytes([self.port]) * n

    def _block(self, t):
        # A real write returns once its bytes are on the bus.
        self._bus_free = t
        now = self.model._time.now
        while now() < t:
            pass

    def _set_port(self, b, t):
        old = self.port
        self.port = b
        if old & BP_E and not b & BP_E:
            # E fell: the controller takes what the port held while E was high.
            self.model.latch(old & BP_RS, old >> 4, old & BP_RW, t)
