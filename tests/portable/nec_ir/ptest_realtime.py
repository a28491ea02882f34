# runtimes: mp-fast_io cpy-asyncio
# (and mp-asyncio through tests/test_nec_ir_realtime.py: busy-waiting is costly on a shared host)
# The decoder with the real time.ticks_us and the model pacing edges in real time (busy-waiting
# between them). A loaded host delays edges by up to milliseconds, a real timing error that the
# decoder must turn into error codes, never a wrong key: every result of every attempt must be
# the key sent (or its repeats) or an error. An attempt whose pacing was clean (skew within
# 60 us of the 112 us the tolerance leaves on a 562 us mark) must decode exactly; the script
# prints "exact: checked" or "exact: no clean attempt" (tests/test_nec_ir_realtime.py turns the
# latter into a skip).
import asyncio

import ptest
from devmodels.machine import Pin
from devmodels.nec import PERIOD_US, NECTransmitter, frame, repeat_code, ticks_add
from ptest import eq, test

from aremote import REPEAT, NEC_IR

TRIES = 6
SKEW_US = 60
LATE_US = 10000  # a repeat code this late is still well within 108 ms +20 %


def _sleep_ms(ms):
    if hasattr(asyncio, "sleep_ms"):
        return asyncio.sleep_ms(ms)
    return asyncio.sleep(ms / 1000)


@test
async def held_key_in_real_time():
    pin = Pin("ir-rt", Pin.IN)
    tx = NECTransmitter(pin)
    got = []
    ir = NEC_IR(pin, lambda data, addr: got.append((data, addr)), False)
    want = [(0x20, 0x10), (REPEAT, 0x10), (REPEAT, 0x10)]
    clean = attempts = 0
    while attempts < TRIES and not clean:
        attempts += 1
        del got[:]
        skews = []
        start = ticks_add(tx.now(), 1000)
        for i, burst in enumerate((frame(0x10, 0x20), repeat_code(), repeat_code())):
            await tx.send(burst, ticks_add(start, i * PERIOD_US))
            skews.append(tx.skew_us)
            if tx.late_us > LATE_US:
                skews.append(1 << 20)  # a late start spoils the repeat period check
        for _ in range(100):  # the third result comes 15 ms after the last burst
            if len(got) >= 3:
                break
            await _sleep_ms(5)
        await _sleep_ms(30)
        if not 1 <= len(got) <= 3:  # fewer when a late wake-up ran two bursts together
            raise AssertionError("%d results for 3 bursts: %r" % (len(got), got))
        for result in got:
            if result[0] >= 0 and result != want[0] or result[0] == REPEAT and result != want[1]:
                raise AssertionError("wrong key: %r (skews %r)" % (got, skews))
        if max(skews) <= SKEW_US:
            eq(got, want, "results of a cleanly paced attempt (skews %r)" % skews)
            clean += 1
        else:
            await _sleep_ms(150)  # let the repeat chain expire before the next attempt
    ir.deinit()
    if clean:
        print("exact: checked after %d attempts" % attempts)
    else:
        print("exact: no clean attempt in %d" % TRIES)


ptest.main()
