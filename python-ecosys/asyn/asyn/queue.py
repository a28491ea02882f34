"""Queue: a FIFO queue between tasks, with the asyncio.Queue interface."""

from ._wq import DONE, DOOR, WaitQueue


class QueueEmpty(Exception):
    pass


class QueueFull(Exception):
    pass


class Queue:
    """`await q.put(x)`, `x = await q.get()`, their `_nowait` forms, `task_done()` and
    `await q.join()`. `maxsize` <= 0 means unbounded.

    Getters and putters are served in arrival order: an item put while a getter waits is
    promised to that getter (a later get_nowait() cannot take it), and a slot freed while a
    putter waits is promised to that putter.
    """

    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self._items = []
        self._promised_items = 0  # items in _items promised to woken getters
        self._promised_slots = 0  # free slots promised to woken putters
        self._unfinished = 0  # items put and not yet marked task_done()
        self._getters = WaitQueue(self._has_item, self._unpromise_item)
        self._getters._take = self._take_for_getter
        self._putters = WaitQueue(on_orphan=self._unpromise_slot)
        self._joiners = WaitQueue(handoff=False)

    def _has_item(self):
        return len(self._items) > self._promised_items

    def _take_for_getter(self, woken):
        if woken:  # a put() promised this getter an item
            self._promised_items -= 1
        return self._take()

    def _unpromise_item(self):
        self._promised_items -= 1

    def _unpromise_slot(self):
        self._promised_slots -= 1

    def qsize(self):
        """Items that a get() could take now."""
        return len(self._items) - self._promised_items

    def empty(self):
        return self.qsize() <= 0

    def full(self):
        return 0 < self.maxsize <= len(self._items) + self._promised_slots

    def _add(self, item):
        self._items.append(item)
        self._unfinished += 1
        if self._getters.unpark():
            self._promised_items += 1

    def _take(self):
        item = self._items.pop(0)
        if 0 < self.maxsize and not self.full() and self._putters.unpark():
            self._promised_slots += 1
        return item

    def put_nowait(self, item):
        if self.full():
            raise QueueFull()
        self._add(item)

    if DOOR:

        def put(self, item):
            """Awaitable: put `item`, waiting for room if the queue is full. (With room, the
            item is put by the call itself and the await returns at once.)"""
            if self.full():
                return self._put_later(item)
            self._add(item)
            return DONE

    else:

        async def put(self, item):
            """Put `item`, waiting for room if the queue is full."""
            if self.full():
                await self._put_later(item)
            else:
                self._add(item)

    async def _put_later(self, item):
        await self._putters.park()  # a getter promised us a slot
        self._promised_slots -= 1
        self._add(item)

    def get_nowait(self):
        if self.empty():
            raise QueueEmpty()
        return self._take()

    if DOOR:

        def get(self):
            """Awaitable: the oldest item, waiting for one if the queue is empty."""
            return self._getters.door()

    else:

        async def get(self):
            """The oldest item, waiting for one if the queue is empty."""
            if self.empty():
                await self._getters.park()  # a putter promised us an item
                self._promised_items -= 1
            return self._take()

    def task_done(self):
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0:
            self._joiners.unpark_all()

    async def join(self):
        """Wait until every item put has been marked task_done()."""
        if self._unfinished > 0:
            await self._joiners.park()

    def __repr__(self):
        return "<Queue %d items, maxsize %d, %d getting, %d putting>" % (
            len(self._items),
            self.maxsize,
            self._getters.waiting(),
            self._putters.waiting(),
        )
