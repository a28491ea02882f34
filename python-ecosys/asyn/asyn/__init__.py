"""asyn: synchronisation primitives, timers and task cancellation for asyncio.

Runs unchanged on MicroPython's built-in asyncio, on fast_io and on CPython's asyncio.
Importing a name loads only the module that defines it, so a board pays RAM only for the
primitives it uses: `from asyn import Lock` loads asyn/lock.py and nothing else of asyn
(apart from the small shared helpers it needs).
"""

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
