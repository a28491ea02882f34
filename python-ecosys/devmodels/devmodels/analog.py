"""machine.ADC and machine.PWM, with the model's side of each.

ADC: `ADC(pin)` reads the analog level of the pin's line (one level per pin id, shared by
every ADC on it). A model sets it with `adc.feed(value)`, a 16-bit reading, or
`adc.feed(fn)`, a function called at each read (a signal that varies with time, say). The
application reads `read_u16()` (0..65535), `read_uv()` (against a 3.3 V reference) or
`read()` (12 bits, as ESP32's).

PWM: `PWM(pin, freq=..., duty_u16=...)` keeps the settings of the pin's line; a model makes
`PWM(pin)` without settings and reads `freq()`, `duty_u16()` and `duty_ns()` to check what
the application asked for (a motor's speed, a LED's brightness). The line's level does not
follow the pulses.
"""

from . import clock
from .machine import Pin, _on_reset

_levels = {}  # pin id -> 16-bit value, or a function giving one
_pwm = {}  # pin id -> [freq, duty_u16, enabled]


def _reset():
    _levels.clear()
    _pwm.clear()


_on_reset(_reset)


def _id(pin):
    return pin.id() if isinstance(pin, Pin) else pin


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    WIDTH_12BIT = 12

    def __init__(self, pin, *, atten=None, **kw):
        self._id = _id(pin)

    def init(self, *args, **kw):
        pass

    def atten(self, value):
        pass

    def width(self, value):
        pass

    def read_u16(self):
        clock.kick()
        v = _levels.get(self._id, 0)
        if callable(v):
            v = v()
        v = int(v)
        return 0 if v < 0 else (65535 if v > 65535 else v)

    def read_uv(self):
        return self.read_u16() * 3300000 // 65535

    def read(self):
        return self.read_u16() >> 4

    # -- the model's side ----------------------------------------------------------------

    def feed(self, value):
        """Set the analog level: a 16-bit value, or a function giving one at each read."""
        _levels[self._id] = value


class PWM:
    def __init__(self, dest, **kw):
        self._id = _id(dest)
        if self._id not in _pwm:
            _pwm[self._id] = [0, 0, False]
        if kw:
            self.init(**kw)

    def init(self, *, freq=None, duty_u16=None, duty_ns=None, invert=False, **kw):
        s = _pwm[self._id]
        if freq is not None:
            self.freq(freq)
        if duty_u16 is not None:
            self.duty_u16(duty_u16)
        if duty_ns is not None:
            self.duty_ns(duty_ns)
        s[2] = True

    def deinit(self):
        _pwm[self._id][2] = False

    def freq(self, value=None):
        s = _pwm[self._id]
        if value is None:
            return s[0]
        if value <= 0:
            raise ValueError("invalid PWM frequency %r" % (value,))
        s[0] = value
        s[2] = True

    def duty_u16(self, value=None):
        s = _pwm[self._id]
        if value is None:
            return s[1]
        if not 0 <= value <= 65535:
            raise ValueError("duty_u16 must be in 0..65535")
        s[1] = value
        s[2] = True

    def duty_ns(self, value=None):
        s = _pwm[self._id]
        period_ns = 1000000000 // s[0] if s[0] else 0
        if value is None:
            return s[1] * period_ns // 65535
        if not period_ns:
            raise ValueError("set freq before duty_ns")
        self.duty_u16(min(65535, value * 65535 // period_ns))

    def running(self):
        """Model side: True while the application has the PWM on."""
        return _pwm[self._id][2]
