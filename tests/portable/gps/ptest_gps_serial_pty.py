# runtimes: cpy-asyncio
# The as_GPS reader on CPython over a serial port: a pseudo-terminal pair stands in for the
# receiver's USB or RS-232 line; pyserial-asyncio's open_serial_connection opens its terminal
# end (as on a real /dev/ttyUSB0) and the receiver model writes NMEA into the other end at
# 9600 baud's pace. Needs the package's `serial` extra (pyserial-asyncio).
import asyncio
import os
import tty

import ptest
import serial_asyncio
from gps_support import GPSReceiver
from ptest import eq, test

import as_GPS
from as_GPS import AS_GPS


class PtyPort:
    """The receiver's side of the pseudo-terminal: what the model writes, the port reads."""

    def __init__(self, fd):
        self.fd = fd

    def write(self, data):
        while data:
            data = data[os.write(self.fd, data) :]


def pty_pair():
    master, slave = os.openpty()
    tty.setraw(slave)
    return master, slave, os.ttyname(slave)


@test
async def nmea_through_a_serial_port():
    master, slave, name = pty_pair()
    try:
        reader, writer = await serial_asyncio.open_serial_connection(url=name, baudrate=9600)
        gps = AS_GPS(reader, local_offset=-5)
        rx = GPSReceiver(
            PtyPort(master),
            baudrate=9600,
            date=(2025, 1, 1),
            time=(2, 0, 0),
            latitude=40.712808,
            longitude=-74.006083,
        )
        rx.update_ms = 500
        play = asyncio.create_task(rx.run(epochs=3))
        await gps.data_received(position=True, date=True, altitude=True)
        eq(gps.latitude(as_GPS.DM), [40, 42.7685, "N"], "latitude")
        eq(gps.longitude(as_GPS.DM), [74, 0.365, "W"], "longitude")
        eq(gps.full_date, (31, 12, 2024), "local date, UTC-5")
        eq(gps.local_time[:2], (21, 0), "local time")
        sats = await gps.get_satellite_data()
        eq(sorted(sats), [4, 5, 9, 12, 24], "satellites")
        await play
        eq(gps.crc_fails, 0, "no checksum failures")
        eq(gps.parsed_sentences, gps.clean_sentences, "all parsed")
        if gps.parsed_sentences < 12:
            raise AssertionError("too few sentences: %d" % gps.parsed_sentences)
        gps.deinit()
        writer.close()
    finally:
        os.close(master)
        os.close(slave)


ptest.main()
