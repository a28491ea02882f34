"""A `machine` module for running MicroPython applications off a board.

`devmodels.install()` puts this module in `sys.modules["machine"]` on the unix port and on
CPython, so an application's `from machine import Pin, I2C, UART` runs unchanged, and the test
code drives the same objects from the other side, as the devices wired to the board would.

The board model is made of shared parts, looked up by id as on a board:

- a line per pin id: every `Pin(id)` made with that id is the same wire. The application
  configures it (mode, pull, output value); models drive it (`drive`, `undrive`), watch it
  (`watch`) or break it (`stick`). Its level is worked out from all of these (see _Line).
- a bus per I2C id (per scl/sda pair for SoftI2C): devices attach at addresses.
- a serial line per UART id (devmodels/uart.py), with a `peer` end for the model.

`reset()` forgets all of it: call it between tests, as a board reset would.

Interrupt handlers run synchronously, at the moment the level changes (so a handler sees the
edge at the model's time, as a hard IRQ does), whether the change comes from a model, from a
fault or from the application writing an output.
"""

import errno

from . import clock

_NOT_GIVEN = object()

# Everything the board holds; reset() empties it.
_lines = {}  # pin id -> _Line
_buses = {}  # bus key -> _Bus
_resets = []  # reset functions of the parts in other modules (UART, RTC...)


def reset():
    """Forget every line, bus, device, UART and the RTC, and drop what models had waiting to
    start: a fresh board, for the next test. (On a board, machine.reset() restarts it.)"""
    global _sleep_hook
    check_hard_irqs(False)
    _lines.clear()
    _buses.clear()
    _sleep_hook = None
    for fn in _resets:
        fn()
    clock.forget()


def _on_reset(fn):
    # Other modules (uart, rtc) register here to be reset with the board.
    if fn not in _resets:
        _resets.append(fn)


################################################################################
# Pins


class _Line:
    """The wire behind one pin id.

    Its level, from strongest to weakest: a stuck level (a fault: nothing else matters); a
    push-pull output drives `out` unless a model drives the line too (a short: the model
    wins, which is how to make an output stuck by a device); an open-drain output at 0 pulls
    the line low (wired-AND: nothing can raise it); a model's drive level; the pull resistor;
    with none of those the line floats and reads 0.
    """

    def __init__(self, id):
        self.id = id
        self.mode = Pin.IN  # as after a reset
        self.pull = None
        self.out = 0  # the output latch
        self.drive = None  # the level a model drives, or None
        self.stuck = None  # a fault: the level forced, or None
        self.level = 0
        self.irq = None  # the _Irq of the pin that last set a handler
        self.watchers = []  # (pin, callback) of models watching every change

    def resolve(self):
        if self.stuck is not None:
            return self.stuck
        mode = self.mode
        if mode == Pin.OUT:
            return self.out if self.drive is None else self.drive
        if mode == Pin.OPEN_DRAIN and not self.out:
            return 0
        if self.drive is not None:
            return self.drive
        return 1 if self.pull == Pin.PULL_UP else 0

    def update(self):
        level = self.resolve()
        if level == self.level:
            return
        self.level = level
        irq = self.irq
        if irq is not None and irq.handler is not None:
            edge = Pin.IRQ_RISING if level else Pin.IRQ_FALLING
            if irq.trig & edge:
                irq.last = edge
                if irq.hard and _heap_lock is not None:
                    _heap_lock()  # as on a board: a hard handler may not allocate
                    try:
                        irq.handler(irq.pin)
                    finally:
                        _heap_unlock()
                else:
                    irq.handler(irq.pin)
        for pin, callback in self.watchers:
            callback(pin)


_heap_lock = _heap_unlock = None  # set by check_hard_irqs()


def check_hard_irqs(on=True):
    """On MicroPython, run hard irq handlers (`irq(..., hard=True)`) with the heap locked, as
    a board does: a handler that allocates raises MemoryError out of the change that fired
    it (the model's `drive()`, say). Off by default; no effect on CPython. Returns whether
    the check is on."""
    global _heap_lock, _heap_unlock
    _heap_lock = _heap_unlock = None
    if on:
        try:
            import micropython

            _heap_lock, _heap_unlock = micropython.heap_lock, micropython.heap_unlock
        except (ImportError, AttributeError):
            pass
    return _heap_lock is not None


def _line(id):
    line = _lines.get(id)
    if line is None:
        line = _lines[id] = _Line(id)
    return line


