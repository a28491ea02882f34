# The manifest tool injects metadata() and module().
# ruff: noqa: F821
metadata(
    description="HD44780 character LCDs on six pins or a PCF8574 I2C backpack (LCD, I2CBackpack).",
    version="0.1.1",
    license="MIT",
    author="micropython-async contributors",
)
module("alcd.py")
