# The refresh task: only changed rows are rewritten, a long refresh lets other tasks run
# between rows, updates made during a refresh are not lost, and the timing holds when the
# scheduler runs on a virtual clock (fast_io), because the driver keeps physical time.
import asyncio

import ptest
from lcd_rig import pins_display
from ptest import eq, test
from vtime import virtual_time


def padded(rows, cols):
    return [r + " " * (cols - len(r)) for r in rows]


@test
async def only_changed_rows_are_rewritten():
    model, lcd = pins_display(20, 4)
    for r in range(4):
        lcd[r] = "row %d" % r
    await lcd.flush()
    eq(model.row_writes, [20, 20, 20, 20], "after initialisation: every row once")
    lcd[2] = "row 2 changed"
    await lcd.flush()
    eq(model.row_writes, [20, 20, 40, 20], "one row changed: only it is written")
    lcd[1] = "row 1"  # the same text again
    lcd[3] = "row 3" + " " * 15  # the same once padded
    await lcd.flush()
    eq(model.row_writes, [20, 20, 40, 20], "unchanged text: nothing written")
    lcd[0] = "first"
    lcd[0] = "row 0"  # back to what is shown before the task ran
    await lcd.flush()
    eq(model.row_writes[0], 20, "changed and changed back: nothing written")
    instructions = model.instructions
    lcd[3] = "last"
    await lcd.flush()
    eq(model.instructions - instructions, 1, "one row: one set-address instruction")
    eq(model.screen(), padded(["row 0", "row 1", "row 2 changed", "last"], 20), "screen")
    model.check()
    lcd.deinit()


@test
async def other_tasks_run_between_rows():
    model, lcd = pins_display(40, 2)
    await lcd.flush()
    seen = []
    running = True

    async def ticker():
        while running:
            seen.append(list(model.row_writes))
            await asyncio.sleep(0)

    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    lcd[0] = "x" * 40
    lcd[1] = "y" * 40
    await lcd.flush()
    running = False
    await t
    # The ticker ran after row 0 was written and before row 1 was.
    if [80, 40] not in seen:
        raise AssertionError("no other task ran between the rows: %r" % seen)
    eq(model.row_writes, [80, 80], "both rows written")
    model.check()
    lcd.deinit()


@test
async def an_update_during_a_refresh_is_shown():
    model, lcd = pins_display(16, 4)
    await lcd.flush()

    async def meddle():
        while model.row_writes[0] < 32:  # until row 0 has been rewritten once
            await asyncio.sleep(0)
        lcd[0] = "changed"

    t = asyncio.create_task(meddle())
    for r in range(4):
        lcd[r] = "text %d" % r
    await lcd.flush()
    await t
    await lcd.flush()
    eq(model.screen(), padded(["changed", "text 1", "text 2", "text 3"], 16), "screen")
    eq(lcd[0], "changed" + " " * 9, "row 0 reads back")
    model.check()
    lcd.deinit()


@test
@virtual_time
async def timing_holds_on_a_virtual_clock():
    # Under fast_io this runs with a VirtualClock: the driver's asyncio sleeps take no real
    # time, but it busy-waits what is left of each execution time on the microsecond clock,
    # so the model (which lives in physical time) sees no violation.
    model, lcd = pins_display(16, 2)
    lcd[0] = "virtual"
    await lcd.flush()
    lcd[1] = "time"
    await lcd.flush()
    eq(model.screen(), padded(["virtual", "time"], 16), "screen")
    model.check()
    lcd.deinit()
    await asyncio.sleep_ms(1) if hasattr(asyncio, "sleep_ms") else await asyncio.sleep(0.001)


ptest.main()