class _Irq:
    # What Pin.irq() returns: the handler, its trigger, the edge that fired last.
    def __init__(self, pin, handler, trig, hard):
        self.pin = pin
        self.handler = handler
        self.trig = trig
        self.hard = hard
        self.last = 0

    def trigger(self, trig=None):
        if trig is None:
            return self.trig
        self.trig = trig

    def flags(self):
        return self.last


class Pin:
    """machine.Pin on a modelled line. Pins made with the same id share the line.

    Application side, as on a board: `Pin(id, mode=-1, pull=-1, *, value=None)` (-1: leave
    as it is), `init()`, `value()`, `on()`, `off()`, `__call__`, `irq()`. Model side:
    `drive(level)`, `undrive()`, `watch(callback)`, `unwatch(callback)`, `stick(level)`.
    A model makes its `Pin(id)` without a mode, so it changes nothing on the line.
    """

    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    ALT = 3
    ALT_OPEN_DRAIN = 4
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_RISING = 1
    IRQ_FALLING = 2

    def __init__(self, id, mode=-1, pull=-1, *, value=None, **kw):
        if isinstance(id, Pin):
            id = id._line.id
        self._line = _line(id)
        self._irq = None
        if mode != -1 or pull != -1 or value is not None:
            self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None, **kw):
        """Configure the line: mode, pull (None for none), output value; -1 leaves a setting
        as it is. Other keywords of some ports (drive=, alt=) are accepted and ignored."""
        line = self._line
        if mode not in (-1, Pin.IN, Pin.OUT, Pin.OPEN_DRAIN, Pin.ALT, Pin.ALT_OPEN_DRAIN):
            raise ValueError("invalid pin mode %r" % (mode,))
        if pull not in (-1, None, Pin.PULL_UP, Pin.PULL_DOWN):
            raise ValueError("invalid pull %r" % (pull,))
        if value is not None:
            line.out = 1 if value else 0
        if mode != -1:
            line.mode = mode
        if pull != -1:
            line.pull = pull
        line.update()
        clock.kick()

    def value(self, x=None):
        """Read the line's level, or set the output latch to `x`."""
        line = self._line
        if x is None:
            clock.kick()
            return line.level
        line.out = 1 if x else 0
        line.update()

    def __call__(self, x=None):
        return self.value(x)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    high = on
    low = off

    def toggle(self):
        self.value(self._line.out ^ 1)

    def mode(self, mode=None):
        if mode is None:
            return self._line.mode
        self.init(mode)

    def pull(self, pull=_NOT_GIVEN):
        if pull is _NOT_GIVEN:
            return self._line.pull
        self.init(-1, pull)

    def irq(self, handler=_NOT_GIVEN, trigger=IRQ_FALLING | IRQ_RISING, hard=False):
        """Call `handler(pin)` on the edges in `trigger`, synchronously, at the change (like a
        hard IRQ, whatever `hard` says). `irq()` alone returns the current irq object;
        `irq(None)` removes the handler."""
        line = self._line
        if handler is _NOT_GIVEN:
            if line.irq is None:
                line.irq = _Irq(self, None, trigger, hard)
            return line.irq
        line.irq = _Irq(self, handler, trigger, hard)
        clock.kick()
        return line.irq

    # -- the model's side ----------------------------------------------------------------

    def drive(self, level):
        """A device drives the line to `level` (0 or 1); irq handlers and watchers run now."""
        self._line.drive = 1 if level else 0
        self._line.update()

    def undrive(self):
        """The device lets go: the line goes back to the application's output, its pull, or
        floating (reads 0)."""
        self._line.drive = None
        self._line.update()

    def preset(self, level):
        """A device that has driven the line at `level` since power-on (a receiver module's
        idle output, say): the line takes that level without an edge, so no irq handler or
        watcher runs, as when the device was there before the application set its
        interrupt. From then on `drive()` and `undrive()` as usual."""
        line = self._line
        line.drive = 1 if level else 0
        line.level = line.resolve()

    def driven(self):
        """The level a model drives, or None."""
        return self._line.drive

    def watch(self, callback):
        """Call `callback(pin)` (this pin) synchronously on every change of the line's level,
        including the application's own writes: how a model observes outputs."""
        self._line.watchers.append((self, callback))

    def unwatch(self, callback):
        self._line.watchers = [w for w in self._line.watchers if w[1] is not callback]

    def stick(self, level):
        """Fault: the line is stuck at `level` (0 or 1), whatever anything drives, until
        `stick(None)`."""
        self._line.stuck = None if level is None else (1 if level else 0)
        self._line.update()

    def id(self):
        """The pin id this Pin was made with."""
        return self._line.id

    def __repr__(self):
        return "Pin(%r, mode=%d, level=%d)" % (self._line.id, self._line.mode, self._line.level)


