# How long aremote's pin interrupt handler takes per edge, on the MicroPython it runs on.
#     micropython benchmarks/nec_ir/bench_irq.py [frames] [fast_io]   (aremote on MICROPYPATH)
# The handler is called straight (as a hard IRQ calls it) for `frames` frames of 67 edges
# after a burst's first one, and so is an empty handler of the same shape, a reference measured
# in the same run. Prints, best of 7 rounds each (the two taken in turn): the handler's
# microseconds per edge, the empty handler's, the difference (the handler's own work) and the
# ratio handler / empty.
# Nothing is asserted: timings depend on the machine. (tests/test_nec_ir_bench.py runs it once
# with a tiny count to see that it works.)
import sys

if "fast_io" in sys.argv[1:]:
    import fast_io

    fast_io.install()

import asyncio
from time import ticks_diff, ticks_us

from aremote import NEC_IR

FRAMES = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 300


class Pin:
    IRQ_FALLING = 2
    IRQ_RISING = 1

    def irq(self, handler=None, trigger=0, hard=False):
        pass


class Empty:
    # The reference: a bound method with the handler's signature that does nothing.
    _edges = 0

    def _irq(self, pin):
        pass


def time_once(obj, handler, pin, frames):
    t0 = ticks_us()
    for _ in range(frames):
        obj._edges = 1  # inside a burst: the edges of a frame after its first
        for _ in range(67):
            handler(pin)
    return ticks_diff(ticks_us(), t0) / (frames * 67)


def time_both(ir, empty, pin, frames):
    # Best of 7 rounds each, the two measured in turn so that both see the same host.
    h, e = ir._irq, empty._irq
    best_h = best_e = 1e9
    for _ in range(7):
        best_h = min(best_h, time_once(ir, h, pin, frames))
        best_e = min(best_e, time_once(empty, e, pin, frames))
    return best_h, best_e


async def main():
    pin = Pin()
    ir = NEC_IR(pin, lambda data, addr: None, False)
    handler_us, empty_us = time_both(ir, Empty(), pin, FRAMES)
    ir.deinit()
    print("handler_us_per_edge %.2f" % handler_us)
    print("empty_us_per_edge %.2f" % empty_us)
    print("own_work_us %.2f" % (handler_us - empty_us))
    print("ratio %.2f" % (handler_us / empty_us))


asyncio.run(main())
