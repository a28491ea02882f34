# The as_GPS reader task over a real asyncio StreamReader: a TCP connection on 127.0.0.1 from
# a server that plays the receiver model (devmodels.gps) at its baud rate's pace. The same
# script runs on MicroPython (unix port) and CPython, each with asyncio and with fast_io.
import asyncio

import ptest
from gps_support import GPSReceiver, close_server, sentence, serve
from ptest import eq, test

import as_GPS
from as_GPS import AS_GPS


async def connect_gps(play, **kw):
    server, port = await serve(play)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    gps = AS_GPS(reader, **kw)
    return gps, server, writer


async def finish(gps, server, writer):
    # The server closes after playing: the reader sees the end of the stream and stops.
    for _ in range(200):
        if gps._task is None or gps._task.done():
            break
        await asyncio.sleep(0.01)
    eq(gps._task.done(), True, "reader task ended at end of stream")
    writer.close()
    await close_server(server)


@test
async def fixes_arrive_at_the_baud_rate_pace():
    rx = None

    async def play(writer):
        nonlocal rx
        rx = GPSReceiver(
            writer,
            baudrate=38400,
            date=(2024, 2, 28),
            time=(23, 59, 58),
            latitude=-33.858558,
            longitude=151.20929,
        )
        rx.update_ms = 200
        rx.rates["ZDA"] = 1
        await rx.run(epochs=4)

    fixes = []
    gps, server, writer = await connect_gps(
        play, local_offset=10, fix_cb=lambda g, bit: fixes.append(g.utc), cb_mask=as_GPS.RMC
    )
    await gps.data_received(position=True, date=True, altitude=True, course=True)
    eq(gps.latitude(as_GPS.DM), [33, 51.5135, "S"], "latitude")
    eq(gps.longitude(as_GPS.DM), [151, 12.5574, "E"], "longitude")
    eq(gps.altitude, 545.4, "altitude")
    sats = await gps.get_satellite_data()
    eq(sorted(sats), [4, 5, 9, 12, 24], "satellites")
    await finish(gps, server, writer)
    eq(len(fixes), 4, "one RMC callback per epoch")
    eq(fixes[-1], (23, 59, 58.6), "UTC of the last epoch")
    eq(gps.full_date, (29, 2, 2024), "local date (UTC+10): the leap day")
    eq(gps.local_time, (9, 59, 58.6), "local time")
    eq(gps.crc_fails, 0, "no checksum failures")
    eq(gps.parsed_sentences, gps.clean_sentences, "every clean sentence parsed")


@test
async def noise_on_the_line_is_counted_and_the_reader_carries_on():
    good = sentence("GPRMC,120000.000,A,4807.0380,N,01131.0000,E,0.00,0.00,150624,,,A")

    async def play(writer):
        for chunk in (
            b"\xff\xfe\x00garbage without end of line",  # joins the next line: dropped
            b"\r\n" + good,
            b"\x80\x81\x82\r\n",  # not UTF-8
            good[:30] + b"\r\n",  # truncated
            good[:-4] + b"00\r\n",  # bad checksum
            b"$GPRMC" + b",1" * 200 + b"*00\r\n",  # overlong
            good[:40],  # the line stops mid-sentence for a while...
        ):
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)
        writer.write(good[40:])  # ...and goes on
        await writer.drain()

    gps, server, writer = await connect_gps(play)
    await finish(gps, server, writer)
    eq(gps.parsed_sentences, 2, "the good RMC and the one completed late")
    eq(gps.crc_fails, 1, "bad checksum")
    eq(gps.full_date, (15, 6, 2024), "date")


@test
async def a_failing_callback_is_reported_and_reading_goes_on():
    calls = []

    def bad(gps, bit):
        calls.append(bit)
        raise RuntimeError("deliberate failure in a callback")

    async def play(writer):
        rx = GPSReceiver(writer, baudrate=115200)
        rx.update_ms = 100
        await rx.run(epochs=3)

    gps, server, writer = await connect_gps(play, fix_cb=bad)
    await finish(gps, server, writer)
    eq(calls, [1, 1, 1], "the callback ran for each RMC")
    eq(gps.parsed_sentences, gps.clean_sentences, "all parsed")


@test
async def deinit_stops_the_reader():
    played = asyncio.Event()

    async def play(writer):
        rx = GPSReceiver(writer, baudrate=115200)
        rx.update_ms = 30
        await rx.run(epochs=8)
        played.set()

    gps, server, writer = await connect_gps(play)
    await gps.data_received(position=True)
    gps.deinit()
    n = gps.parsed_sentences
    await played.wait()
    await asyncio.sleep(0.05)
    eq(gps.parsed_sentences, n, "nothing parsed after deinit")
    if n >= 8 * 5:
        raise AssertionError("deinit came after the whole play: %d sentences" % n)
    writer.close()
    await close_server(server)


ptest.main()
