# devmodels UART: bytes at the baud rate's pace on the scheduler's clock, a StreamReader on it
# (MicroPython's asyncio, fast_io) or devmodels.uart.stream on CPython's asyncio, the peer end,
# overrun, silence and a baud rate mismatch. Exact times in virtual time (fast_io).
import asyncio

import ptest
from devmodels import clock
from devmodels.machine import UART, reset
from devmodels.uart import AsyncStream, stream
from ptest import eq, test
from vtime import virtual_time

VIRTUAL = ptest.RUNTIME.endswith("fast_io")
LATE_MS = 0 if VIRTUAL else 100  # real time: the loop may run late on a busy machine


def near(got, want, what):
    if not want <= got <= want + LATE_MS:
        raise AssertionError("%s at %d ms, want %d (+%d)" % (what, got, want, LATE_MS))


@test
@virtual_time
async def bytes_arrive_one_character_time_apart():
    reset()
    uart = UART(1, 9600)  # 10 bits a character: 1.042 ms
    t0 = clock.now_ms()
    uart.peer.write(b"0123456789")
    eq(uart.any(), 0, "nothing has arrived yet")
    eq(uart.read(), None, "read() returns None, as a board's with nothing there")
    await clock.sleep_until(clock.add_ms(t0, 5))
    if VIRTUAL:
        eq(uart.any(), 4, "4 bytes after 5 ms")
    await clock.sleep_until(clock.add_ms(t0, 11))
    eq(uart.any(), 10, "all 10 after 10.42 ms")
    eq(uart.read(3), b"012", "read(n)")
    buf = bytearray(4)
    eq(uart.readinto(buf), 4, "readinto")
    eq(bytes(buf), b"3456", "readinto data")
    eq(uart.read(), b"789", "read() takes the rest")


@test
@virtual_time
async def baud_rate_sets_the_pace():
    reset()
    uart = UART(2, 115200)  # 87 us a character
    t0 = clock.now_ms()
    uart.peer.write(bytes(1000))
    await clock.sleep_until(clock.add_ms(t0, 44))
    if VIRTUAL:
        eq(uart.any(), 256, "the receive buffer (256) filled after 22 ms")
    await uart.peer.drain()
    near(clock.diff_ms(clock.now_ms(), t0), 87, "drain(): 1000 bytes take 87 ms")
    eq(uart.peer.lost, 1000 - 256, "what did not fit in the receive buffer is lost")


@test
@virtual_time
async def a_streamreader_reads_lines_at_their_time():
    reset()
    uart = UART(1, 9600)
    reader = stream(uart)
    if hasattr(asyncio, "ticks"):
        eq(isinstance(reader, asyncio.StreamReader), True, "asyncio.StreamReader(uart)")
    t0 = clock.now_ms()
    uart.peer.write(b"$GPGSA,first\r\n$GPGSV,second\r\n")
    line = await reader.readline()
    eq(line, b"$GPGSA,first\r\n", "first line")
    near(clock.diff_ms(clock.now_ms(), t0), 15, "14 characters at 9600 baud")
    eq(await reader.readline(), b"$GPGSV,second\r\n", "second line")
    near(clock.diff_ms(clock.now_ms(), t0), 31, "29 characters")


@test
async def a_streamreader_in_real_time():
    # No virtual clock on any runtime: the scheduler's poller meets the bytes as they arrive.
    reset()
    uart = UART(1, 115200)
    reader = stream(uart)
    t0 = clock.now_ms()
    uart.peer.write(b"x" * 99 + b"\n")  # 100 characters: 8.7 ms
    eq(await reader.readline(), b"x" * 99 + b"\n", "the line")
    took = clock.diff_ms(clock.now_ms(), t0)
    eq(8 <= took <= 9 + 100, True, "took %d ms" % took)


