"""aremote: a decoder for NEC infra-red remote controls, for asyncio.

Hardware: a demodulating IR receiver module (TSOP4838, VS1838B and the like: 38 kHz carrier)
whose output idles high and goes low while it sees the carrier (active low). Its output goes to
any input pin; the driver is given that `machine.Pin` and never makes one itself.

Dependencies: none besides `asyncio` (`ThreadSafeFlag`) and `time`.

Quick start (inside the application's main coroutine, because the driver starts a task):

    def key(data, addr):
        if data >= 0:
            print("address", addr, "command", data)
        elif data == REPEAT:
            print("held")
    ir = NEC_IR(Pin(13, Pin.IN), key, False)
    ...
    ir.deinit()

How it works. The pin interrupt handler runs on every edge and only records: it stores
`time.ticks_us()` in a preallocated array and counts the edge. It allocates nothing, so it may
run as a hard interrupt. The first edge of a burst also sets a `ThreadSafeFlag`, which wakes
the decoding task. The task waits until the line has been quiet for `_QUIET_US` (longer than
any gap inside a burst, shorter than any gap between bursts) and then decodes the durations
between the recorded edges:

    burst        edges  durations (us, each accepted within +-20 %; see _MARK_MIN for marks)
    data frame   68     9000 mark, 4500 space, 32 x (562.5 mark, 562.5 or 1687.5 space),
                        562.5 stop mark. Bits LSB first: address, ~address (or the high byte
                        of a 16-bit address), command, ~command.
    repeat code  4      9000 mark, 2250 space, 562.5 stop mark; sent every 108 ms while a key
                        is held.

Each bit is read from its mark plus its space (1125 or 2250 us), a sum that the receiver's
lengthening or shortening of marks leaves unchanged; every duration is checked against its
window and the command against its complement, so a
noisy line gives error codes (negative numbers, below), never a wrong key. A repeat code is
reported as REPEAT only when it follows a good frame (or repeat) of the same key press, 108 ms
+-20 % after it; otherwise it is BADREP, so a key whose frame was lost never repeats the key
before it.

The callback runs in the task as `callback(data, addr, *args)`: `data` is the command (0..255)
and `addr` the address, or `data` is one of the error codes below with `addr` 0, or REPEAT
with the address of the key being held.
"""

import asyncio
import sys
from array import array

try:
    from micropython import const
except ImportError:  # CPython

    def const(x):
        return x


try:
    from time import ticks_diff, ticks_us
