# The PCF8574 I2C backpack: the same screens through the expander's port bits, the
# backlight switch, bus errors (mid-refresh, device gone) that are reported and recovered
# from on the next update while other tasks keep running, and bus timing checked by the
# model (bytes timed at the bus clock).
import asyncio
import errno

import ptest
from alcd import LCD, I2CBackpack
from devmodels import machine
from devmodels.hd44780 import HD44780Model, PCF8574Backpack
from lcd_rig import backpack_display
from ptest import eq, test


def padded(rows, cols):
    return [r + " " * (cols - len(r)) for r in rows]


@test
async def a_20x4_display_on_the_backpack():
    model, bp, lcd = backpack_display(20, 4)
    for r in range(4):
        lcd[r] = "line %d" % r
    await lcd.flush()
    eq(model.screen(), padded(["line 0", "line 1", "line 2", "line 3"], 20), "screen")
    eq(bytes(model.ddram[0x54:0x5A]), b"line 3", "row 3 at 0x54")
    eq(bp.backlight, True, "backlight on by default")
    eq(bp.port & 0x02, 0, "RW low")
    model.check()
    lcd.deinit()


@test
async def one_i2c_write_per_row():
    model, bp, lcd = backpack_display(16, 2)
    await lcd.flush()
    writes = bp.writes
    lcd[1] = "x"
    await lcd.flush()
    # The set-address instruction, then the row's 16 characters as one write of 64 bytes.
    eq(bp.writes - writes, 2, "I2C writes for one row")
    model.check()
    lcd.deinit()


@test
async def the_backlight_switch():
    model, bp, lcd = backpack_display(16, 2)
    lcd[0] = "dark"
    await lcd.flush()
    lcd.backlight = False
    eq(bp.backlight, False, "off at once")
    eq(lcd.backlight, False, "reads back")
    lcd[1] = "still dark"  # data writes keep the backlight bit
    await lcd.flush()
    eq(bp.backlight, False, "off after writing")
    lcd.backlight = True
    eq(bp.backlight, True, "on again")
    eq(model.screen(), padded(["dark", "still dark"], 16), "screen")
    model.check()
    lcd.deinit()


@test
async def the_backlight_can_start_off():
    machine.reset()
    model = HD44780Model(16, 2)
    bp = PCF8574Backpack(model)
    i2c = machine.I2C(0)
    i2c.attach(0x3F, bp)  # a PCF8574A board
    lcd = LCD(I2CBackpack(i2c, 0x3F, backlight=False), 16, 2)
    lcd[0] = "0x3F"
    await lcd.flush()
    eq(bp.backlight, False, "backlight off")
    eq(model.screen()[0], "0x3F" + " " * 12, "screen")
    model.check()
    lcd.deinit()


@test
async def an_i2c_error_mid_refresh_is_reported_and_recovered():
    model, bp, lcd = backpack_display(20, 4)
    lcd[0] = "before"
    await lcd.flush()
    ticks = [0]
    running = True

    async def ticker():  # another task, which must keep running throughout
        while running:
            ticks[0] += 1
            await asyncio.sleep(0)

    t = asyncio.create_task(ticker())
    # The bus fails after 34 more bytes: the set-address instruction (4 bytes) and 7
    # characters and a half (one nibble of the eighth) reach the controller, which is left
    # waiting for the other nibble.
    bp.fail_after(34)
    lcd[1] = "a long line to break"
    e = await ptest.araises(OSError, lcd.flush())
    eq(e.args[0], errno.EIO, "flush() raises the bus error")
    eq(lcd.errors, 1, "errors")
    eq(lcd.error is e, True, "lcd.error")
    eq(model.screen()[1], "a long " + " " * 13, "what got through")
    eq(model._pending is not None, True, "the controller holds half a byte")
    n = ticks[0]
    await asyncio.sleep(0.01)
    eq(ticks[0] > n, True, "other tasks run after the error")
    # The next update re-initialises the display (the half byte is flushed out by the reset
    # sequence) and writes every row again.
    lcd[2] = "after"
    eq(lcd.error, None, "a new update clears the error")
    await lcd.flush()
    running = False
    await t
    eq(model.screen(), padded(["before", "a long line to break", "after", ""], 20), "screen")
    eq(lcd.errors, 1, "errors")
    model.check()  # the recovery broke no rule
    lcd.deinit()


@test
async def a_backpack_that_stops_answering():
    model, bp, lcd = backpack_display(16, 2)
    lcd[0] = "one"
    await lcd.flush()
    bp.present = False  # unplugged: the bus gets no acknowledge
    lcd[0] = "two"
    e = await ptest.araises(OSError, lcd.flush())
    eq(e.args[0], errno.ENODEV, "ENODEV")
    lcd[0] = "three"
    await ptest.araises(OSError, lcd.flush())
    eq(lcd.errors, 2, "each update tried once")
    # Plugged in again, powered up afresh.
    bp.present = True
    bp.port = 0xFF
    model.power_on()
    lcd[1] = "back"
    await lcd.flush()
    eq(model.screen(), padded(["three", "back"], 16), "screen")
    model.check()
    lcd.deinit()


@test
async def a_bus_fault_before_the_device():
    # The bus itself fails (clock stretched too long) on two transactions: nothing reaches
    # the backpack, the error is reported, the next update recovers.
    model, bp, lcd = backpack_display(16, 2)
    lcd[0] = "one"
    await lcd.flush()
    machine.I2C(0).fault(0x27, errno.ETIMEDOUT, count=2)
    lcd[1] = "two"
    e = await ptest.araises(OSError, lcd.flush())
    eq(e.args[0], errno.ETIMEDOUT, "ETIMEDOUT")
    lcd[1] = "three"  # the second faulty transaction is the first of the re-initialisation
    await ptest.araises(OSError, lcd.flush())
    lcd[1] = "four"
    await lcd.flush()
    eq(model.screen(), padded(["one", "four"], 16), "screen")
    eq(lcd.errors, 2, "errors")
    model.check()
    lcd.deinit()


@test
async def a_bus_too_fast_for_the_controller_is_caught():
    # At 1 MHz two port bytes (18 us) separate successive characters: less than 37 us.
    model, bp, lcd = backpack_display(16, 2, freq=1000000)
    lcd[0] = "too fast"
    await lcd.flush()
    if not model.violations or "busy" not in model.violations[0]:
        raise AssertionError("not caught: %r" % model.violations)
    lcd.deinit()


@test
async def a_400_khz_bus_is_fine():
    model, bp, lcd = backpack_display(16, 2, freq=400000)
    lcd[0] = "400 kHz"
    await lcd.flush()
    eq(model.screen()[0], "400 kHz" + " " * 9, "screen")
    model.check()
    lcd.deinit()


ptest.main()
