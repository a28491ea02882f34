# The README's wiring table, on modelled buses (devmodels.machine): each board's bus, made as
# the table's last row says, reaches a sensor model attached at 0x40 to the same bus (same id,
# or same pins for SoftI2C), and the driver reads it; the SCL and SDA rows name the pins the
# bus expression uses. In real time on MicroPython's and CPython's asyncio, in virtual time
# under fast_io.
import ptest
from devmodels import clock, machine
from devmodels.htu21d import HTU21DModel
from devmodels.machine import I2C, Pin, SoftI2C
from ptest import eq, test

from htu21d_mc import ADDR, HTU21D

HERE = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
README = HERE + "/../../../drivers/htu21d/README.md"


def table():
    """The wiring table: {first cell: [cells]}."""
    rows = {}
    with open(README) as f:
        text = f.read()
    start = text.index("| sensor pin |")
    for line in text[start:].split("\n"):
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def code(cell):
    # `I2C(0, ...)` -> I2C(0, ...)
    eq(cell[0] + cell[-1], "``", "a bus cell is code: %r" % cell)
    return cell[1:-1]


@test
def address_is_0x40():
    eq(ADDR, 0x40, "driver address")
    with open(README) as f:
        eq("The sensor's address is 0x40" in f.read(), True, "README says 0x40")


@test
def pin_rows_match_the_bus_expressions():
    rows = table()
    boards = rows["sensor pin"][1:]
    eq(boards, ["ESP32", "Raspberry Pi Pico", "ESP8266", "Pyboard"], "columns")
    for i, board in enumerate(boards):
        expr = code(rows["the bus"][i + 1])
        for name in ("scl", "sda"):
            key = name + "=Pin("
            if key in expr:
                n = expr[expr.index(key) + len(key) :].split(")")[0]
                cell = rows[name.upper()][i + 1]
                # "GPIO 22", "GP5", "GPIO 5 (D1)": the number follows the prefix.
                words = cell.replace("GPIO ", "GPIO").split()
                eq(words[0] in ("GPIO" + n, "GP" + n), True, "%s %s: %r" % (board, name, cell))


async def read_through(expr):
    # The model on the bus the expression makes; the driver on another object made the same
    # way, as the application would make it.
    names = {"I2C": I2C, "SoftI2C": SoftI2C, "Pin": Pin}
    model = HTU21DModel(temperature=23.0, humidity=60.0)
    eval(expr, names).attach(0x40, model)
    sensor = HTU21D(eval(expr, names), 1)
    await sensor
    sensor.deinit()
    return sensor, model


class Board:
    # A test per board column, on a fresh set of modelled buses.
    def __init__(self, index, name):
        self.index = index
        self.__name__ = "bus_" + name.replace(" ", "_").lower()

    def __call__(self):
        machine.reset()
        expr = code(table()["the bus"][self.index + 1])
        try:
            sensor, model = clock.run(read_through(expr))
        finally:
            machine.reset()
        if abs(sensor.temperature - 23.0) > 0.02 or abs(sensor.humidity - 60.0) > 0.05:
            raise AssertionError("%s: read %r" % (expr, (sensor.temperature, sensor.humidity)))
        eq(model.violations, [], "violations")


for _i, _name in enumerate(("ESP32", "Pico", "ESP8266", "Pyboard")):
    test(Board(_i, _name))

ptest.main()