class Signal:
    """machine.Signal: a pin seen through an optional inversion. `Signal(pin, invert=False)`
    or `Signal(id, mode, pull, ..., invert=False)` to make the pin too."""

    def __init__(self, pin, *args, invert=False, **kw):
        if not isinstance(pin, Pin) and not hasattr(pin, "value"):
            pin = Pin(pin, *args, **kw)
        self._pin = pin
        self._invert = 1 if invert else 0

    def value(self, x=None):
        if x is None:
            return self._pin.value() ^ self._invert
        self._pin.value((1 if x else 0) ^ self._invert)

    def __call__(self, x=None):
        return self.value(x)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)


################################################################################
# I2C


class _Bus:
    def __init__(self):
        self.devices = {}  # address -> device model
        self.faults = {}  # address -> [errno, transactions left (-1: for ever)]


def _bus(key):
    bus = _buses.get(key)
    if bus is None:
        bus = _buses[key] = _Bus()
    return bus


def _oserror(code):
    # As a board raises it: OSError(code). On CPython `errno` is set only by the two-argument
    # form, so give it the message too; e.args[0] and e.errno then work on both.
    if _CPYTHON:
        import os

        return OSError(code, os.strerror(code))
    return OSError(code)


_CPYTHON = __import__("sys").implementation.name != "micropython"


def _device_call(method, arg):
    # A model's own OSError(errno.EIO) gets its errno on CPython too.
    try:
        return method(arg)
    except OSError as e:
        if e.errno is None and e.args and isinstance(e.args[0], int):
            raise _oserror(e.args[0]) from None
        raise


def _check_addr(addr):
    if not isinstance(addr, int) or not 0 <= addr <= 0x7F:
        raise ValueError("I2C address must be an int in 0..127, got %r" % (addr,))


class I2C:
    """machine.I2C on a modelled bus: buses made with the same id share their devices.

    A device model has two methods (and may raise OSError(errno.EIO) itself, a bus error):
      `i2c_write(data) -> bool`: a write transaction with these bytes (b"" for scan()'s
          address probe); False: the address is not acknowledged (the bus raises ENODEV).
      `i2c_read(n) -> bytes | None`: a read transaction of n bytes; None: not acknowledged.
          Fewer bytes than asked read as 0xFF (nobody drives SDA); more is an error.
    Memory reads are `i2c_write(memaddr bytes)` then `i2c_read(n)` (repeated start).
    """

    def __init__(self, id=0, *, scl=None, sda=None, freq=400000, timeout=50000, **kw):
        self._bus = _bus(("I2C", id))
        self.freq = freq

    def init(self, *args, **kw):
        pass

    def deinit(self):
        pass

    # -- the model's side ----------------------------------------------------------------

    def attach(self, addr, device):
        """Put `device` on the bus at `addr` (replacing whatever was there)."""
        _check_addr(addr)
        self._bus.devices[addr] = device
        return device

    def detach(self, addr):
        """Take the device at `addr` off the bus (it disappears: ENODEV from now on)."""
        self._bus.devices.pop(addr, None)
        self._bus.faults.pop(addr, None)

    def device(self, addr):
        """The device attached at `addr`, or None."""
        return self._bus.devices.get(addr)

    def fault(self, addr, err=None, count=-1):
        """Fault: the next `count` transactions (-1: all) with `addr` fail with
        OSError(err) before reaching the device: errno.ENODEV (no acknowledge),
        errno.EIO (bus error), errno.ETIMEDOUT (clock stretched too long). err=None clears."""
        _check_addr(addr)
        if err is None:
            self._bus.faults.pop(addr, None)
        else:
            self._bus.faults[addr] = [err, count]

    # -- transactions --------------------------------------------------------------------

    def _target(self, addr):
        _check_addr(addr)
        clock.kick()
        bus = self._bus
        f = bus.faults.get(addr)
        if f is not None:
            if f[1] > 0:
                f[1] -= 1
                if not f[1]:
                    del bus.faults[addr]
            raise _oserror(f[0])
        dev = bus.devices.get(addr)
        if dev is None:
            raise _oserror(errno.ENODEV)
        return dev

    def _write(self, addr, data):
        if not _device_call(self._target(addr).i2c_write, bytes(data)):
            raise _oserror(errno.ENODEV)
        return len(data)

    def _read(self, addr, n):
        if n < 0:
            raise ValueError("negative read length")
        got = _device_call(self._target(addr).i2c_read, n)
        if got is None:
            raise _oserror(errno.ENODEV)
        if len(got) > n:
            raise ValueError("device 0x%02x gave %d bytes for a read of %d" % (addr, len(got), n))
        return bytes(got) + b"\xff" * (n - len(got))

    def scan(self):
        """Addresses 0x08..0x77 that acknowledge an empty write, as a board scans."""
        found = []
        for addr in range(0x08, 0x78):
            if addr in self._bus.devices:
                try:
                    self._write(addr, b"")
                except OSError:
                    continue
                found.append(addr)
        return found

    def writeto(self, addr, buf, stop=True):
        return self._write(addr, buf)

    def writevto(self, addr, vector, stop=True):
        data = bytearray()
        for buf in vector:
            data.extend(buf)
        return self._write(addr, data)

    def readfrom(self, addr, nbytes, stop=True):
        return self._read(addr, nbytes)

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self._read(addr, len(buf))

    @staticmethod
    def _mem(memaddr, addrsize):
        if addrsize not in (8, 16, 24, 32):
            raise ValueError("addrsize must be 8, 16, 24 or 32")
        n = addrsize // 8
        return bytes((memaddr >> (8 * (n - 1 - i))) & 0xFF for i in range(n))

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        self._write(addr, self._mem(memaddr, addrsize))
        return self._read(addr, nbytes)

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        self._write(addr, self._mem(memaddr, addrsize))
        buf[:] = self._read(addr, len(buf))

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self._write(addr, self._mem(memaddr, addrsize) + bytes(buf))


