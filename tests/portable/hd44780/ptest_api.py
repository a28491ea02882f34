# The LCD's interface: bad arguments get clear errors and change nothing, a backlight pin on
# the direct wiring, deinit(), a custom transport, and the driver's task surviving an
# exception that is not a bus error.
import asyncio

import alcd
import ptest
from devmodels import machine
from devmodels.hd44780 import HD44780Model
from lcd_rig import PINS, output_pins, pins_display
from ptest import eq, raises, test


@test
async def impossible_geometries_are_refused():
    pins = output_pins()
    for cols, rows in ((16, 3), (16, 0), (7, 2), (41, 2), (21, 4), (41, 1)):
        e = raises(ValueError, alcd.LCD, pins, cols, rows)
        eq("rows" in str(e) or "cols" in str(e), True, "message %r" % str(e))
    raises(ValueError, alcd.LCD, pins[:5], 16, 2)
    for cols, rows in ((40, 1), (20, 4), (8, 4), (40, 2)):
        alcd.LCD(pins, cols, rows).deinit()


@test
async def bad_rows_and_text_change_nothing():
    model, lcd = pins_display(16, 2)
    lcd[0] = "kept"
    raises(IndexError, lcd.__setitem__, 2, "x")
    raises(IndexError, lcd.__setitem__, -1, "x")
    raises(IndexError, lcd.__getitem__, 2)
    raises(TypeError, lcd.__setitem__, 0, 42)
    raises(TypeError, lcd.__setitem__, 1, b"bytes")
    eq(lcd[0], "kept" + " " * 12, "row 0")
    eq(lcd[1], " " * 16, "row 1")
    await lcd.flush()
    eq(model.screen(), ["kept" + " " * 12, " " * 16], "screen")
    model.check()
    lcd.deinit()


@test
async def bad_glyphs_change_nothing():
    model, lcd = pins_display(16, 2)
    lcd.define_char(1, [1, 2, 3])
    raises(ValueError, lcd.define_char, 8, [0] * 8)
    raises(ValueError, lcd.define_char, -1, [0] * 8)
    raises(ValueError, lcd.define_char, 1, [0] * 9)
    raises(ValueError, lcd.define_char, 1, [32])
    raises(ValueError, lcd.define_char, 1, [-1])
    await lcd.flush()
    eq(model.glyph(1), [1, 2, 3, 0, 0, 0, 0, 0], "glyph 1 as first defined")
    model.check()
    lcd.deinit()


@test
async def a_backlight_pin_on_the_direct_wiring():
    machine.reset()
    model = HD44780Model(16, 2, pins=PINS)
    bl = machine.Pin(16, machine.Pin.OUT, value=0)
    lcd = alcd.LCD(output_pins() + [bl], 16, 2)
    lcd.backlight = True
    eq(bl.value(), 1, "pin high")
    eq(lcd.backlight, True, "reads back")
    lcd.backlight = False
    eq(bl.value(), 0, "pin low")
    lcd[0] = "backlight pin"
    await lcd.flush()
    eq(model.screen()[0], "backlight pin   ", "screen")
    model.check()
    lcd.deinit()
    _, lcd = pins_display(16, 2)
    raises(AttributeError, lambda: lcd.backlight)
    lcd.deinit()


@test
async def deinit_stops_the_task():
    model, lcd = pins_display(16, 2)
    lcd[0] = "shown"
    await lcd.flush()
    lcd.deinit()
    await asyncio.sleep(0.01)
    writes = model.data_writes
    lcd[0] = "not shown"
    await asyncio.sleep(0.01)
    eq(model.data_writes, writes, "nothing written after deinit()")
    eq(model.screen()[0], "shown" + " " * 11, "screen")


@test
async def flush_after_deinit_raises_instead_of_waiting_for_ever():
    model, lcd = pins_display(16, 2)
    lcd[0] = "shown"
    await lcd.flush()
    lcd[1] = "never written"
    waiter = asyncio.create_task(lcd.flush())
    lcd.deinit()  # before the driver's task could write row 1
    lcd.deinit()  # twice is harmless
    for what in (waiter, lcd.flush()):
        try:
            await asyncio.wait_for(what, 1)
            raise AssertionError("flush() returned although row 1 was never written")
        except asyncio.TimeoutError:
            raise AssertionError("flush() after deinit() waits for ever") from None
        except RuntimeError as e:
            eq("deinit" in str(e), True, "message %r" % str(e))
    eq(model.screen()[0], "shown" + " " * 11, "screen")


@test
async def a_deadline_from_long_ago_is_not_waited_for():
    # ticks_us() wraps every 2**30 us on a 32-bit board: there a deadline set 10 minutes
    # ago reads as about 8 minutes ahead (the 64-bit unix port wraps far later, so the test
    # sets such a deadline directly). Nothing is ever due more than 41 ms ahead, so the
    # driver must take it as passed rather than wait for it.
    model, lcd = pins_display(16, 2)
    await lcd.flush()
    lcd._ready = alcd.ticks_add(alcd.ticks_us(), 100000000)  # "100 s ahead"
    lcd[0] = "no wait"
    await lcd.flush()  # hangs for 100 s if the deadline is taken for a future one
    eq(model.screen()[0], "no wait" + " " * 9, "screen")
    lcd.deinit()


class Broken:
    # A transport that fails once with something other than OSError.
    def __init__(self, inner):
        self.inner = inner
        self.fail = True

    def nibble(self, rs, n):
        self.inner.nibble(rs, n)

    def write(self, rs, buf, n):
        if self.fail and rs:
            self.fail = False
            raise ValueError("transport bug")
        self.inner.write(rs, buf, n)


@test
async def any_exception_in_the_task_is_survived():
    machine.reset()
    model = HD44780Model(16, 2, pins=PINS)
    lcd = alcd.LCD(Broken(alcd._Pins(output_pins())), 16, 2)
    lcd[0] = "first"
    await ptest.araises(ValueError, lcd.flush())
    lcd[0] = "second"
    await lcd.flush()
    eq(model.screen()[0], "second" + " " * 10, "screen")
    eq(lcd.errors, 1, "errors")
    model.check()
    lcd.deinit()


ptest.main()
