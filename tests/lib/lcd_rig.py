"""Test rigs for the alcd driver: a display model wired to the driver, by pins or I2C.

`pins_display(cols, rows)` wires an HD44780Model to six devmodels.machine pins and makes an
`alcd.LCD` on the same pins; `backpack_display(cols, rows)` puts the model behind a PCF8574
backpack model on a devmodels I2C bus. Each starts from a fresh `machine.reset()`, makes the
model first (its power-on) and the driver second, as a board powers the display up with the
processor. Call them inside a running event loop (the driver starts its task).
"""

from devmodels import machine
from devmodels.hd44780 import HD44780Model, PCF8574Backpack

from alcd import LCD, I2CBackpack

PINS = (10, 11, 12, 13, 14, 15)  # rs, e, d4, d5, d6, d7


def output_pins(ids=PINS):
    return [machine.Pin(i, machine.Pin.OUT, value=0) for i in ids]


def pins_display(cols, rows=2):
    machine.reset()
    model = HD44780Model(cols, rows, pins=PINS)
    return model, LCD(output_pins(), cols, rows)


def backpack_display(cols, rows=2, addr=0x27, freq=100000):
    machine.reset()
    model = HD44780Model(cols, rows)
    backpack = PCF8574Backpack(model, freq)
    i2c = machine.I2C(0)
    i2c.attach(addr, backpack)
    return model, backpack, LCD(I2CBackpack(i2c, addr), cols, rows)
