# The HD44780 model catches protocol and timing mistakes. Hand-written nibble sequences on
# the pins (a driver that gets it wrong), each checked for the one report it should give,
# next to the correct sequence, which gives none; and the real driver with a transport that
# does not wait between bytes.
#
# The hand-written sequences run on a hand-moved microsecond clock given to the model: a gap
# that must be too short stays exactly as short even when the host pauses this process.
import alcd
import ptest
from devmodels import machine
from devmodels.hd44780 import HD44780Model
from lcd_rig import PINS, output_pins, pins_display
from ptest import eq, test


class Wire:
    """Nibbles on the six pins, with the waits the caller asks for, in model time."""

    def __init__(self):
        machine.reset()
        self.now = 0
        self.model = HD44780Model(16, 2, pins=PINS, now_us=lambda: self.now)
        self.t = alcd._Pins(output_pins())

    def nibble(self, n, rs=0, after_us=50):
        self.t.nibble(rs, n)
        self.now += 1 + after_us  # a pulse on E takes a microsecond

    def byte(self, b, rs=0, after_us=50):
        self.nibble(b >> 4, rs, 0)
        self.nibble(b, rs, after_us)

    def reset_sequence(self):
        self.now += 41000
        self.nibble(0x3, after_us=4200)
        self.nibble(0x3, after_us=150)
        self.nibble(0x3)
        self.nibble(0x2)

    def init(self, func=0x28):
        self.reset_sequence()
        for b in (func, 0x08, 0x01, 0x06, 0x0C):
            self.byte(b, after_us=1600 if b == 0x01 else 50)


def one_violation(model, *words):
    eq(len(model.violations), 1, "violations %r" % model.violations)
    for w in words:
        if w not in model.violations[0]:
            raise AssertionError("%r not in %r" % (w, model.violations[0]))


@test
def the_datasheet_sequence_is_accepted():
    w = Wire()
    w.init()
    for c in b"Hi!":
        w.byte(c, rs=1)
    eq(w.model.violations, [], "violations")
    eq(w.model.screen(), ["Hi!" + " " * 13, " " * 16], "screen")


@test
def a_write_within_40_ms_of_power_on():
    w = Wire()
    w.nibble(0x3)
    one_violation(w.model, "power-on")


@test
def skipping_the_reset_sequence():
    w = Wire()
    w.now += 41000
    w.nibble(0x2)  # straight to 4-bit, as if the internal reset had worked
    w.byte(0x28)
    one_violation(w.model, "initialisation", "0x20", "number 1 of 3")


@test
def a_short_wait_in_the_reset_sequence():
    w = Wire()
    w.now += 41000
    w.nibble(0x3, after_us=4000)  # needs 4.1 ms
    w.nibble(0x3, after_us=150)
    one_violation(w.model, "busy")


@test
def another_instruction_before_lines_and_font_are_set():
    w = Wire()
    w.reset_sequence()
    w.byte(0x0C)  # display on, before the 4-bit function set with N and F
    one_violation(w.model, "initialisation", "0x0c", "lines and font")


@test
def an_instruction_while_clear_is_still_running():
    w = Wire()
    w.init()
    w.byte(0x01, after_us=1400)  # clear takes 1.52 ms
    w.byte(0x80)
    one_violation(w.model, "busy", "0x01")


@test
def bytes_faster_than_37_us():
    w = Wire()
    w.init()
    w.byte(0x41, rs=1, after_us=30)
    w.byte(0x42, rs=1)
    one_violation(w.model, "busy", "data")


@test
def changing_the_line_count_after_initialisation():
    w = Wire()
    w.init()
    w.byte(0x20)  # 1 line
    one_violation(w.model, "changes lines or font")


@test
def a_ddram_address_the_display_does_not_have():
    w = Wire()
    w.init()
    w.byte(0x80 | 0x30)  # 2-line mode: 0x28..0x3f do not exist
    one_violation(w.model, "0x30")


@test
def without_clear_the_undefined_ram_shows():
    w = Wire()
    w.reset_sequence()
    for b in (0x28, 0x06, 0x0C):
        w.byte(b)
    eq(w.model.violations, [], "violations")
    eq(w.model.screen(), ["\xff" * 16] * 2, "full blocks")


class Rushed(alcd._Pins):
    # A transport that forgets the execution time between the bytes of a run.
    def write(self, rs, buf, n):
        for i in range(n):
            self.nibble(rs, buf[i] >> 4)
            self.nibble(rs, buf[i])


@test
async def the_driver_with_a_transport_that_rushes():
    machine.reset()
    model = HD44780Model(16, 2, pins=PINS)
    lcd = alcd.LCD(Rushed(output_pins()), 16, 2)
    lcd[0] = "too fast"
    await lcd.flush()
    if not model.violations or "busy" not in model.violations[0]:
        raise AssertionError("not caught: %r" % model.violations)
    lcd.deinit()


@test
async def the_driver_itself_breaks_no_rule():
    model, lcd = pins_display(16, 2)
    lcd[0] = "0123456789abcdef"
    lcd[1] = "fedcba9876543210"
    await lcd.flush()
    eq(model.violations, [], "violations")
    lcd.deinit()


ptest.main()
