# fast_io: low-priority tasks (after, after_ms, max_overdue_ms), loaded on first use.
# MIT license; Copyright (c) micropython-async contributors
#
# A low-priority task waits in the heap core._lpq (made here, on first use) until its time has
# come, and then until no normal task is ready, or until it is more than max_overdue_ms() late.

from . import core


class _LowPri:
    # The place of tasks in after(): the heap core._lpq.
    def remove(self, task):
        core._lpq.remove(task)
        core._removed(task)


_LOWPRI = _LowPri()


class _After(core._Sleep):
    def __next__(self):
        ms = self.ms
        if ms < 0:
            e = core._STOP
            e.__traceback__ = None
            raise e
        self.ms = -1
        _park(core.cur_task, ms)
        return None

    def _as_coro(self):
        # create_task(after(t)): take the duration now, free the door.
        ms = self.ms
        self.ms = -1
        return _after_coro(ms)


# MicroPython puts a frame of more than 11 slots (locals + stack) on the heap: what runs on
# every wait is split so that no frame is that big.
def _park(t, ms):
    key = core._ticks_add(core._ticks(), ms)
    q = core._lpq
    if q is None:
        q = core._lpq = core.TaskQueue()
    q.push(t, key)
    t.data = _LOWPRI
    core._chores = core._extra = True


async def _after_coro(ms):
    await after_ms(ms)


_afterer = _After()


def after_ms(t):
    s = _afterer
    if s.ms >= 0:  # an earlier after() not awaited yet: see core.sleep_ms
        s = _After()
    s.ms = t if t > 0 else 0
    return s


def after(t):
    return after_ms(int(t * 1000))


_max_overdue = 0


def max_overdue_ms(t=None):
    """Bound how late a due low-priority task may be while normal tasks keep the CPU busy
    (0: no bound, it waits for an idle moment). Returns the bound in force."""
    global _max_overdue
    if t is not None:
        _max_overdue = t
    return _max_overdue


def due(ring, now):
    # Move due low-priority tasks to the ring: all of them when nothing else is ready, else
    # those more than max_overdue_ms late.
    q = core._lpq
    idle = not ring
    h = q.peek()
    while h:
        late = core._ticks_diff(now, h.ph_key)
        if late < 0 or not (idle or (_max_overdue and late >= _max_overdue)):
            return
        q.pop()
        core._ready(h)
        h = q.peek()


def _reset():
    # new_event_loop(): an after() never awaited must not make later ones allocate.
    _afterer.ms = -1
