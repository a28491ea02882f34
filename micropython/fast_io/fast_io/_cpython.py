# fast_io on CPython: asyncio.run()'s rules, loaded by core on CPython only (MicroPython's
# asyncio.run() keeps the loop and its tasks). MIT license; Copyright (c) micropython-async
# contributors
#
# The tasks still alive when run()'s coroutine ends are cancelled, their cleanup run, and the
# loop is then reset, before run() returns: code written for CPython (a task made in an earlier
# run, seen done, is started again) works under fast_io too. A task made outside any run (a
# driver built at module level, as MicroPython programs do) is kept and starts in the next run,
# as on MicroPython; CPython's own asyncio refuses to make one.

from . import core

_create_task = core.create_task
_running = False  # inside run()


def create_task(coro):
    t = _create_task(coro)
    core._live.add(t)  # for _cancel_leftovers()
    return t


def run(coro):
    global _running
    if _running:
        raise RuntimeError("run() cannot be called from a running event loop")
    _running = True
    try:
        return core.run_until_complete(create_task(coro))
    finally:
        try:
            _cancel_leftovers()
        finally:
            core.new_event_loop()  # the next run starts afresh, also after KeyboardInterrupt
            core.cur_task = None
            _running = False


def _cancel_leftovers():
    core.cur_task = None
    left = [t for t in core._live if not t.done()]
    for t in left:
        t.cancel()
    if left:
        core.run_until_complete()


def get_running_loop():
    """The loop, if called from a task (CPython's asyncio API); else RuntimeError."""
    if core.cur_task is None:
        raise RuntimeError("no running event loop")
    return core.Loop