class SoftI2C(I2C):
    """machine.SoftI2C: the bus is the pair of pins, so SoftI2C(scl=Pin(5), sda=Pin(4)) made
    by the application and by a model is the same bus."""

    def __init__(self, scl, sda, *, freq=400000, timeout=50000, **kw):
        self._bus = _bus(("SoftI2C", _pin_id(scl), _pin_id(sda)))
        self.freq = freq


def _pin_id(pin):
    return pin.id() if isinstance(pin, Pin) else pin


################################################################################
# Power and the rest of the module


class DeepSleep(BaseException):
    """Raised by deepsleep(): a board restarts from boot after deep sleep, so nothing after
    the call runs. A BaseException (like SystemExit), so `except Exception` does not catch
    it and it ends asyncio.run(); `ms` is the requested time."""

    def __init__(self, ms):
        super().__init__(ms)
        self.ms = ms


_sleep_hook = None


def set_sleep_hook(fn):
    """A power model's hook: `fn(kind, ms)` is called by lightsleep() and deepsleep() with
    kind "lightsleep" or "deepsleep" and the requested ms (None: until woken). For a light
    sleep it returns how long the board slept (None: all of `ms`), for a wake-up source that
    ends it early. None removes the hook. Returns the old hook."""
    global _sleep_hook
    old = _sleep_hook
    _sleep_hook = fn
    return old


def lightsleep(ms=None):
    """The board sleeps, everything stops, time goes by: `ms` (or what the sleep hook says)
    pass on the scheduler's clock (moved forward when it is virtual)."""
    slept = ms
    if _sleep_hook is not None:
        r = _sleep_hook("lightsleep", ms)
        if r is not None:
            slept = r
    if slept is None:
        raise ValueError("lightsleep() without a time needs a sleep hook to wake it")
    clock.pass_ms(slept)


def deepsleep(ms=None):
    """Calls the sleep hook, then raises DeepSleep: the board restarts after deep sleep."""
    if _sleep_hook is not None:
        _sleep_hook("deepsleep", ms)
    raise DeepSleep(ms)


def idle():
    pass


_irq_state = [1]


def disable_irq():
    state = _irq_state[0]
    _irq_state[0] = 0
    return state


def enable_irq(state=1):
    _irq_state[0] = state


def freq(hz=None):
    if hz is None:
        return 125000000


def unique_id():
    return b"devmodel"


_lazy = {
    "UART": "uart",
    "RTC": "rtc",
    "I2CTarget": "i2ctarget",
    "Timer": "timer",
    "ADC": "analog",
    "PWM": "analog",
}


def __getattr__(name):
    # UART, RTC, I2CTarget, Timer, ADC and PWM live in their own modules, loaded when first
    # asked for.
    mod = _lazy.get(name)
    if mod is None:
        raise AttributeError(name)
    full = "devmodels." + mod
    __import__(full)
    import sys

    value = getattr(sys.modules[full], name)
    globals()[name] = value
    return value
