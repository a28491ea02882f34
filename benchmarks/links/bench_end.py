# One end of a link benchmark, in its own MicroPython process (benchmarks/links/run.py starts
# two and reads what they print). The two ends are joined by devmodels.wire over 127.0.0.1.
#
#   micropython bench_end.py KIND ROLE PORT SCALE [fast_io]
#
# KIND wire: the reference, a pin level sent to the other process and echoed back (one
#            round trip of the wire model, with each end polling its input as syncom does).
#      syncom: bytes per second one way (string mode, 200-character messages), then the
#            round trip of a short message echoed by the other end.
#      i2c: bytes per second each way in turn (asi2c streams), the exchanges that took, then
#            the round trip of a short line echoed by the other end.
#      local: both links with both ends in this one process (pins shared, the Responder's
#            I2C(0) reaching the I2CTarget(0) straight): the CPU work per syncom bit and per
#            full asi2c exchange without the wire model, the base of the estimate for boards
#            (docs/LINKS.md). ROLE and PORT are ignored.
# ROLE a (listens: the active end, the Initiator) or b. SCALE multiplies the work (1: a few
# seconds). The measuring end prints "name value" lines.
import sys

if "fast_io" in sys.argv[1:]:
    import fast_io

    fast_io.install()

import devmodels

devmodels.install()

import asyncio  # noqa: E402
from time import ticks_diff, ticks_ms, ticks_us  # noqa: E402

from devmodels.wire import Wire  # noqa: E402
from machine import I2C, Pin  # noqa: E402

kind, role, port, scale = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
A = role == "a"


def report(name, value):
    print(name, "%.1f" % value)


async def connect(outs, ins):
    wire = Wire(outs=outs, ins=ins)
    if A:
        await wire.listen(port)
    else:
        await wire.connect(port)
    while not wire.connected():
        await asyncio.sleep_ms(5)
    return wire


async def bench_wire():
    me, peer = ("WA", "WB") if A else ("WB", "WA")
    await connect((me,), (peer,))
    out = Pin(me, Pin.OUT, value=0)
    inp = Pin(peer, Pin.IN)
    rounds = int(2000 * scale)
    level = 0
    if not A:
        for _ in range(rounds):
            while inp() == level:
                await asyncio.sleep(0)
            level ^= 1
            out(level)
        await asyncio.sleep_ms(200)
        return
    await asyncio.sleep_ms(200)  # the other end is polling
    t0 = ticks_us()
    for _ in range(rounds):
        level ^= 1
        out(level)
        while inp() != level:
            await asyncio.sleep(0)
    report("wire_round_trip_us", ticks_diff(ticks_us(), t0) / rounds)


async def bench_syncom():
    from syncom import SynCom

    me, peer = ("A", "B") if A else ("B", "A")
    await connect((me + "C", me + "D"), (peer + "C", peer + "D"))
    chan = SynCom(
        not A,
        Pin(peer + "C", Pin.IN),
        Pin(me + "C", Pin.OUT, value=0),
        Pin(peer + "D", Pin.IN),
        Pin(me + "D", Pin.OUT, value=0),
        string_mode=True,
        verbose=False,
    )
    asyncio.create_task(chan.start())
    msgs = int(20 * scale)
    text = "x" * 200
    if A:
        for _ in range(msgs):
            chan.send(text)
        for _ in range(int(20 * scale)):  # echo
            chan.send(await chan.await_obj())
        await asyncio.sleep_ms(300)
        return
    await chan.await_obj()  # the clock starts at the end of the first message
    t0 = ticks_ms()
    for _ in range(msgs - 1):
        await chan.await_obj()
    dt = ticks_diff(ticks_ms(), t0)
    report("syncom_bytes_per_s", (msgs - 1) * 200 * 1000 / dt)
    report("syncom_bit_us", dt * 1000 / ((msgs - 1) * (200 + 4) * 8))
    rounds = int(20 * scale)
    t0 = ticks_us()
    for i in range(rounds):
        chan.send("p%d" % i)
        await chan.await_obj()
    report("syncom_round_trip_ms", ticks_diff(ticks_us(), t0) / rounds / 1000)


