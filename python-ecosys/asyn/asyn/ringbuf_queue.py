"""RingbufQueue: a queue in a preallocated buffer that an interrupt handler can fill."""

from ._compat import Flag
from ._wq import WaitQueue, loop_id


class RingbufQueue:
    """A FIFO held in `buf` (a list, or an array for numbers), which is never reallocated.

    `put_nowait(v)` allocates nothing and does not touch the scheduler, so a hard interrupt
    handler (or another thread) may call it. When the queue is full it overwrites the oldest
    item and raises IndexError (a preallocated instance: catch it if losing data matters).
    The queue holds up to `len(buf) - 1` items.

    Consumers: `await q.get()`, `q.get_nowait()`, or `async for v in q`, in any number of
    tasks. Producers in tasks may `await q.put(v)`, which waits for room.
    """

    def __init__(self, buf):
        self._buf = buf
        self._size = len(buf)
        self._wi = 0  # next slot to write; written by producers only
        self._ri = 0  # next slot to read; written by the consumer (and put_nowait when full)
        self._flag = Flag()  # set by every put; wakes the consumer
        self._room = WaitQueue()  # producer tasks waiting for room; a wake-up is passed on
        self._full = IndexError("RingbufQueue full: oldest item dropped")
        self._listening = None  # loop_id() of the loop where a consumer sleeps on the flag
        self._consumers = WaitQueue(handoff=False)  # the other consumers waiting in get()

    def qsize(self):
        return (self._wi - self._ri) % self._size

    def empty(self):
        return self._wi == self._ri

    def full(self):
        return (self._wi + 1) % self._size == self._ri

    def put_nowait(self, v):
        """Add `v`; interrupt-safe. Raises IndexError if that dropped the oldest item."""
        self._buf[self._wi] = v
        self._wi = (self._wi + 1) % self._size
        self._flag.set()
        if self._wi == self._ri:  # overran the consumer: drop the oldest item
            self._ri = (self._ri + 1) % self._size
            raise self._full

    async def put(self, v):
        """Add `v`, waiting while the queue is full (tasks only)."""
        while self.full():  # woken by each get; an interrupt may fill the room again
            await self._room.park()
        self.put_nowait(v)

    def get_nowait(self):
        if self._wi == self._ri:
            raise IndexError("RingbufQueue empty")
        ri = self._ri
        v = self._buf[ri]
        self._ri = (ri + 1) % self._size
        self._room.unpark()
        return v

    async def get(self):
        # Any number of consumers: one of them (the listener) sleeps on the flag, which every
        # put sets; the others park. Whoever leaves get() wakes one parked consumer if an item
        # is left or nobody listens any more, so items never wait while a consumer sleeps.
        # Every pass of the loop follows a put or such a hand-over, never a timer.
        if self._listening is not None and self._listening is not loop_id():
            # Left by a loop that was abandoned (new_event_loop()) with its tasks, which will
            # never run again: forget them, and never hand them an item or room.
            self._listening = None
            del self._consumers._q[:]
            del self._room._q[:]
        try:
            while self._wi == self._ri:
                if self._listening is not None:
                    await self._consumers.park()
                    continue
                self._listening = loop_id()
                try:
                    await self._flag.wait()
                finally:
                    self._listening = None
            return self.get_nowait()
        finally:
            if self._consumers.waiting() and (self._listening is None or self._wi != self._ri):
                self._consumers.unpark()

    def __aiter__(self):
        return self

    async def __anext__(self):
        return await self.get()
