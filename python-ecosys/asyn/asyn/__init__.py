"""asyn: synchronisation primitives, timers and task cancellation for asyncio.

Runs unchanged on MicroPython's built-in asyncio, on fast_io and on CPython's asyncio.
Importing a name loads only the module that defines it, so a board pays RAM only for the
primitives it uses: `from asyn import Lock` loads asyn/lock.py and nothing else of asyn
(apart from the small shared helpers it needs).
"""

import sys

# Oldest MicroPython supported: 1.21, or 1.20 with fast_io installed first. 1.20 names its
# built-in scheduler `uasyncio` only, and its unix port cannot wait on a ThreadSafeFlag
# (which Message, RingbufQueue and Delay_ms use), so a clear error beats a failure later.
if sys.implementation.name == "micropython" and sys.implementation.version < (1, 21):
    if "asyncio" not in sys.modules or sys.implementation.version < (1, 20):
        raise ImportError(
            "asyn needs MicroPython 1.21 or later (on 1.20: fast_io.install() first)"
        )

# Public name -> module (in this package) that defines it.
_attrs = {
    "Delay_ms": "delay_ms",
    "launch": "funcs",
    "sleep": "funcs",
    "Lock": "lock",
    "Event": "event",
    "Semaphore": "semaphore",
    "BoundedSemaphore": "semaphore",
    "Condition": "condition",
    "Barrier": "barrier",
    "Queue": "queue",
    "QueueEmpty": "queue",
    "QueueFull": "queue",
    "RingbufQueue": "ringbuf_queue",
    "Message": "message",
    "WaitAny": "waitany",
    "WaitAll": "waitany",
    "Gather": "gather",
    "Gatherable": "gather",
    "Cancellable": "cancel",
    "NamedTask": "cancel",
    "cancellable": "cancel",
    "cancel_all": "cancel",
    "WaitQueue": "_wq",
}


def __getattr__(attr):
    mod = _attrs.get(attr)
    if mod is None:
        raise AttributeError(attr)
    value = getattr(__import__("asyn." + mod, None, None, (attr,)), attr)
    globals()[attr] = value
    return value