async def bench_i2c():
    if A:
        wire = await connect(("SYNC",), ("ACK",))
        from machine import I2CTarget

        from asi2c_i import Initiator

        chan = Initiator(
            I2CTarget(0, 0x12), Pin("SYNC", Pin.OUT), Pin("ACK", Pin.IN), verbose=False
        )
    else:
        wire = await connect(("ACK",), ("SYNC",))
        wire.controller(0x12)
        from asi2c import Responder

        chan = Responder(I2C(0), Pin("SYNC", Pin.IN), Pin("ACK", Pin.OUT), verbose=False)
    reader = asyncio.StreamReader(chan)
    writer = asyncio.StreamWriter(chan, {})
    total = int(20000 * scale)
    block = b"y" * 500
    for direction in ("a_to_b", "b_to_a"):
        sending = A == (direction == "a_to_b")
        if sending:
            for _ in range(total // len(block)):
                writer.write(block)
                await writer.drain()
        else:
            got = len(await reader.read(600))
            x0 = chan.exchanges
            t0 = ticks_ms()
            while got < total:
                got += len(await reader.read(600))
            dt = ticks_diff(ticks_ms(), t0)
            report("i2c_%s_bytes_per_s" % direction, (total - 600) * 1000 / dt)
            report("i2c_%s_exchange_us" % direction, dt * 1000 / (chan.exchanges - x0))
    rounds = int(50 * scale)
    if A:
        await asyncio.sleep_ms(100)
        t0 = ticks_us()
        for i in range(rounds):
            writer.write(b"p%d\n" % i)
            await writer.drain()
            await reader.readline()
        report("i2c_round_trip_ms", ticks_diff(ticks_us(), t0) / rounds / 1000)
    else:
        for _ in range(rounds):
            writer.write(await reader.readline())
            await writer.drain()
        await asyncio.sleep_ms(300)


class Out:
    # The other end's output, in one process: it drives the line (see the READMEs).
    def __init__(self, id):
        self.pin = Pin(id)

    def __call__(self, level):
        self.pin.drive(level)


async def bench_local():
    # Two facts the estimate for boards rests on: a `for` loop turn (the CPU's speed at
    # MicroPython), and how long a ThreadSafeFlag set by one task takes to wake another.
    n = int(100000 * scale)
    t0 = ticks_us()
    for _ in range(n):
        pass
    report("local_empty_loop_ns", ticks_diff(ticks_us(), t0) * 1000 / n)
    flag = asyncio.ThreadSafeFlag()
    stamps = []

    async def setter():
        for _ in range(20):
            await asyncio.sleep_ms(3)
            stamps.append(ticks_us())
            flag.set()

    asyncio.create_task(setter())
    total = 0
    for _ in range(20):
        await flag.wait()
        total += ticks_diff(ticks_us(), stamps[-1])
    report("local_tsf_wake_us", total / 20)

    from syncom import SynCom

    a = SynCom(
        False,
        Pin("BC", Pin.IN),
        Pin("AC", Pin.OUT, value=0),
        Pin("BD", Pin.IN),
        Pin("AD", Pin.OUT, value=0),
        string_mode=True,
        verbose=False,
    )
    b = SynCom(True, Pin("AC"), Out("BC"), Pin("AD"), Out("BD"), string_mode=True, verbose=False)
    asyncio.create_task(a.start())
    asyncio.create_task(b.start())
    msgs = int(20 * scale)
    for _ in range(msgs):
        a.send("x" * 200)
    await b.await_obj()
    t0 = ticks_ms()
    for _ in range(msgs - 1):
        await b.await_obj()
    dt = ticks_diff(ticks_ms(), t0)
    report("local_syncom_bit_us", dt * 1000 / ((msgs - 1) * (200 + 4) * 8))
    a.stop()
    b.stop()

    from machine import I2CTarget

    from asi2c import Responder
    from asi2c_i import Initiator

    ini = Initiator(I2CTarget(0, 0x12), Pin("SYNC", Pin.OUT, value=0), Pin("ACK"), verbose=False)
    res = Responder(I2C(0), Pin("SYNC"), Out("ACK"), verbose=False)
    writer = asyncio.StreamWriter(ini, {})
    total = int(40000 * scale)
    block = b"y" * 500

    async def send():
        for _ in range(total // len(block)):
            writer.write(block)
            await writer.drain()

    asyncio.create_task(send())
    reader = asyncio.StreamReader(res)
    got = len(await reader.read(600))
    x0 = res.exchanges
    t0 = ticks_us()
    while got < total:
        got += len(await reader.read(600))
    dt = ticks_diff(ticks_us(), t0)
    report("local_i2c_exchange_us", dt / (res.exchanges - x0))
    report("local_i2c_bytes_per_s", (total - 600) * 1e6 / dt)
    ini.deinit()
    res.deinit()


asyncio.run(
    {"local": bench_local, "wire": bench_wire, "syncom": bench_syncom, "i2c": bench_i2c}[kind]()
)
