# The as_GPS reader over a devmodels UART, as on a board: the receiver model (devmodels.gps)
# talks on the device's end of the line at the baud rate's pace; the application reads
# through asyncio.StreamReader(uart) (devmodels.uart.stream on CPython's asyncio). Under
# fast_io the tests run in virtual time, so hours of receiver time take moments and times
# are exact; elsewhere in real time, where only lower bounds on times are checked.
import asyncio

import gps_support  # noqa: F401  (puts devmodels on the path where only as_GPS is installed)
import ptest
from devmodels import clock
from devmodels.gps import GPSReceiver
from devmodels.machine import UART, reset
from devmodels.uart import stream
from ptest import eq, test
from vtime import virtual_time

import as_GPS
from as_GPS import AS_GPS

VIRTUAL = ptest.RUNTIME.endswith("fast_io")


def receiver(uart, baudrate=9600, **kw):
    rx = GPSReceiver(uart.peer, baudrate=baudrate, **kw)
    if not VIRTUAL:  # real time: epochs as fast as the line allows
        rx.update_ms = 100
    return rx


async def settle(gps, task):
    await task
    await clock.sleep_ms(50)  # the last line's end, and the parse
    gps.deinit()


@test
@virtual_time
async def a_fix_through_the_uart():
    reset()
    uart = UART(1, baudrate=9600)
    rx = receiver(uart, latitude=-34.607612, longitude=-58.381687, date=(2024, 6, 15))
    gps = AS_GPS(stream(uart), local_offset=-3)
    task = asyncio.create_task(rx.run(epochs=3))
    await gps.data_received(position=True, date=True, altitude=True, course=True)
    eq(gps.latitude(as_GPS.DM), [34, 36.4567, "S"], "latitude")
    eq(gps.longitude(as_GPS.DM), [58, 22.9012, "W"], "longitude")
    sats = await gps.get_satellite_data()
    eq(sorted(sats), [4, 5, 9, 12, 24], "satellites")
    eq(gps.satellites_used, [4, 5, 9, 12, 24], "used")
    await settle(gps, task)
    eq(gps.crc_fails, 0, "no checksum failure")
    eq(gps.utc, (12, 0, 2 * rx.update_ms / 1000), "UTC of the last epoch")
    eq(gps.local_time, (9, 0, 2 * rx.update_ms / 1000), "local time")
    eq(uart.peer.lost, 0, "nothing lost from the receive buffer")


@test
@virtual_time
async def sentences_arrive_at_the_baud_rate_pace():
    reset()
    uart = UART(1, baudrate=9600)
    rx = receiver(uart)
    lines = rx.epoch_sentences()
    stamps = {}

    def seen(g, bit):
        stamps.setdefault(bit, clock.now_ms())

    gps = AS_GPS(stream(uart), fix_cb=seen, cb_mask=as_GPS.RMC | as_GPS.GGA)
    t0 = clock.now_ms()
    await rx.run(epochs=1)
    await clock.sleep_ms(20)
    gps.deinit()
    # The GGA is the third line: it is complete once the first three lines have arrived.
    chars = len(lines[0]) + len(lines[1]) + len(lines[2])
    want = chars * 10000 // 9600
    got = clock.diff_ms(stamps[as_GPS.GGA], t0)
    if got < want - 1 or (VIRTUAL and got > want + 2):
        raise AssertionError("GGA parsed at %d ms, its last byte is due at %d ms" % (got, want))


@test
@virtual_time
async def across_midnight_and_the_year_end_in_receiver_time():
    # Twenty minutes of a receiver at 1 Hz, from 23:50 UTC on 31 December 2023: the reader
    # keeps up, and the local date (UTC+0:30 and UTC-0:30) rolls at the right moment.
    reset()
    uart = UART(1, baudrate=38400)
    rx = receiver(uart, baudrate=38400, date=(2023, 12, 31), time=(23, 50, 0))
    rx.rates["GSV"] = 0
    gps = AS_GPS(stream(uart), local_offset=0.5)
    epochs = 1200 if VIRTUAL else 3
    await rx.run(epochs=epochs)
    await clock.sleep_ms(50)
    gps.deinit()
    eq(gps.parsed_sentences, epochs * 4, "every RMC, VTG, GGA and GSA of every epoch")
    if VIRTUAL:
        eq(gps.utc, (0, 9, 59.0), "UTC after twenty minutes")
        eq(gps.full_date, (1, 1, 2024), "UTC+0:30")
        gps.local_offset = -0.5
        eq(gps.full_date, (31, 12, 2023), "UTC-0:30: still the old year")
        eq(gps.local_time, (23, 39, 59.0), "local time")


@test
@virtual_time
async def a_silent_receiver_noise_and_a_wrong_baud_rate():
    reset()
    uart = UART(1, baudrate=9600)
    rx = receiver(uart)
    gps = AS_GPS(stream(uart))
    uart.peer.write(b"\x00\xff\xfe garbage \x81\r\n")  # line noise
    uart.peer.silent = True  # the receiver goes quiet: what it sends is lost
    await rx.run(epochs=2)
    eq(gps.parsed_sentences, 0, "nothing while silent")
    uart.peer.silent = False
    # The receiver at another rate than the UART: garbled bytes. (Only RMC, so that less
    # than a receive buffer of garbage comes without a newline: devmodels' CPython stream
    # waits for a newline that a full buffer can no longer take.)
    uart.peer.baudrate = 4800
    rx.rates = {"RMC": 1}
    await rx.run(epochs=2)
    eq(gps.parsed_sentences, 0, "nothing at the wrong baud rate")
    uart.peer.baudrate = None  # back at the UART's rate
    rx.rates = {"RMC": 1, "GGA": 1, "GSA": 1, "VTG": 1, "GSV": 1}
    await rx.run(epochs=2)
    await clock.sleep_ms(50)
    gps.deinit()
    if gps.parsed_sentences < 10:
        raise AssertionError("the reader did not recover: %d parsed" % gps.parsed_sentences)
    eq(gps._task, None, "stopped by deinit only")


ptest.main()
