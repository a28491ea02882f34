"""Parse throughput of as_GPS against pynmea2 on CPython, on the same sentences, as a ratio.

    python benchmarks/gps/run.py [rounds]

Both parsers get the same lines as bytes, as a serial port or socket delivers them: 26
sentences from four receiver makes (MTK, u-blox NMEA 4.1, SiRF, Garmin), of every type
as_GPS supports (RMC, GGA, GLL, VTG, GSA, GSV, ZDA), checksums verified by both. pynmea2
needs str, so its side decodes each line, and it computes values only when they are read, so
its side reads the values as_GPS stores for each sentence type (latitude and longitude in
degrees, time, date, speed, course, altitude, satellites, DOPs, satellite data). Rounds of
each alternate, and each side's best round counts: other processes only ever slow a round.
Prints microseconds per sentence for each and the ratio (above 1.00: as_GPS is faster), then
pynmea2's figure when no value is read at all (its parse() only splits and checks the line).
Nothing is asserted: timings depend on the machine.
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "drivers", "gps"))

import pynmea2  # noqa: E402

from as_GPS import AS_GPS  # noqa: E402

BODIES = [
    # MediaTek MT3339
    "GPRMC,064951.000,A,2307.1256,N,12016.4438,E,0.03,165.48,260406,3.05,W,A",
    "GPVTG,165.48,T,,M,0.03,N,0.06,K,A",
    "GPGGA,064951.000,2307.1256,N,12016.4438,E,1,8,0.95,39.9,M,17.8,M,,",
    "GPGSA,A,3,29,21,26,15,18,09,06,10,,,,,2.32,0.95,2.11",
    "GPGSV,3,1,09,29,36,029,42,21,46,314,43,26,44,020,43,15,21,321,39",
    "GPGSV,3,2,09,18,26,314,40,09,57,170,44,06,20,229,37,10,26,084,37",
    "GPGSV,3,3,09,07,,,26",
    # u-blox M8, NMEA 4.10
    "GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A,V",
    "GNVTG,77.52,T,,M,0.004,N,0.008,K,A",
    "GNGGA,092725.00,4717.11399,N,00833.91590,E,1,08,1.01,499.6,M,48.0,M,,",
    "GNGSA,A,3,23,29,07,08,09,18,26,,,,,,1.94,1.18,1.54,1",
    "GNGSA,A,3,67,68,69,,,,,,,,,,1.94,1.18,1.54,2",
    "GPGSV,2,1,07,23,38,230,44,29,71,156,47,07,29,116,41,08,09,081,36,1",
    "GPGSV,2,2,07,09,47,283,45,18,36,058,40,26,13,311,33,1",
    "GLGSV,1,1,03,67,41,036,28,68,77,275,31,69,28,250,24,1",
    "GNGLL,4717.11364,N,00833.91565,E,092321.00,A,A",
    "GNZDA,082710.00,16,09,2002,00,00",
    # SiRF Star IV
    "GPGGA,002153.000,3342.6618,N,11751.3858,W,1,10,1.2,27.0,M,-34.2,M,,0000",
    "GPGSA,A,3,07,02,26,27,09,04,15,,,,,,1.8,1.0,1.5",
    "GPRMC,161229.487,A,3723.2475,N,12158.3416,W,0.13,309.62,120598,,",
    "GPGLL,3723.2475,N,12158.3416,W,161229.487,A,A",
    "GPVTG,309.62,T,,M,0.13,N,0.2,K,A",
    # Garmin
    "GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E",
    "GPGLL,4916.45,N,12311.12,W,225444,A",
    "GPVTG,054.7,T,034.4,M,005.5,N,010.2,K",
    "GPGGA,225446,4916.45,N,12311.12,W,1,05,1.5,280.2,M,-18.3,M,,",
]


def nmea(body):
    crc = 0
    for c in body.encode():
        crc ^= c
    return ("$%s*%02X\r\n" % (body, crc)).encode()


LINES = [nmea(b) for b in BODIES]


def ours(lines):
    gps = AS_GPS(None)
    update = gps.update
    for line in lines:
        if update(line) is None:
            raise RuntimeError("as_GPS rejected %r" % line)


def _read_values(m, kind):
    # What as_GPS computes and stores for each sentence type.
    if kind == "RMC":
        return (
            m.latitude,
            m.longitude,
            m.timestamp,
            m.datestamp,
            m.spd_over_grnd,
            m.true_course,
            m.mag_variation,
        )
    if kind == "GGA":
        return (
            m.latitude,
            m.longitude,
            m.timestamp,
            m.gps_qual,
            m.num_sats,
            float(m.horizontal_dil),
            float(m.altitude),
            float(m.geo_sep),
        )
    if kind == "GLL":
        return m.latitude, m.longitude, m.timestamp, m.status
    if kind == "VTG":
        return m.true_track, m.spd_over_grnd_kts
    if kind == "GSA":
        return [int(getattr(m, "sv_id%02d" % i) or 0) for i in range(1, 13)], (
            float(m.pdop),
            float(m.hdop),
            float(m.vdop),
        )
    if kind == "GSV":
        return [
            (
                getattr(m, "sv_prn_num_%d" % i, None),
                getattr(m, "elevation_deg_%d" % i, None),
                getattr(m, "azimuth_%d" % i, None),
                getattr(m, "snr_%d" % i, None),
            )
            for i in range(1, 5)
        ]
    return m.timestamp, m.day, m.month, m.year


def reference(lines):
    for line in lines:
        m = pynmea2.parse(line.decode(), check=True)
        _read_values(m, m.sentence_type)


def reference_parse_only(lines):
    for line in lines:
        pynmea2.parse(line.decode(), check=True)


def best(fn, lines, rounds):
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn(lines)
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv):
    rounds = int(argv[0]) if argv else 15
    lines = LINES * 40  # about 1000 sentences a round
    ours(lines)  # warm up, and check that every sentence parses
    reference(lines)
    t_ours = t_ref = t_split = None
    for _ in range(rounds):  # alternate, so that all see the same machine load
        a = best(ours, lines, 1)
        b = best(reference, lines, 1)
        c = best(reference_parse_only, lines, 1)
        t_ours = a if t_ours is None else min(t_ours, a)
        t_ref = b if t_ref is None else min(t_ref, b)
        t_split = c if t_split is None else min(t_split, c)
    n = len(lines)
    print(
        "CPython %s, %d sentences a round, best of %d rounds" % (sys.version.split()[0], n, rounds)
    )
    print("as_GPS   %6.2f us/sentence" % (t_ours / n * 1e6))
    print("pynmea2  %6.2f us/sentence (pynmea2 %s)" % (t_ref / n * 1e6, pynmea2.version))
    print("ratio    %6.2f  (as_GPS throughput / pynmea2 throughput)" % (t_ref / t_ours))
    print(
        "pynmea2 without reading any value: %.2f us/sentence, ratio %.2f"
        % (t_split / n * 1e6, t_split / t_ours)
    )


if __name__ == "__main__":
    main(sys.argv[1:])
