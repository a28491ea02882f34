# fast_io benchmarks: one interpreter, every scheduler it has, interleaved repetitions.
#
#     micropython bench.py BENCH [--reps R] [--small]
#     python bench.py BENCH [--reps R] [--small]
#
# BENCH is switch, event, io, timers, cpu, funcs or ram. On MicroPython the schedulers are the
# built-in asyncio and fast_io; on CPython asyncio, fast_io and uvloop (when installed).
# Repetitions of the schedulers alternate in one process, so they share the machine's state.
# Each result is printed as one JSON line {"bench", "case", "impl", "n", "value", "unit"} per
# repetition; run.py takes the medians and the ratios. Nothing here asserts a speed.

import gc
import json
import sys
import time

IS_MP = sys.implementation.name == "micropython"

if IS_MP:
    import micropython

    mem_total = micropython.mem_total
    ticks_us = time.ticks_us
    ticks_diff = time.ticks_diff
else:
    _perf = time.perf_counter_ns

    def mem_total():
        return 0

    def ticks_us():
        return _perf() // 1000

    def ticks_diff(a, b):
        return a - b


# A board-sized heap (micropython -X heapsize=192k) cannot hold 1000 tasks of the built-in.
SMALL_HEAP = IS_MP and gc.mem_free() + gc.mem_alloc() < 400 * 1024


def schedulers():
    """[(name, module, runner)]: runner(coro) runs a main coroutine to completion."""
    import fast_io

    out = []
    if IS_MP:
        import asyncio

        out.append(("asyncio", asyncio, lambda c: (asyncio.new_event_loop(), asyncio.run(c))[1]))
        out.append(("fast_io", fast_io, lambda c: (fast_io.new_event_loop(), fast_io.run(c))[1]))
    else:
        import asyncio

        out.append(("asyncio", asyncio, asyncio.run))
        out.append(("fast_io", fast_io, fast_io.run))
        try:
            import uvloop

            def uv(c):
                with asyncio.Runner(loop_factory=uvloop.new_event_loop) as r:
                    return r.run(c)

            out.append(("uvloop", asyncio, uv))
        except ImportError:
            pass
    return out


def emit(bench, case, impl, n, value, unit):
    print(
        json.dumps(
            {"bench": bench, "case": case, "impl": impl, "n": n, "value": value, "unit": unit}
        )
    )


def busy_us(us):
    t0 = ticks_us()
    while ticks_diff(ticks_us(), t0) < us:
        pass


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))]


################################################################################
# switch: N tasks, each awaiting sleep(0) (or sleep_ms(0)) in a loop: us per switch.


async def _switch_main(aio, n, rounds, fn_name, extra):
    fn = getattr(aio, fn_name)

    async def worker():
        for _ in range(rounds):
            await fn(0)

    waiters = extra(aio) if extra else []
    ts = [aio.create_task(worker()) for _ in range(n)]
    await aio.sleep(0)
    gc.collect()
    m0 = mem_total()
    t0 = ticks_us()
    for t in ts:
        await t
    dt = ticks_diff(ticks_us(), t0)
    m1 = mem_total()
    for w in waiters:
        w.cancel()
    return dt / (n * rounds), (m1 - m0) / (n * rounds)


_idle_sockets = []


def _idle_waiters(aio):
    # Three tasks waiting on sockets that never become readable.
    import socket

    out = []
    for _ in range(3):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(socket.getaddrinfo("127.0.0.1", 0)[0][-1])
        s.setblocking(False)
        _idle_sockets.append(s)

        async def wait(s=s):
            await aio.StreamReader(s).read(1)

        out.append(aio.create_task(wait()))
    return out


