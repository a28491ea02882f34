# as_GPS data API (the original collection's names and shapes), callbacks by sentence mask,
# counters, subclass hooks, and the coroutines data_received() and get_satellite_data().
import asyncio

import ptest
from ptest import eq, test

import as_GPS
from as_GPS import AS_GPS


def nmea(body):
    crc = 0
    for c in body.encode():
        crc ^= c
    return "$%s*%02X\r\n" % (body, crc)


RMC = nmea("GPRMC,123519,A,4807.038,N,01131.000,W,022.4,084.4,230394,003.1,W")
GGA = nmea("GPGGA,123519,3351.5135,S,15112.5574,E,1,08,0.9,545.4,M,46.9,M,,")
GLL = nmea("GPGLL,4916.45,N,12311.12,W,225444,A")
VTG = nmea("GPVTG,054.7,T,034.4,M,005.5,N,010.2,K")
GSA = nmea("GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1")
GSV1 = nmea("GPGSV,2,1,05,01,40,083,46,02,17,308,41,12,07,344,39,14,22,228,45")
GSV2 = nmea("GPGSV,2,2,05,15,40,083,")
ZDA = nmea("GPZDA,201530.00,04,07,2002,00,00")


def close(got, want, what, tol=1e-6):
    if abs(got - want) > tol:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


@test
def constants_keep_the_original_values():
    eq((as_GPS.DD, as_GPS.DMS, as_GPS.DM, as_GPS.KML), (1, 2, 3, 4), "angle formats")
    eq((as_GPS.KPH, as_GPS.MPH, as_GPS.KNOT), (10, 11, 12), "speed units")
    eq((as_GPS.MDY, as_GPS.DMY, as_GPS.LONG), (20, 21, 22), "date formats")
    bits = (as_GPS.RMC, as_GPS.GLL, as_GPS.VTG, as_GPS.GGA, as_GPS.GSA, as_GPS.GSV, as_GPS.ZDA)
    eq(bits, (1, 2, 4, 8, 16, 32, 64), "sentence bits")
    eq(as_GPS.POSITION, as_GPS.RMC | as_GPS.GLL | as_GPS.GGA, "POSITION")
    eq(as_GPS.COURSE, as_GPS.RMC | as_GPS.VTG, "COURSE")


@test
def coordinates_in_every_format():
    gps = AS_GPS(None)
    gps.update(RMC)  # 48 07.038 N, 011 31.000 W
    lat = gps.latitude()
    close(lat[0], 48.1173, "DD")
    eq(lat[1], "N", "DD hemisphere")
    eq(gps.latitude(as_GPS.DMS), [48, 7, 2, "N"], "DMS")
    eq(gps.latitude(as_GPS.DM), [48, 7.038, "N"], "DM")
    close(gps.latitude(as_GPS.KML), 48.1173, "KML")
    close(gps.longitude(as_GPS.KML), -11.516667, "KML west", 1e-6)
    eq(gps.longitude(as_GPS.DMS), [11, 31, 0, "W"], "DMS lon")
    eq(gps.latitude_string(), "48° 7.0380' N", "DM string")
    eq(gps.latitude_string(as_GPS.DD), "48.117300° N", "DD string")
    eq(gps.latitude_string(as_GPS.DMS), "48° 7' 2\" N", "DMS string")
    eq(gps.longitude_string(as_GPS.KML), "-11.516667", "KML string")
    eq(gps.longitude_string(), "11° 31.0000' W", "lon DM string")
    gps.update(GGA)  # southern, eastern
    close(gps.latitude(as_GPS.KML), -33.858558, "KML south")
    eq(gps.latitude_string(as_GPS.KML), "-33.858558", "KML south string")
    eq(gps.longitude(as_GPS.DM), [151, 12.5574, "E"], "DM east")
    ptest.raises(ValueError, gps.latitude, 99)
    ptest.raises(ValueError, gps.longitude, 99)
    # DM returns a copy: changing it changes nothing in the driver.
    gps.latitude(as_GPS.DM)[0] = 0
    eq(gps.latitude(as_GPS.DM)[0], 33, "copy")


@test
def speed_course_and_compass():
    gps = AS_GPS(None)
    gps.update(RMC)
    close(gps.speed(), 22.4, "knots default")
    close(gps.speed(as_GPS.KPH), 41.4848, "km/h")
    close(gps.speed(as_GPS.MPH), 25.7774, "mph", 1e-3)
    eq(gps.speed_string(), "41.48 km/h", "default km/h")
    eq(gps.speed_string(as_GPS.KNOT), "22.40 knots", "knots")
    eq(gps.speed_string(as_GPS.MPH), "25.78 mph", "mph")
    ptest.raises(ValueError, gps.speed, 99)
    close(gps.course, 84.4, "course")
    close(gps.magvar, -3.1, "magvar west negative")
    points = []
    for course in (
        0,
        11.24,
        11.25,
        22.5,
        45,
        90,
        135,
        180,
        191.25,
        270,
        337.5,
        348.74,
        348.75,
        359.99,
        360,
    ):
        gps.course = course
        points.append(gps.compass_direction())
    eq(
        points,
        ["N", "N", "NNE", "NNE", "NE", "E", "SE", "S", "SSW", "W", "NNW", "NNW", "N", "N", "N"],
        "compass",
    )


@test
def satellites_dops_altitude():
    gps = AS_GPS(None)
    for line in (GGA, GSA, GSV1, GSV2):
        gps.update(line)
    eq(gps.satellites_in_use, 8, "in use")
    eq(gps.satellites_used, [4, 5, 9, 12, 24], "used")
    eq(gps.satellites_in_view, 5, "in view")
    eq((gps.pdop, gps.hdop, gps.vdop), (2.5, 1.3, 2.1), "dops")
    eq((gps.altitude, gps.geoid_height), (545.4, 46.9), "altitude, geoid")