@test
@virtual_time
async def async_stream_on_every_scheduler():
    reset()
    uart = UART(1, 9600)
    s = AsyncStream(uart)
    uart.peer.write(b"abcdef\nxyz")
    eq(await s.readexactly(3), b"abc", "readexactly")
    eq(await s.readline(), b"def\n", "readline")
    buf = bytearray(8)
    n = await s.readinto(buf)
    eq(bytes(buf[:n]) in (b"x", b"xy", b"xyz"), True, "readinto: what has arrived")
    await s.awrite(b"PMTK\r\n")
    eq(await uart.peer.recv_line(), b"PMTK\r\n", "awrite reaches the peer")

    async def later():
        await clock.sleep_ms(20)
        uart.peer.write(b"late\n")

    asyncio.create_task(later())
    t0 = clock.now_ms()
    while True:  # the rest of xyz, then the late line
        line = await s.readline()
        if line.endswith(b"\n"):
            break
    near(clock.diff_ms(clock.now_ms(), t0), 26, "a reader waits for the next write")


@test
@virtual_time
async def the_peer_reads_what_the_application_writes():
    reset()
    uart = UART(3, 9600)
    t0 = clock.now_ms()
    eq(uart.write(b"$PMTK220,1000*1F\r\n"), 18, "write returns the count")
    eq(uart.txdone(), False, "still sending")
    eq(uart.peer.any(), 0, "not arrived")
    line = await uart.peer.recv_line()
    eq(line, b"$PMTK220,1000*1F\r\n", "recv_line")
    near(clock.diff_ms(clock.now_ms(), t0), 19, "18 characters")
    eq(uart.txdone(), True, "sent")
    uart.write(b"ab")
    eq(await uart.peer.recv(2), b"ab", "recv(n)")
    uart.write("str\n")
    eq(await uart.peer.recv_line(), b"str\n", "a str is sent as UTF-8")


@test
@virtual_time
async def a_silent_device_sends_nothing():
    reset()
    uart = UART(1, 9600)
    uart.peer.silent = True
    uart.peer.write(b"lost\n")
    await clock.sleep_ms(20)
    eq(uart.any(), 0, "silent")
    uart.peer.silent = False
    uart.peer.write(b"back\n")
    await uart.peer.drain()
    eq(uart.readline(), b"back\n", "talking again")


@test
@virtual_time
async def a_baud_rate_mismatch_garbles():
    reset()
    uart = UART(1, 115200)
    uart.peer.baudrate = 9600  # the device still at its default
    uart.peer.write(b"$GPRMC\r\n")
    await uart.peer.drain()
    got = uart.read()
    eq(len(got), 8, "8 characters arrive")
    eq(got != b"$GPRMC\r\n", True, "garbled")
    uart.write(b"$PMTK\r\n")
    eq(await uart.peer.recv(7) != b"$PMTK\r\n", True, "garbled the other way too")
    uart.init(9600)
    uart.peer.write(b"$GPRMC\r\n")
    await uart.peer.drain()
    eq(uart.read(), b"$GPRMC\r\n", "same rate: clean")


@test
def one_line_per_id_and_reset():
    reset()
    a = UART(4, 19200, bits=8, parity=None, stop=1, rxbuf=64)
    b = UART(4)  # no settings: the line as configured
    eq(b.peer is a.peer, True, "the same line")
    eq(a._port.rx.size, 64, "rxbuf")
    eq(UART(5).peer is a.peer, False, "another id")
    ptest.raises(ValueError, UART, 6, 9600, 4)
    reset()
    eq(UART(4).peer is a.peer, False, "reset() forgets the lines")


@test
def writes_before_the_loop_are_paced_once_it_runs():
    reset()
    uart = UART(1, 9600)
    uart.peer.write(b"hello\n")  # before the application's loop runs: no pacer yet
    got = []

    async def application():
        got.append(await stream(uart).readline())

    clock.run(application())
    eq(got, [b"hello\n"], "read inside the loop")


ptest.main()
