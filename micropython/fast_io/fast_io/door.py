# fast_io.door: the public way for code outside fast_io (asyn's primitives, your own) to park
# the running task and wake it again. MIT license; Copyright (c) micropython-async contributors
#
#     from fast_io import door
#
#     class Gate:                          # a place: somewhere tasks wait
#         def __init__(self):
#             self.waiting = []
#
#         def wait(self):                  # await gate.wait()
#             self.waiting.append(door.current())
#             return door.park(self)       # the task is parked here until woken or cancelled
#
#         def open(self):
#             for t in self.waiting:
#                 door.wake(t)             # ready again, after the tasks made ready before
#             self.waiting.clear()
#
#         def remove(self, task):          # fast_io calls this when it cancels a parked task
#             self.waiting.remove(task)
#             door.removed(task)           # the task gets CancelledError, in FIFO order
#
# The contract (the long version is at the top of core.py):
# - park(place) must be awaited at once by the running task, which must first have recorded
#   itself in `place` (a task is parked in exactly one place). The await returns None when the
#   task is woken; it raises CancelledError when the task is cancelled while parked.
# - wake(task) is for a task parked in your place that you have taken out of it. Call it from
#   the loop's thread (a task or a callback), never from an interrupt handler (use a
#   ThreadSafeFlag there). Each park is ended by exactly one wake or one cancel.
# - remove(task) must take the task out of the place and end with removed(task). A remove()
#   that does not call removed() still works, late: the cancelled task becomes ready at the
#   next round boundary with chores (a timer or I/O wait pending) or when the loop is idle.
# - An awaitable that is its own door (its __next__ parks the task on the first call and ends
#   the await on the next, as asyn's wait queues do) calls parked(task, place) and returns None
#   from __next__ instead of awaiting park().
# - Nothing here allocates: park() returns a preallocated awaitable.

from . import core


def current():
    """The running task (None outside a task)."""
    return core.cur_task


def park(place):
    """Park the running task at `place` (an object with remove(task)); await the result."""
    return core._suspend(place)


def parked(task, place):
    """For an awaitable that is its own door: `task` (the running task) is parked at `place`;
    the awaitable's __next__ must return None (yield) right after."""
    task.data = place


def wake(task):
    """Make a task that you took out of your place ready to run."""
    core._ready(task)


def removed(task):
    """End of place.remove(task): the task, being cancelled, becomes ready at once."""
    core._removed(task)


def loop():
    """An object standing for the current loop: new_event_loop() replaces it (and forgets
    every parked task without waking it), so state kept per loop can tell it is stale."""
    return core._task_queue
