# What the driver puts on the glass, read back from the HD44780 model wired to six pins:
# every geometry (1, 2 and 4 lines, 8 to 40 columns) with its DDRAM row addresses, reading
# rows back, padding and cutting, custom characters. No timing or protocol rule is broken.
import ptest
from lcd_rig import pins_display
from ptest import eq, test

# (cols, rows): the DDRAM address of each row's first character.
GEOMETRIES = [
    ((16, 2), [0x00, 0x40]),
    ((20, 4), [0x00, 0x40, 0x14, 0x54]),
    ((16, 4), [0x00, 0x40, 0x10, 0x50]),
    ((8, 1), [0x00]),
    ((40, 2), [0x00, 0x40]),
    ((20, 2), [0x00, 0x40]),
    ((8, 2), [0x00, 0x40]),
]


def label(row, cols):
    # A different, full-width text per row, so a row written at the wrong address shows.
    text = "R%d:" % row + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH"[row:]
    return text[:cols]


@test
async def every_geometry_shows_its_rows_at_the_right_addresses():
    for (cols, rows), starts in GEOMETRIES:
        model, lcd = pins_display(cols, rows)
        for r in range(rows):
            lcd[r] = label(r, cols)
        await lcd.flush()
        what = "%dx%d" % (cols, rows)
        model.check()
        eq(model.screen(), [label(r, cols) for r in range(rows)], what + " screen")
        eq(model.two_lines, rows > 1, what + " line mode")
        eq(model.eight_bit, False, what + " 4-bit interface")
        for r in range(rows):
            # The characters are where the datasheet puts that row, not just somewhere.
            got = bytes(model.ddram[starts[r] : starts[r] + cols]).decode()
            eq(got, label(r, cols), "%s DDRAM row %d at 0x%02x" % (what, r, starts[r]))
        eq(model.row_writes, [cols] * rows, what + " each row written once")
        lcd.deinit()


@test
async def rows_read_back_padded_or_cut_to_the_width():
    model, lcd = pins_display(16, 2)
    lcd[0] = "Hi"
    lcd[1] = "a line much longer than sixteen"
    eq(lcd[0], "Hi" + " " * 14, "short row")
    eq(lcd[1], "a line much long", "long row")
    await lcd.flush()
    eq(model.screen(), [lcd[0], lcd[1]], "screen")
    model.check()
    lcd.deinit()


@test
async def the_screen_is_cleared_and_switched_on():
    # The model starts with undefined RAM (full blocks) and the display off.
    model, lcd = pins_display(16, 2)
    eq(model.screen(), [" " * 16] * 2, "display off before initialisation")
    eq(bytes(model.ddram[:16]), b"\xff" * 16, "undefined DDRAM before initialisation")
    await lcd.flush()
    eq(model.display_on, True, "display on")
    eq(model.cursor_on or model.blink_on, False, "no cursor")
    eq(model.increment, True, "entry mode: increment")
    eq(model.screen(), [" " * 16] * 2, "cleared")
    model.check()
    lcd.deinit()


@test
async def characters_outside_the_rom_show_as_question_marks():
    model, lcd = pins_display(8, 1)
    lcd[0] = "5\xb0C \u20ac!"  # degree sign is in Latin-1 (a ROM code); the euro is not
    await lcd.flush()
    eq(model.screen(), ["5\xb0C ?!  "], "screen")
    model.check()
    lcd.deinit()


SMILEY = [0b00000, 0b01010, 0b01010, 0b00000, 0b10001, 0b01110, 0b00000, 0b00000]
BOX = [0b11111, 0b10001, 0b10001, 0b11111]


@test
async def custom_characters_go_to_cgram_and_show():
    model, lcd = pins_display(16, 2)
    lcd.define_char(0, SMILEY)
    lcd.define_char(7, BOX)  # four rows: the rest are blank
    lcd[0] = "ok \x00 \x07"
    await lcd.flush()
    model.check()
    eq(model.glyph(0), SMILEY, "glyph 0 in CGRAM 0x00..0x07")
    eq(model.glyph(7), BOX + [0, 0, 0, 0], "glyph 7 in CGRAM 0x38..0x3f")
    eq(model.screen()[0], "ok \x00 \x07" + " " * 10, "codes 0 and 7 on the screen")
    # Redefining a glyph changes what is shown without rewriting the row.
    before = model.row_writes[0]
    lcd.define_char(0, BOX)
    await lcd.flush()
    eq(model.glyph(0), BOX + [0, 0, 0, 0], "glyph 0 redefined")
    eq(model.row_writes[0], before, "row 0 not rewritten")
    eq(model.data_writes, 8 * 3 + 2 * 16, "data writes: three glyphs of 8 bytes, two rows")
    model.check()
    lcd.deinit()


ptest.main()
