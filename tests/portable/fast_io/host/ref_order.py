# Run by tests/test_fast_io.py on the real MicroPython: the Python TaskQueue of
# tests/lib/ref_taskqueue.py (which the differential test gives the built-in asyncio) pops
# tasks in the same order as the C TaskQueue of MicroPython's `_asyncio`, through random
# pushes (with equal keys), removes and pops. Prints "differences N".
import random

import _asyncio
import ref_taskqueue

now = [0]
ref_taskqueue.install(lambda: now[0])


async def nothing():
    pass


def one(seed):
    random.seed(seed)
    c_q, r_q = _asyncio.TaskQueue(), ref_taskqueue.TaskQueue()
    c_in, r_in = [], []  # tasks in each queue, created in pairs
    for _ in range(300):
        k = random.randrange(10)
        if k < 5:
            key = random.randrange(6)
            ct, rt = _asyncio.Task(nothing()), ref_taskqueue.Task(nothing())
            c_q.push(ct, key)
            r_q.push(rt, key)
            c_in.append(ct)
            r_in.append(rt)
        elif k < 7 and c_in:
            i = random.randrange(len(c_in))
            c_q.remove(c_in.pop(i))
            r_q.remove(r_in.pop(i))
        elif c_in:
            ci, ri = c_in.index(c_q.pop()), r_in.index(r_q.pop())
            if ci != ri:
                return 1
            c_in.pop(ci)
            r_in.pop(ri)
    return 0


print("differences", sum(one(s) for s in range(200)))
