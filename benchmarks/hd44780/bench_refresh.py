# Full-screen refresh time of the alcd driver: every row changed, from the assignment to the
# end of flush(). Run it through run.py, or directly:
#     micropython benchmarks/hd44780/bench_refresh.py [fast_io]   (alcd, devmodels on MICROPYPATH)
# Prints one line per case: name, best and median time in us over REPEAT refreshes, and the
# ratio of the best to the controller's own minimum, measured against a reference computed in
# the same run: one 37 us execution time per byte the refresh sends (a set-address instruction
# and `cols` characters per row).
import sys

if "fast_io" in sys.argv[1:]:
    import fast_io

    fast_io.install()

import asyncio

from alcd import LCD, I2CBackpack

try:
    from time import ticks_diff, ticks_us
except ImportError:  # CPython
    from time import monotonic_ns

    def ticks_us():
        return monotonic_ns() // 1000

    def ticks_diff(a, b):
        return a - b


REPEAT = 20


class NullPin:
    # A pin that costs what a Python call costs and nothing more: the driver alone.
    def value(self, v=None):
        return 0


class NullI2C:
    def writeto(self, addr, buf):
        return len(buf)


def null_pins(cols, rows):
    return None, LCD([NullPin() for _ in range(6)], cols, rows)


def model_pins(cols, rows):
    from devmodels import machine
    from devmodels.hd44780 import HD44780Model

    machine.reset()
    ids = (10, 11, 12, 13, 14, 15)
    model = HD44780Model(cols, rows, pins=ids)
    return model, LCD([machine.Pin(i, machine.Pin.OUT, value=0) for i in ids], cols, rows)


def null_backpack(cols, rows):
    return None, LCD(I2CBackpack(NullI2C()), cols, rows)


def model_backpack(freq):
    def make(cols, rows):
        from devmodels import machine
        from devmodels.hd44780 import HD44780Model, PCF8574Backpack

        machine.reset()
        model = HD44780Model(cols, rows)
        i2c = machine.I2C(0)
        i2c.attach(0x27, PCF8574Backpack(model, freq))
        return model, LCD(I2CBackpack(i2c), cols, rows)

    return make


CASES = (
    ("pins_16x2_driver_only", null_pins, 16, 2),
    ("pins_20x4_driver_only", null_pins, 20, 4),
    ("pins_20x4_with_model", model_pins, 20, 4),
    ("pins_40x2_driver_only", null_pins, 40, 2),
    ("backpack_20x4_driver_only", null_backpack, 20, 4),
    ("backpack_20x4_model_100kHz", model_backpack(100000), 20, 4),
    ("backpack_20x4_model_400kHz", model_backpack(400000), 20, 4),
)


async def refresh_times(make, cols, rows):
    model, lcd = make(cols, rows)
    await lcd.flush()  # initialised
    times = []
    for i in range(REPEAT):
        t0 = ticks_us()
        for r in range(rows):
            lcd[r] = ("%d" % ((i + r) % 10)) * cols
        await lcd.flush()
        times.append(ticks_diff(ticks_us(), t0))
    if model is not None:
        model.check()
        want = [("%d" % ((REPEAT - 1 + r) % 10)) * cols for r in range(rows)]
        assert model.screen() == want, model.screen()
    lcd.deinit()
    times.sort()
    return times[0], times[len(times) // 2]


async def main():
    only = [a for a in sys.argv[1:] if a != "fast_io"]
    for name, make, cols, rows in CASES:
        if only and not any(o in name for o in only):
            continue
        best, median = await refresh_times(make, cols, rows)
        minimum = rows * (cols + 1) * 37
        print(name, best, median, "%.2f" % (best / minimum))


asyncio.run(main())
