"""WaitAny and WaitAll: wait on several events (anything with an async wait())."""

import asyncio

from ._compat import MICROPYTHON, awaiter
from ._wq import WaitQueue


class WaitAny:
    """`ev = await WaitAny((ev1, ev2, ...)).wait()`: returns the first object whose wait()
    finished. Works with Event, Message, Delay_ms, asyncio.Event and nested WaitAny/WaitAll."""

    def __init__(self, events):
        self._events = tuple(events)

    async def wait(self):
        won = []
        done = WaitQueue(handoff=False)

        async def watch(ev):
            await ev.wait()
            won.append(ev)
            done.unpark_all()

        tasks = [asyncio.create_task(watch(ev)) for ev in self._events]
        try:
            await done.park()
        finally:
            for t in tasks:
                t.cancel()
        return won[0]

    def __await__(self):
        return awaiter(self.wait())

    if MICROPYTHON:
        __iter__ = __await__


class WaitAll:
    """`await WaitAll((ev1, ev2, ...)).wait()`: returns when every object's wait() finished."""

    def __init__(self, events):
        self._events = tuple(events)

    async def wait(self):
        tasks = [asyncio.create_task(ev.wait()) for ev in self._events]
        try:
            for t in tasks:
                await t
        finally:
            for t in tasks:
                t.cancel()
        return self._events

    def __await__(self):
        return awaiter(self.wait())

    if MICROPYTHON:
        __iter__ = __await__
