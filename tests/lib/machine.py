"""A stand-in for MicroPython's `machine` module, for running the docs' examples off a board.

Examples in the docs are written for a real board (`from machine import Pin`). With tests/lib
first on the module path this module is imported instead, on MicroPython's unix port and on
CPython, and gives each example a model of the hardware it expects. Models speak what the
device would: an input Pin here is a bouncing contact that plays a demonstration of a single
click, a double click and a long press (tests/lib/contact_model.py).
"""

from contact_model import demo_contact


class Pin:
    IN = 1
    OUT = 2
    OPEN_DRAIN = 3
    PULL_UP = 1
    PULL_DOWN = 2

    def __new__(cls, id, mode=IN, pull=None, value=None):
        if mode != cls.IN:
            return _OutputPin(value or 0)
        # A pull-down means the button pulls the pin high when pressed: released level 0.
        return demo_contact(released=0 if pull == cls.PULL_DOWN else 1, seed=_seed(id))


class _OutputPin:
    def __init__(self, level):
        self.level = level

    def value(self, v=None):
        if v is None:
            return self.level
        self.level = 1 if v else 0

    def __call__(self, v=None):
        return self.value(v)

    def on(self):
        self.level = 1

    def off(self):
        self.level = 0


class Signal:
    """machine.Signal: a pin seen through an optional inversion."""

    def __init__(self, pin, invert=False):
        self._pin = pin
        self._invert = invert

    def value(self, v=None):
        if v is None:
            return self._pin.value() ^ self._invert
        self._pin.value((1 if v else 0) ^ self._invert)


def _seed(id):
    return (id if isinstance(id, int) else len(str(id))) + 1
