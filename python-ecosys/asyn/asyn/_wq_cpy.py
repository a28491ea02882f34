"""WaitQueue for schedulers without the task-parking protocol (see _wq.py): CPython's asyncio
(a Future per waiter) and any other asyncio-like scheduler (a pooled asyncio.Event per waiter).
Kept apart from _wq.py so MicroPython never loads this code."""

import asyncio

from ._wq import _Base

if asyncio.__name__ == "asyncio" and hasattr(asyncio, "get_running_loop"):

    class WaitQueue(_Base):
        # door() repeats park() rather than awaiting it: one coroutine fewer per wait.
        async def door(self):
            if self._try():
                return True
            fut = asyncio.get_running_loop().create_future()
            self._q.append(fut)
            try:
                await fut
            except BaseException:
                self._abandon(fut)
                raise
            return True

        async def park(self):
            fut = asyncio.get_running_loop().create_future()
            self._q.append(fut)
            try:
                await fut
            except BaseException:
                self._abandon(fut)
                raise

        def _abandon(self, fut):
            # The waiter is cancelled: leave the queue, or pass a wake-up already received on.
            if fut.done() and not fut.cancelled():
                self._pass_on()
            elif fut in self._q:
                self._q.remove(fut)

        def unpark(self):
            q = self._q
            while q:
                fut = q.pop(0)
                if not fut.done():  # a cancelled waiter may not have removed itself yet
                    fut.set_result(None)
                    return True
            return False

        def unpark_all(self):
            q = self._q
            self._q = []
            n = 0
            for fut in q:
                if not fut.done():
                    fut.set_result(None)
                    n += 1
            return n

else:

    class WaitQueue(_Base):
        def __init__(self, try_take=None, on_orphan=None, handoff=True):
            super().__init__(try_take, on_orphan, handoff)
            self._pool = []  # idle Events for the next waiters

        async def door(self):
            if not self._try():
                await self.park()
            return True

        async def park(self):
            ev = self._pool.pop() if self._pool else asyncio.Event()
            self._q.append(ev)
            try:
                await ev.wait()
            except BaseException:
                if ev in self._q:
                    self._q.remove(ev)
                elif ev.is_set():
                    self._pass_on()
                raise
            finally:
                ev.clear()
                self._pool.append(ev)

        def unpark(self):
            if self._q:
                self._q.pop(0).set()
                return True
            return False