except ImportError:  # CPython: the same 30-bit wrapping microsecond ticks as MicroPython
    from time import perf_counter_ns

    def ticks_us():
        return (perf_counter_ns() // 1000) & 0x3FFFFFFF

    def ticks_diff(a, b):
        return ((a - b + 0x20000000) & 0x3FFFFFFF) - 0x20000000


# Results other than a command. The callback gets these as `data` (addr is 0 except for REPEAT).
REPEAT = const(-1)  # a repeat code following a good frame: the key is still held
BADSTART = const(-2)  # the burst does not open with a 9 ms mark and a 4.5 or 2.25 ms space
BADBLOCK = const(-3)  # a data frame with the wrong number of edges or a bit out of timing
BADREP = const(-4)  # a malformed repeat code, or one that follows no good frame
OVERRUN = const(-5)  # more edges than a frame holds: noise, or two bursts run together
BADDATA = const(-6)  # the command does not match its complement
BADADDR = const(-7)  # the address does not match its complement (and extended is False)

# Timing windows in microseconds: nominal +-20 %.
_LEAD_MIN = const(7200)  # 9 ms leading mark
_LEAD_MAX = const(10800)
_DATA_SPACE_MIN = const(3600)  # 4.5 ms space before a data frame
_DATA_SPACE_MAX = const(5400)
_REP_SPACE_MIN = const(1800)  # 2.25 ms space before a repeat code's stop mark
_REP_SPACE_MAX = const(2700)
# A receiver module lengthens or shortens every mark, by as much as it shortens or lengthens
# the space after it: by up to 6 or 5 carrier cycles (158 or 132 us at 38 kHz) within Vishay's
# datasheet tolerance, 28 % of a 562.5 us mark. So a bit is read from its mark plus its space,
# which that leaves unchanged (+-20 %), and a mark's window is widened by those amounts.
_MARK_MIN = const(318)  # 562.5 us - 20 % - 132 us: every mark after the lead
_MARK_MAX = const(833)  # 562.5 us + 20 % + 158 us
_ZERO_MIN = const(900)  # a 0 bit, mark and space: 1125 us
_ZERO_MAX = const(1350)
_ONE_MIN = const(1800)  # a 1 bit, mark and space: 2250 us
_ONE_MAX = const(2700)
_REP_PERIOD_MIN = const(86400)  # 108 ms from one burst's start to the next repeat code's
_REP_PERIOD_MAX = const(129600)

_EDGES = const(68)  # edges in a data frame: 2 (lead mark) + 64 (bits) + 2 (stop mark)
# A burst has ended when no edge came for this long: more than the longest gap inside a burst
# (the lead mark, 10.8 ms at +20 %) and less than the shortest gap between bursts (about 24 ms:
# an extended frame of all 1s, sent 20 % fast, before its first repeat code).
_QUIET_US = const(15000)
# A burst that goes on longer than the longest frame (92.5 ms at -20 %) is noise: decode what
# came (OVERRUN) so that the application hears of it, and start afresh.
_MAX_BURST_US = const(120000)

_NO_KEY = const(-1)  # _held_addr when no repeat code may follow


if hasattr(asyncio, "ThreadSafeFlag"):  # MicroPython: built-in asyncio and fast_io
    _Flag = asyncio.ThreadSafeFlag
else:  # CPython: only model pins, whose handler runs in the loop's own thread
    _Flag = asyncio.Event

if hasattr(asyncio, "sleep_ms"):
    _sleep_ms = asyncio.sleep_ms
else:  # CPython's asyncio

    def _sleep_ms(ms):
        return asyncio.sleep(ms / 1000)


def _report(where, exc):
    # A callback that raises must be seen, but must not end the decoding task.
    print("aremote: exception in", where, file=sys.stderr)
    if hasattr(sys, "print_exception"):
        sys.print_exception(exc)
    else:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)


