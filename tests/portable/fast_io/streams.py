# fast_io: stream drivers written in Python (io.IOBase + ioctl), HUP/ERR, and TCP sockets.
# runtimes: mp-fast_io cpy-fast_io
import asyncio
import io
import sys

import ptest
from ptest import test

POLLIN, POLLOUT, POLLERR, POLLHUP = 1, 4, 8, 16


class Pipe(io.IOBase):
    """An in-memory device: the test feeds `rx` (what the driver reads) and drains `tx` (what it
    wrote, at most `room` bytes buffered). `fault` adds POLLERR/POLLHUP to every poll."""

    def __init__(self, room=8):
        self.rx = bytearray()
        self.tx = bytearray()
        self.room = room
        self.fault = 0
        self.eof = False

    def ioctl(self, req, arg):
        if req != 3:
            return -1 if req != 4 else 0
        ev = self.fault
        if arg & POLLIN and (self.rx or self.eof):
            ev |= POLLIN
        if arg & POLLOUT and len(self.tx) < self.room:
            ev |= POLLOUT
        return ev

    def read(self, n=-1):
        if not self.rx:
            return b"" if (self.eof or self.fault) else None
        n = len(self.rx) if n < 0 else min(n, len(self.rx))
        r = bytes(self.rx[:n])
        self.rx = self.rx[n:]
        return r

    def readinto(self, buf):
        r = self.read(len(buf))
        if r is None:
            return None
        buf[: len(r)] = r
        return len(r)

    def readline(self):
        if not self.rx:
            return b"" if (self.eof or self.fault) else None
        i = self.rx.find(b"\n")
        return self.read(i + 1 if i >= 0 else len(self.rx))

    def write(self, buf):
        n = min(len(buf), self.room - len(self.tx))
        if n <= 0:
            return None
        self.tx += bytes(buf[:n])
        return n

    def close(self):
        self.eof = True


async def feed(dev, chunks, ms=1):
    for c in chunks:
        await asyncio.sleep_ms(ms)
        dev.rx += c


@test
async def stream_reader_methods_on_a_python_driver():
    dev = Pipe()
    r = asyncio.StreamReader(dev)
    asyncio.create_task(feed(dev, [b"hel", b"lo\nwor", b"ld\n", b"12345", b"abcdefgh"]))
    ptest.eq(await r.readline(), b"hello\n")
    ptest.eq(await r.readexactly(6), b"world\n")
    ptest.eq(await r.read(5), b"12345")
    buf = bytearray(4)
    ptest.eq(await r.readinto(buf), 4)
    ptest.eq(bytes(buf), b"abcd")
    dev.eof = True
    ptest.eq(await r.read(), b"efgh", "read() to EOF")
    await ptest.araises(EOFError, r.readexactly(3))


@test
async def stream_writer_write_drain_close():
    dev = Pipe(room=4)
    w = asyncio.StreamWriter(dev)
    w.write(b"ab")
    await w.drain()
    ptest.eq(bytes(dev.tx), b"ab")

    async def consumer():
        out = bytearray()
        while len(out) < 12:
            await asyncio.sleep_ms(1)
            out += dev.tx
            dev.tx = bytearray()
        return bytes(out)

    c = asyncio.create_task(consumer())
    dev.tx = bytearray()
    w.write(b"0123456789AB")  # more than the device holds: drain() waits for room
    await w.drain()
    ptest.eq(await c, b"0123456789AB")
    await w.awrite(b"xyz", 1, 1)
    ptest.eq(bytes(dev.tx), b"y")
    w.close()
    await w.wait_closed()
    ptest.eq(dev.eof, True, "wait_closed() closes the device")


@test
async def reading_and_writing_one_device_concurrently():
    dev = Pipe(room=2)
    s = asyncio.StreamReader(dev)
    got = []

    async def reader():
        while len(got) < 4:
            got.append(await s.read(1))

    async def writer():
        s.write(b"WXYZ")
        await s.drain()

    async def device():  # the far end: sends bytes, takes what was written
        out = bytearray()
        for c in b"abcd":
            await asyncio.sleep_ms(1)
            dev.rx.append(c)
            out += dev.tx
            dev.tx = bytearray()
        while len(out) < 4:
            await asyncio.sleep_ms(1)
            out += dev.tx
            dev.tx = bytearray()
        return bytes(out)

    d = asyncio.create_task(device())
    await asyncio.wait_for_ms(asyncio.gather(reader(), writer()), 2000)
    ptest.eq(got, [b"a", b"b", b"c", b"d"])
    ptest.eq(await d, b"WXYZ")


