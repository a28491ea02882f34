"""Gather and Gatherable: run coroutines side by side and collect every outcome."""

import asyncio

from ._compat import MICROPYTHON, awaiter


class Gatherable:
    """One member of a Gather: `func(*args, **kwargs)` is a coroutine, given at most
    `timeout` seconds (None: no limit)."""

    def __init__(self, func, *args, timeout=None, **kwargs):
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.timeout = timeout


class Gather:
    """`results = await Gather(gatherables)`: runs every member as its own task and returns
    their results in the order given.

    A member never holds the others up: one that raises leaves the exception instance in its
    slot, one that exceeds its timeout leaves an asyncio.TimeoutError instance there. If the
    task awaiting the Gather is cancelled, every member is cancelled too.
    """

    def __init__(self, gatherables):
        self._members = tuple(gatherables)

    async def _one(self, g, results, i):
        try:
            coro = g.func(*g.args, **g.kwargs)
            if g.timeout is None:
                results[i] = await coro
            else:
                results[i] = await asyncio.wait_for(coro, g.timeout)
        except asyncio.CancelledError:  # an Exception on CPython 3.7: must not be recorded
            raise
        except Exception as e:  # the slot records the failure
            results[i] = e

    async def wait(self):
        results = [None] * len(self._members)
        tasks = [
            asyncio.create_task(self._one(g, results, i)) for i, g in enumerate(self._members)
        ]
        try:
            for t in tasks:
                await t
        finally:
            for t in tasks:
                t.cancel()
        return results

    def __await__(self):
        return awaiter(self.wait())

    if MICROPYTHON:
        __iter__ = __await__
