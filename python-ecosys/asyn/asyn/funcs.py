"""launch(func, args) and sleep(t, granularity): small helpers for tasks."""

import asyncio


def launch(func, args=()):
    """Call `func(*args)`. If that returns a coroutine, schedule it as a task and return the
    Task; otherwise return what the callback returned."""
    res = func(*args)
    if hasattr(res, "send") and hasattr(res, "throw"):
        return asyncio.create_task(res)
    return res


async def sleep(t, granularity=None):
    """Sleep for `t` seconds. `granularity` is accepted for programs written for the original
    collection, where long sleeps were split so that cancellation took effect promptly; every
    supported scheduler now cancels a sleeping task at once, so the sleep is never split."""
    await asyncio.sleep(t)