@test
async def hang_up_and_error_wake_readers_and_writers():
    for fault in (POLLHUP, POLLERR):
        dev = Pipe(room=0)  # never writable
        s = asyncio.StreamReader(dev)
        w = asyncio.StreamWriter(dev)
        w.write(b"data")
        rd = asyncio.create_task(s.read(1))
        wr = asyncio.create_task(w.drain())
        await asyncio.sleep_ms(2)
        ptest.eq(rd.done() or wr.done(), False, "both wait")
        dev.fault = fault
        dev.room = 8  # so the woken writer can finish
        ptest.eq(await asyncio.wait_for_ms(rd, 1000), b"", "reader woken by fault %d" % fault)
        await asyncio.wait_for_ms(wr, 1000)
        ptest.eq(asyncio.core._io_queue.n, 0)


# Below Linux's ephemeral range (32768-60999): a client socket of an earlier test, in TIME_WAIT
# on a port the kernel picked, would otherwise keep a server's bind() from that port.
PORT = 28431 if sys.implementation.name == "micropython" else 28432


@test
async def tcp_echo_server_and_client():
    async def echo(reader, writer):
        line = await reader.readline()
        writer.write(line.upper())
        await writer.drain()
        data = await reader.readexactly(3)
        writer.write(data[2:] + data[1:2] + data[:1])  # reversed
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(echo, "127.0.0.1", PORT)
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT), 5)
        w.write(b"hello\n")
        await w.drain()
        ptest.eq(await asyncio.wait_for(r.readline(), 5), b"HELLO\n")
        w.write(b"abc")
        await w.drain()
        ptest.eq(await asyncio.wait_for(r.read(), 5), b"cba", "read() to EOF")
        w.close()
        await w.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
    ptest.eq(asyncio.core._io_queue.n, 0, "no I/O waiter left")


@test
async def timeout_on_a_socket_read_removes_the_registration():
    async def silent(r, w):
        await asyncio.sleep_ms(200)
        w.close()
        await w.wait_closed()

    server = await asyncio.start_server(silent, "127.0.0.1", PORT + 4)
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT + 4), 5)
        t0 = asyncio.get_event_loop().time()
        await ptest.araises(asyncio.TimeoutError, asyncio.wait_for_ms(r.read(1), 20))
        waited = asyncio.get_event_loop().time() - t0
        ptest.eq(waited < 150, True, "timed out after %d ms" % waited)
        q = asyncio.core._io_queue
        ptest.eq((q.n, q.nnative), (1, 1), "only the server's accept still waits")
        w.close()
        await w.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
    ptest.eq(asyncio.core._io_queue.nnative, 0, "nothing registered")


@test
async def server_as_async_context_manager():
    async def noop(r, w):
        w.close()
        await w.wait_closed()

    async with await asyncio.start_server(noop, "127.0.0.1", PORT + 2):
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT + 2), 5)
        ptest.eq(await asyncio.wait_for(r.read(10), 5), b"")
        w.close()
        await w.wait_closed()


@test
async def closing_a_socket_wakes_the_task_waiting_on_it():
    # As with the built-in asyncio: the poller reports the closed socket (POLLNVAL) and the
    # waiting reader wakes, then fails on the closed socket instead of waiting forever.
    async def silent(r, w):
        await asyncio.sleep_ms(300)
        w.close()
        await w.wait_closed()

    server = await asyncio.start_server(silent, "127.0.0.1", PORT + 6)
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT + 6), 5)
        rd = asyncio.create_task(r.read(10))
        await asyncio.sleep_ms(10)
        w.close()
        await w.wait_closed()
        e = await ptest.araises(OSError, asyncio.wait_for_ms(rd, 150))
        ptest.eq(isinstance(e, asyncio.TimeoutError), False, "woken, not timed out")
        ptest.eq(asyncio.core._io_queue.nnative, 1, "only the server's accept is registered")
    finally:
        server.close()
        await server.wait_closed()


@test
async def a_wait_the_poller_refuses_leaves_nothing_registered():
    # Waiting on a socket already closed: the built-in waits (MicroPython's poll ignores it),
    # CPython's poll refuses its descriptor; either way the same on every try, and no stale
    # waiter is left behind to make the next wait fail with "stream already has a waiter".
    async def silent(r, w):
        await asyncio.sleep_ms(300)
        w.close()
        await w.wait_closed()

    server = await asyncio.start_server(silent, "127.0.0.1", PORT + 8)
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT + 8), 5)
        w.close()
        await w.wait_closed()
        outcomes = []
        for _ in range(2):
            try:
                await asyncio.wait_for_ms(r.read(10), 20)
                outcomes.append("read")
            except Exception as e:  # noqa: BLE001 (the outcome is what is checked)
                outcomes.append(type(e).__name__)
        ptest.eq(outcomes[0], outcomes[1], "the same outcome twice")
        q = asyncio.core._io_queue
        ptest.eq((q.n, q.nnative, len(q.map)), (1, 1, 1), "only the server's accept waits")
    finally:
        server.close()
        await server.wait_closed()


ptest.main()
