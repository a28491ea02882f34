"""`virtual_time`: run a ptest `async def` test in virtual time where the scheduler can.

Under fast_io the test runs on a fresh loop with a VirtualClock (devmodels.clock.run: the real
clock is restored afterwards), so a contact script or a device's timing plays out at once in
wall time and event times are exact; on MicroPython's and CPython's asyncio it runs unchanged,
in real time.
"""

import asyncio

from devmodels import clock


class _VirtualTest:
    # A callable with a __name__ for ptest (MicroPython's functions do not take attributes).
    def __init__(self, fn):
        self.fn = fn
        self.__name__ = fn.__name__

    def __call__(self):
        end = []

        async def main():
            await self.fn()
            end.append(clock.now_ms())

        clock.run(main())
        # Something slept, so virtual time moved: the test did not run on the real clock.
        if end[0] <= 0:
            raise AssertionError("the virtual clock did not move")


def virtual_time(fn):
    """Decorate an `async def` ptest test (below `@test`). The test must sleep (virtual time
    must move), or it fails: a test that never sleeps has no time to make virtual."""
    if not hasattr(asyncio, "VirtualClock"):
        return fn
    return _VirtualTest(fn)


class _FreshBoardTest:
    def __init__(self, fn):
        self.fn = fn
        self.__name__ = fn.__name__

    def __call__(self):
        from devmodels import machine

        machine.reset()
        try:
            clock.run(self.fn())
        finally:
            machine.reset()


def fresh_board(fn):
    """Wrap an `async def` ptest test (give the result to `test`): it runs on a fresh board
    (devmodels.machine.reset() before and after) through devmodels.clock.run, so on a fresh
    loop with a VirtualClock starting at 0 under fast_io, in real time otherwise."""
    return _FreshBoardTest(fn)