def bench_switch(reps, small):
    sizes = (1, 10, 100) if small or SMALL_HEAP else (1, 10, 100, 1000)
    total = 2000 if small else 40000
    fns = ("sleep", "sleep_ms") if IS_MP else ("sleep",)
    for _ in range(reps):
        for name, aio, run in schedulers():
            cases = [("", None)]
            if name == "fast_io":
                cases = [("", None), ("+io_prio", "prio"), ("+io_prio+idle_waiters", "idle")]
            for fn in fns:
                if fn == "sleep_ms" and not hasattr(aio, "sleep_ms"):
                    continue
                for n in sizes:
                    for suffix, mode in cases:
                        if mode == "idle" and not IS_MP:
                            continue
                        if mode:
                            aio.set_io_priority(True)
                        r = max(1, total // n)
                        extra = _idle_waiters if mode == "idle" else None
                        us, b = run(_switch_main(aio, n, r, fn, extra))
                        emit("switch", fn + "(0)", name + suffix, n, us, "us/switch")
                        if IS_MP:
                            # Steady state: the difference between a long and a short run
                            # cancels what each task costs once (creation, its end).
                            b1 = run(_switch_main(aio, n, 10, fn, extra))[1] * n * 10
                            b2 = run(_switch_main(aio, n, 30, fn, extra))[1] * n * 30
                            b = (b2 - b1) / (n * 20)
                            emit("switch_alloc", fn + "(0)", name + suffix, n, b, "bytes/switch")
                        if mode:
                            aio.set_io_priority(False)


################################################################################
# event: two tasks ping-pong through Events (and ThreadSafeFlags): round trips per second.


async def _event_main(aio, rounds, kind):
    if kind == "Event":
        a, b = aio.Event(), aio.Event()
    else:
        a, b = aio.ThreadSafeFlag(), aio.ThreadSafeFlag()

    async def pong():
        for _ in range(rounds):
            await a.wait()
            if kind == "Event":
                a.clear()
            b.set()

    t = aio.create_task(pong())
    await aio.sleep(0)
    gc.collect()
    m0 = mem_total()
    t0 = ticks_us()
    for _ in range(rounds):
        a.set()
        await b.wait()
        if kind == "Event":
            b.clear()
    dt = ticks_diff(ticks_us(), t0)
    m1 = mem_total()
    await t
    return rounds * 1e6 / dt, (m1 - m0) / rounds


def bench_event(reps, small):
    rounds = 300 if small else 5000
    for _ in range(reps):
        for name, aio, run in schedulers():
            for kind in ("Event", "ThreadSafeFlag"):
                if not hasattr(aio, kind):
                    continue
                if kind == "ThreadSafeFlag" and name == "asyncio" and IS_MP:
                    r = min(rounds, 300)  # polled through select.poll: ~1 ms per round trip
                else:
                    r = rounds
                rate, b = run(_event_main(aio, r, kind))
                emit("event", kind, name, 2, rate, "round trips/s")
                if IS_MP:
                    emit("event_alloc", kind, name, 2, b, "bytes/round trip")


################################################################################
# io: N tasks each busy 0.5 ms per turn; one of them makes a stream readable part-way through
# its slice; how long until the reader resumes? Also the busy tasks' share of the CPU.


class _Dev:
    # A Python-level stream (io.IOBase on MicroPython) that is readable when `ready` is set.
    pass


def _make_dev():
    import io

    class Dev(io.IOBase):
        def __init__(self):
            self.ready = 0

        def ioctl(self, req, arg):
            return self.ready * (arg & 1) if req == 3 else -1

        def read(self, n=-1):
            if not self.ready:
                return None
            self.ready = 0
            return b"x"

    return Dev()


def _socket_pair():
    import socket

    if hasattr(socket, "socketpair"):
        a, b = socket.socketpair()
        a.setblocking(False)
        return a, b
    addr = socket.getaddrinfo("127.0.0.1", 38571)[0][-1]
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rx.bind(addr)
    rx.setblocking(False)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.connect(addr)
    return rx, tx


async def _io_main(aio, name, n, samples, kind):
    lat = []
    # armed: the reader waits for a new byte; the next busy task to reach its trigger point
    # sends one (so every sample times one byte, whoever sends it).
    state = {"t": 0, "busy": 0, "stop": False, "armed": False}
    if kind == "device":
        dev = _make_dev()
        rx = tx = None
    else:
        rx, tx = _socket_pair()
    slice_us = 500

    async def reader():
        if kind == "device":
            r = aio.StreamReader(dev)
        elif name == "fast_io" or IS_MP:
            r = aio.StreamReader(rx)
        else:
            r, _ = await aio.open_connection(sock=rx)
        while len(lat) < samples:
            state["armed"] = True
            await r.read(1)
            lat.append(ticks_diff(ticks_us(), state["t"]))
        state["stop"] = True

    async def busy(i):
        k = i * 61
        while not state["stop"]:
            t0 = ticks_us()
            k += 1
            part = (k * 137) % slice_us  # spread the trigger points across the slice
            busy_us(part)
            if state["armed"]:
                state["armed"] = False
                state["t"] = ticks_us()
                if kind == "device":
                    dev.ready = 1
                else:
                    tx.send(b"x")
            busy_us(slice_us - part)
            state["busy"] += ticks_diff(ticks_us(), t0)
            await aio.sleep(0)

    rt = aio.create_task(reader())
    await aio.sleep(0)
    t0 = ticks_us()
    ts = [aio.create_task(busy(i)) for i in range(max(1, n))]
    for t in ts:
        await t
    wall = ticks_diff(ticks_us(), t0)
    await rt
    if rx is not None:
        rx.close()
        tx.close()
    return lat, state["busy"] / wall


def bench_io(reps, small):
    sizes = (0, 10) if small else (0, 10, 50)
    for _ in range(reps):
        for name, aio, run in schedulers():
            for kind in ("socket", "device"):
                if kind == "device" and not IS_MP and name != "fast_io":
                    continue  # CPython's asyncio has no Python-level stream drivers
                for n in sizes:
                    samples = 20 if small else max(40, 400 // (n + 1))
                    if name == "fast_io":
                        aio.set_io_priority(True)
                    lat, share = run(_io_main(aio, name, n, samples, kind))
                    if name == "fast_io":
                        aio.set_io_priority(False)
                    case = kind
                    emit("io_p50", case, name, n, percentile(lat, 50) / 1000, "ms")
                    emit("io_p99", case, name, n, percentile(lat, 99) / 1000, "ms")
                    emit("io_max", case, name, n, max(lat) / 1000, "ms")
                    emit("io_cpu", case, name, n, share * 100, "% busy")


################################################################################
# timers: K tasks sleeping 1..20 ms in a loop: lateness of each wake-up.


async def _timers_main(aio, k, wakes):
    late = []

    async def sleeper(i):
        for j in range(wakes):
            d = 1 + (i * 7 + j * 13) % 20
            t0 = ticks_us()
            await aio.sleep_ms(d) if hasattr(aio, "sleep_ms") else await aio.sleep(d / 1000)
            late.append(ticks_diff(ticks_us(), t0) - d * 1000)

    await aio.gather(*[sleeper(i) for i in range(k)])
    return late


def bench_timers(reps, small):
    sizes = (10, 100) if small or SMALL_HEAP else (10, 100, 1000)
    for _ in range(reps):
        for name, aio, run in schedulers():
            for k in sizes:
                late = run(_timers_main(aio, k, 3 if small else max(3, 2000 // k)))
                emit("timers_mean", "sleep_ms", name, k, sum(late) / len(late) / 1000, "ms")
                emit("timers_p99", "sleep_ms", name, k, percentile(late, 99) / 1000, "ms")


################################################################################
# ram: bytes per task (coroutine + task), waiting on sleep or on an Event.


async def _idle_sleep(aio):
    await aio.sleep_ms(1000000)


async def _idle_event(ev):
    await ev.wait()


async def _ram_main(aio, n, kind):
    # RAM kept per waiting task (after a collection), not the bytes requested on the way.
    ev = aio.Event()
    ts = [None] * n
    gc.collect()
    m0 = gc.mem_alloc()
    for i in range(n):
        ts[i] = aio.create_task(_idle_event(ev) if kind == "Event" else _idle_sleep(aio))
    await aio.sleep_ms(1)
    gc.collect()
    m1 = gc.mem_alloc()
    for t in ts:
        t.cancel()
    await aio.sleep_ms(1)
    return (m1 - m0) / n


# What applications use: "core" tasks, sleep, Event and Lock; "all" also gather, wait_for,
# ThreadSafeFlag and streams.
_IMPORT_CASES = {
    "core": ("Event", "Lock"),
    "all": ("Event", "ThreadSafeFlag", "Lock", "gather", "wait_for", "StreamReader"),
}


def _import_ram(which, case):
    # RAM kept by importing the scheduler and the submodules an application uses (a frozen
    # module keeps its code in flash, a .py or .mpy one in RAM). Run in a fresh interpreter;
    # run.py points the path at .mpy files compiled by mpy-cross.
    gc.collect()
    a0 = gc.mem_alloc()
    if which == "asyncio":
        import asyncio as m
    else:
        import fast_io as m
    for name in _IMPORT_CASES[case]:
        getattr(m, name)

    async def main():  # a task that sleeps, so the loop's own first-use state counts too
        await m.sleep_ms(1)

    m.run(main())
    gc.collect()
    return gc.mem_alloc() - a0


def bench_ram(reps, small):
    if not IS_MP:
        return
    if "--import" in sys.argv:
        which = sys.argv[sys.argv.index("--import") + 1]
        case = sys.argv[sys.argv.index("--import") + 2]
        label = sys.argv[sys.argv.index("--import") + 3]
        emit("import_ram", case + " " + label, which, 1, _import_ram(which, case), "bytes")
        return
    for _ in range(1):
        for name, aio, run in schedulers():
            for kind in ("sleep", "Event"):
                n = 100 if small or SMALL_HEAP else 1000
                emit("ram", kind, name, n, run(_ram_main(aio, n, kind)), "bytes/task")


################################################################################
# cpu: the CPU a scheduler takes while its tasks wait (10 tasks sleeping 1..50 ms in a loop;
# only an Event pending), as % of one core; also the timers' lateness in the first case.


def _cpu_ns():
    # CPU time of this process (ns), from Linux's schedstat; None where there is none.
    try:
        with open("/proc/self/schedstat") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError):
        return None


async def _cpu_sleepers(aio, ms_total):
    late = []
    stop = [False]

    async def sleeper(i):
        j = 0
        while not stop[0]:
            d = 1 + (i * 17 + j * 7) % 50
            j += 1
            t0 = ticks_us()
            await aio.sleep(d / 1000)
            late.append(ticks_diff(ticks_us(), t0) - d * 1000)

    ts = [aio.create_task(sleeper(i)) for i in range(10)]
    c0, w0 = _cpu_ns(), ticks_us()
    await aio.sleep(ms_total / 1000)
    c1, w1 = _cpu_ns(), ticks_us()
    stop[0] = True
    for t in ts:
        await t
    return (c1 - c0) / 10 / ticks_diff(w1, w0), late


async def _cpu_event(aio, ms_total):
    # Only an Event pending: another thread sets it after ms_total (the loop can only find
    # out by looking again now and then, as both schedulers do every 3 ms).
    import _thread

    done = aio.Event()

    def later():
        time.sleep(ms_total / 1000)
        done.set()

    c0, w0 = _cpu_ns(), ticks_us()
    _thread.start_new_thread(later, ())
    await done.wait()
    c1, w1 = _cpu_ns(), ticks_us()
    return (c1 - c0) / 10 / ticks_diff(w1, w0)


def bench_cpu(reps, small):
    if _cpu_ns() is None:
        return
    ms = 300 if small else 2000
    for _ in range(reps):
        for name, aio, run in schedulers():
            share, late = run(_cpu_sleepers(aio, ms))
            emit("cpu_waiting", "10 sleepers", name, 10, share, "% of a core")
            emit("cpu_timers_mean", "10 sleepers", name, 10, sum(late) / len(late) / 1000, "ms")
            emit("cpu_timers_p99", "10 sleepers", name, 10, percentile(late, 99) / 1000, "ms")
            if IS_MP:
                share = run(_cpu_event(aio, ms))
                emit("cpu_waiting", "only an Event", name, 1, share, "% of a core")


################################################################################
# funcs: task creation with gather (N tasks returning at once, gathered) and wait_for round
# trips (a coroutine returning at once, under a timeout), per second.


async def _nothing():
    return 1


async def _gather_main(aio, n, rounds):
    t0 = ticks_us()
    for _ in range(rounds):
        await aio.gather(*[_nothing() for _ in range(n)])
    return n * rounds * 1000000 / ticks_diff(ticks_us(), t0)


async def _wait_for_main(aio, rounds):
    t0 = ticks_us()
    for _ in range(rounds):
        await aio.wait_for(_nothing(), 1)
    return rounds * 1000000 / ticks_diff(ticks_us(), t0)


def bench_funcs(reps, small):
    for _ in range(reps):
        for name, aio, run in schedulers():
            n = 10 if small else 100
            emit(
                "gather",
                "tasks",
                name,
                n,
                run(_gather_main(aio, n, 5 if small else 50)),
                "tasks/s",
            )
            rate = run(_wait_for_main(aio, 50 if small else 2000))
            emit("wait_for", "round trips", name, 1, rate, "round trips/s")


BENCHES = {
    "switch": bench_switch,
    "event": bench_event,
    "io": bench_io,
    "timers": bench_timers,
    "cpu": bench_cpu,
    "funcs": bench_funcs,
    "ram": bench_ram,
}


def main(argv):
    reps = 5
    if "--reps" in argv:
        reps = int(argv[argv.index("--reps") + 1])
    small = "--small" in argv
    for name in argv[1:]:
        if name in BENCHES:
            BENCHES[name](reps, small)


main(sys.argv)