@test
def counters():
    gps = AS_GPS(None)
    for line in (RMC, GGA, nmea("GPTXT,01,01,02,hi"), RMC[:-4] + "00\r\n", "junk"):
        gps.update(line)
    eq(
        (gps.clean_sentences, gps.parsed_sentences, gps.unsupported_sentences, gps.crc_fails),
        (3, 2, 1, 1),
        "clean, parsed, unsupported, crc",
    )


@test
def callbacks_run_for_the_masked_sentences_with_valid_data():
    seen = []
    gps = AS_GPS(
        None,
        fix_cb=lambda g, bit, *a: seen.append((g is gps, bit) + a),
        cb_mask=as_GPS.RMC | as_GPS.GLL | as_GPS.GSV | as_GPS.ZDA,
        fix_cb_args=("x", 1),
    )
    for line in (RMC, GGA, GLL, VTG, GSA, GSV1, ZDA, nmea("GPRMC,000012.00,V,,,,,,,060180,,,N")):
        gps.update(line)
    eq(
        seen,
        [(True, 1, "x", 1), (True, 2, "x", 1), (True, 32, "x", 1), (True, 64, "x", 1)],
        "callbacks",
    )
    # The default mask is RMC only.
    seen = []
    gps = AS_GPS(None, fix_cb=lambda g, bit: seen.append(bit))
    for line in (GGA, RMC, GLL):
        gps.update(line)
    eq(seen, [1], "default mask")


@test
def a_subclass_handles_other_sentences():
    class MyGPS(AS_GPS):
        def parse(self, segs):
            self.got = segs
            return segs[0] == "GPTXT"

        def reparse(self, segs):
            self.re = segs
            return segs[0] != "GPVTG"  # reject VTG

    gps = MyGPS(None)
    eq(gps.update(nmea("GPTXT,01,01,02,ANTENNA OK")), "TXT", "handled")
    eq(gps.got, ["GPTXT", "01", "01", "02", "ANTENNA OK"], "segs")
    eq(gps.update(nmea("PMTK001,604,3")), None, "declined")
    eq(gps.got, ["PMTK001", "604", "3"], "proprietary segs")
    eq(gps.update(RMC), "RMC", "supported")
    eq(gps.re[:3], ["GPRMC", "123519", "A"], "reparse segs")
    eq(gps.update(VTG), None, "reparse rejected")
    eq((gps.parsed_sentences, gps.unsupported_sentences), (2, 2), "counters")


@test
def time_since_fix():
    gps = AS_GPS(None)
    eq(gps.time_since_fix(), -1, "none yet")
    gps.update(GGA)
    t = gps.time_since_fix()
    if not (0 <= t < 1000):
        raise AssertionError(t)


async def feed(gps, lines, gap=0.01):
    for line in lines:
        await asyncio.sleep(gap)
        gps.update(line)


@test
async def data_received_waits_for_each_kind():
    gps = AS_GPS(None)
    gps.update(RMC)  # before the call: does not count
    order = []

    async def waiter(name, **kw):
        await gps.data_received(**kw)
        order.append(name)

    tasks = [
        asyncio.create_task(waiter("position", position=True)),
        asyncio.create_task(waiter("altitude", altitude=True)),
        asyncio.create_task(waiter("course+date", course=True, date=True)),
    ]
    await asyncio.sleep(0)
    # A course without a position does not satisfy course=True (receivers send VTG early).
    await feed(gps, [VTG, ZDA, GLL, GGA])
    await asyncio.sleep(0.01)
    eq(order, ["position", "course+date", "altitude"], "order")
    for t in tasks:
        eq(t.done(), True, "done")


@test
async def get_satellite_data_waits_for_a_complete_set():
    gps = AS_GPS(None)
    gps.update(GSV1)
    gps.update(GSV2)  # a set complete before the call: not the one returned
    task = asyncio.create_task(gps.get_satellite_data())
    await feed(gps, [GSV2, GSV1, RMC])
    eq(task.done(), False, "waiting for the end of the set")
    await feed(gps, [GSV2])
    await asyncio.sleep(0.01)
    sats = task.result() if hasattr(task, "result") else await task
    eq(sorted(sats), [1, 2, 12, 14, 15], "PRNs")
    eq(sats[1], (40, 83, 46), "PRN 1")
    eq(sats[15], (40, 83, None), "PRN 15")


@test
async def a_failing_callback_does_not_stop_update_callers():
    def bad(gps, bit):
        raise RuntimeError("callback")

    gps = AS_GPS(None, fix_cb=bad)
    ptest.raises(RuntimeError, gps.update, RMC)  # test mode: the caller sees it
    eq(gps.parsed_sentences, 1, "the sentence was parsed first")


class FlakyReader:
    """A StreamReader whose readline() gives `lines` in turn: an exception instance is
    raised instead, b"" ends the stream."""

    def __init__(self, lines):
        self.lines = list(lines)

    async def readline(self):
        await asyncio.sleep(0)
        item = self.lines.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


@test
async def the_reader_survives_a_failing_stream_and_stops_at_its_end():
    reader = FlakyReader(
        [RMC.encode(), OSError(5, "line broken"), GGA.encode(), b"\xff\r\n", VTG.encode(), b""]
    )
    gps = AS_GPS(reader)
    for _ in range(100):
        await asyncio.sleep(0.01)
        if gps._task.done():
            break
    eq(gps._task.done(), True, "ended at the end of the stream")
    eq(gps.parsed_sentences, 3, "RMC, GGA and VTG, around the failure")
    eq(reader.lines, [], "read to the end")


ptest.main()