class NEC_IR:
    """Decode NEC remote-control bursts from the IR receiver on `pin`.

    `callback(data, addr, *args)` runs in the driver's task for every burst. `extended=False`
    accepts only 8-bit addresses (checked against their complement); `extended=True` also
    accepts 16-bit addresses, reported whole (an address whose high byte is the complement of
    its low byte is reported as the 8-bit address). Make it inside a running event loop.
    """

    def __init__(self, pin, callback, extended, *args):
        self._pin = pin
        self._callback = callback
        self._extended = extended
        self._args = args
        # Written by the interrupt handler only: edge times (one extra slot keeps the time of
        # the latest edge past a full frame) and the number of edges in this burst.
        self._times = array("i", [0] * (_EDGES + 1))
        self._edges = 0  # reset to 0 by the task once it has decoded a burst
        self._held_addr = _NO_KEY  # address of the last good frame while repeats may follow
        self._held_t = 0  # start of the last good frame or repeat code
        self._flag = _Flag()
        self._stopped = False
        handler = self._irq
        trigger = pin.IRQ_FALLING | pin.IRQ_RISING
        try:
            pin.irq(handler=handler, trigger=trigger, hard=True)
        except TypeError:  # a port whose Pin.irq has no `hard` argument: soft interrupts
            pin.irq(handler=handler, trigger=trigger)
        # Only once the interrupt is set: a pin that refuses it leaves no task behind.
        self._task = asyncio.create_task(self._run())

    def _irq(self, _pin):
        # Every edge of the line. Allocates nothing: a small int into a preallocated array.
        n = self._edges
        self._times[n if n < _EDGES else _EDGES] = ticks_us()
        self._edges = n + 1
        if n == 0:  # the first edge of a burst wakes the task
            self._flag.set()

    async def _run(self):
        flag = self._flag
        while not self._stopped:
            await flag.wait()
            flag.clear()  # ThreadSafeFlag clears itself; CPython's Event does not
            if self._edges == 0:
                continue
            await self._burst_end()
            if self._stopped:
                break
            n = self._edges
            try:
                data, addr = self._decode(n)
            except Exception as e:  # a bug here must not end the driver: report and go on
                _report("decode", e)
                data, addr = BADBLOCK, 0
            self._edges = 0  # the next edge starts a new burst
            try:
                self._callback(data, addr, *self._args)
            except Exception as e:
                _report("callback", e)

    async def _burst_end(self):
        # Sleep until the line has been quiet for _QUIET_US, or the burst is too long.
        times = self._times
        while True:
            n = self._edges
            now = ticks_us()
            quiet = ticks_diff(now, times[n - 1 if n <= _EDGES else _EDGES])
            if quiet >= _QUIET_US or ticks_diff(now, times[0]) >= _MAX_BURST_US:
                return
            await _sleep_ms((_QUIET_US - quiet) // 1000 + 1)

    def _decode(self, n):
        # The result of a burst of n edges: (data, addr).
        if n > _EDGES:
            self._held_addr = _NO_KEY
            return OVERRUN, 0
        t = self._times
        if n < 3 or not _LEAD_MIN <= ticks_diff(t[1], t[0]) <= _LEAD_MAX:
            self._held_addr = _NO_KEY
            return BADSTART, 0
        space = ticks_diff(t[2], t[1])
        if _DATA_SPACE_MIN <= space <= _DATA_SPACE_MAX:
            return self._frame(n)
        if _REP_SPACE_MIN <= space <= _REP_SPACE_MAX:
            return self._repeat(n)
        self._held_addr = _NO_KEY
        return BADSTART, 0

    def _repeat(self, n):
        t = self._times
        addr = self._held_addr
        if (
            n == 4
            and _MARK_MIN <= ticks_diff(t[3], t[2]) <= _MARK_MAX
            and addr != _NO_KEY
            and _REP_PERIOD_MIN <= ticks_diff(t[0], self._held_t) <= _REP_PERIOD_MAX
        ):
            self._held_t = t[0]
            return REPEAT, addr
        self._held_addr = _NO_KEY
        return BADREP, 0

    def _frame(self, n):
        self._held_addr = _NO_KEY
        if n != _EDGES:
            return BADBLOCK, 0
        t = self._times
        # Bytes start at edges 2, 18, 34, 50 (each bit is a mark and a space: two edges).
        a0 = self._byte(2)
        a1 = self._byte(18)
        cmd = self._byte(34)
        ncmd = self._byte(50)
        if a0 < 0 or a1 < 0 or cmd < 0 or ncmd < 0:
            return BADBLOCK, 0
        if not _MARK_MIN <= ticks_diff(t[67], t[66]) <= _MARK_MAX:  # the stop mark
            return BADBLOCK, 0
        addr = a0
        if a1 != a0 ^ 0xFF:
            if not self._extended:
                return BADADDR, 0
            addr |= a1 << 8
        if ncmd != cmd ^ 0xFF:
            return BADDATA, 0
        self._held_addr = addr
        self._held_t = t[0]
        return cmd, addr

    def _byte(self, e):
        # The byte whose first bit's mark starts at edge e, LSB first; -1 if a mark or a space
        # is out of its window.
        t = self._times
        v = 0
        for bit in range(8):
            if not _MARK_MIN <= ticks_diff(t[e + 1], t[e]) <= _MARK_MAX:
                return -1
            period = ticks_diff(t[e + 2], t[e])  # the mark and its space
            if _ONE_MIN <= period <= _ONE_MAX:
                v |= 1 << bit
            elif not _ZERO_MIN <= period <= _ZERO_MAX:
                return -1
            e += 2
        return v

    def deinit(self):
        """Stop listening: release the pin's interrupt and end the task. The callback may call
        it."""
        self._stopped = True
        self._pin.irq(handler=None)
        try:
            self._task.cancel()
        except RuntimeError:  # "can't cancel self": called by the callback, in the task
            pass  # on MicroPython or fast_io; _run ends by itself
