# as_GPS parser: a table of real-world-shaped sentences from several receiver makes, every
# talker, both hemispheres and all four quadrants, each with the field values it must give.
# Checksums are computed here, so each case is exactly what a receiver would send.
import ptest
from ptest import eq, test

import as_GPS
from as_GPS import AS_GPS


def nmea(body, end="\r\n"):
    crc = 0
    for c in body.encode():
        crc ^= c
    return "$%s*%02X%s" % (body, crc, end)


def close(got, want, what, tol=1e-6):
    if abs(got - want) > tol:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))


# (maker, body, type returned, {field: expected value})
# Fields: lat/lon (degrees, minutes, hemisphere), kml (signed decimal degrees of lat, lon),
# utc (h, m, s), date (d, m, yyyy), knots, course, alt, geoid, magvar, in_use, hdop, pdop,
# vdop, used (PRN list), in_view, sats ({PRN: (elev, az, snr)}).
CASES = [
    # u-blox M8/M9, NMEA 4.10 (GN talker, nav status and signal ID fields)
    (
        "u-blox",
        "GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A,V",
        "RMC",
        {
            "lat": (47, 17.11437, "N"),
            "lon": (8, 33.91522, "E"),
            "utc": (8, 35, 59.0),
            "date": (9, 12, 2002),
            "knots": 0.004,
            "course": 77.52,
            "kml": (47.285239, 8.565254),
        },
    ),
    (
        "u-blox",
        "GNGGA,092725.00,4717.11399,N,00833.91590,E,1,08,1.01,499.6,M,48.0,M,,",
        "GGA",
        {
            "lat": (47, 17.11399, "N"),
            "lon": (8, 33.9159, "E"),
            "utc": (9, 27, 25.0),
            "alt": 499.6,
            "geoid": 48.0,
            "in_use": 8,
            "hdop": 1.01,
        },
    ),
    (
        "u-blox",
        "GNGLL,4717.11364,N,00833.91565,E,092321.00,A,A",
        "GLL",
        {"lat": (47, 17.11364, "N"), "lon": (8, 33.91565, "E"), "utc": (9, 23, 21.0)},
    ),
    ("u-blox", "GNVTG,77.52,T,,M,0.004,N,0.008,K,A", "VTG", {"course": 77.52, "knots": 0.004}),
    (
        "u-blox",
        "GNGSA,A,3,23,29,07,08,09,18,26,,,,,,1.94,1.18,1.54,1",
        "GSA",
        {"used": [23, 29, 7, 8, 9, 18, 26], "pdop": 1.94, "hdop": 1.18, "vdop": 1.54},
    ),
    (
        "u-blox",
        "GPGSV,1,1,04,23,38,230,44,29,71,156,47,07,29,116,41,08,09,081,,1",
        "GSV",
        {
            "in_view": 4,
            "sats": {23: (38, 230, 44), 29: (71, 156, 47), 7: (29, 116, 41), 8: (9, 81, None)},
        },
    ),
    (
        "u-blox",
        "GNZDA,082710.00,16,09,2002,00,00",
        "ZDA",
        {"utc": (8, 27, 10.0), "date": (16, 9, 2002)},
    ),
    # u-blox F9P RTK: high-precision GGA (7 decimals), quality 4, differential age, station
    (
        "u-blox F9P",
        "GNGGA,103215.00,5128.7719283,N,00000.7733451,W,4,12,0.52,38.113,M,45.521,M,1.0,0000",
        "GGA",
        {
            "lat": (51, 28.7719283, "N"),
            "lon": (0, 0.7733451, "W"),
            "alt": 38.113,
            "geoid": 45.521,
            "in_use": 12,
            "hdop": 0.52,
        },
    ),
    (
        "u-blox F9P",
        "GNRMC,103215.00,A,5128.7719283,N,00000.7733451,W,0.012,,281124,,,R,V",
        "RMC",
        {
            "utc": (10, 32, 15.0),
            "date": (28, 11, 2024),
            "knots": 0.012,
            "kml": (51.479532, -0.012889),
        },
    ),
    # MediaTek MT3339 (Adafruit Ultimate GPS, GP talker, milliseconds)
    (
        "MTK3339",
        "GPRMC,064951.000,A,2307.1256,N,12016.4438,E,0.03,165.48,260406,3.05,W,A",
        "RMC",
        {
            "lat": (23, 7.1256, "N"),
            "lon": (120, 16.4438, "E"),
            "utc": (6, 49, 51.0),
            "date": (26, 4, 2006),
            "knots": 0.03,
            "course": 165.48,
            "magvar": -3.05,
        },
    ),
    (
        "MTK3339",
        "GPGGA,064951.125,2307.1256,N,12016.4438,E,1,8,0.95,39.9,M,17.8,M,,",
        "GGA",
        {"utc": (6, 49, 51.125), "alt": 39.9, "geoid": 17.8, "in_use": 8, "hdop": 0.95},
    ),
    (
        "MTK3339",
        "GPGSA,A,3,29,21,26,15,18,09,06,10,,,,,2.32,0.95,2.11",
        "GSA",
        {"used": [29, 21, 26, 15, 18, 9, 6, 10], "pdop": 2.32, "hdop": 0.95, "vdop": 2.11},
    ),
    ("MTK3339", "GPVTG,165.48,T,,M,0.03,N,0.06,K,A", "VTG", {"course": 165.48, "knots": 0.03}),
    ("MTK3339", "GPGSV,3,1,12,29,36,029,42,21,46,314,43,26,44,020,43,15,21,321,39", "GSV", {}),
    # SiRF Star IV (GP, NMEA 2.2: RMC without mode, GGA with station 0000, west longitudes)
    (
        "SiRF",
        "GPGGA,002153.000,3342.6618,N,11751.3858,W,1,10,1.2,27.0,M,-34.2,M,,0000",
        "GGA",
        {
            "lat": (33, 42.6618, "N"),
            "lon": (117, 51.3858, "W"),
            "alt": 27.0,
            "geoid": -34.2,
            "in_use": 10,
            "hdop": 1.2,
            "kml": (33.71103, -117.85643),
        },
    ),
    (
        "SiRF",
        "GPRMC,161229.487,A,3723.2475,N,12158.3416,W,0.13,309.62,120598,,",
        "RMC",
        {
            "utc": (16, 12, 29.487),
            "date": (12, 5, 1998),
            "knots": 0.13,
            "course": 309.62,
            "lat": (37, 23.2475, "N"),
            "lon": (121, 58.3416, "W"),
        },
    ),
    (
        "SiRF",
        "GPGLL,3723.2475,N,12158.3416,W,161229.487,A,A",
        "GLL",
        {"lat": (37, 23.2475, "N"), "lon": (121, 58.3416, "W")},
    ),
    # Garmin (NMEA 2.0: no mode fields; magnetic variation east)
    (
        "Garmin",
        "GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E",
        "RMC",
        {
            "lat": (49, 16.45, "N"),
            "lon": (123, 11.12, "W"),
            "utc": (22, 54, 46.0),
            "date": (19, 11, 1994),
            "knots": 0.5,
            "course": 54.7,
            "magvar": 20.3,
        },
    ),
    (
        "Garmin",
        "GPGLL,4916.45,N,12311.12,W,225444,A",
        "GLL",
        {"lat": (49, 16.45, "N"), "utc": (22, 54, 44.0)},
    ),
    ("Garmin", "GPVTG,054.7,T,034.4,M,005.5,N,010.2,K", "VTG", {"course": 54.7, "knots": 5.5}),
    ("NMEA 1.5", "GPVTG,054.7,034.4,005.5,010.2", "VTG", {"course": 54.7, "knots": 5.5}),
    ("NMEA 1.5", "GPGLL,4916.45,N,12311.12,W", "GLL", {"lat": (49, 16.45, "N")}),
    # Quectel L76 / L86 multi-GNSS: one GSV set per constellation
    (
        "Quectel",
        "GLGSV,1,1,04,67,41,036,28,68,77,275,31,69,28,250,24,77,18,039,25",
        "GSV",
        {
            "in_view": 4,
            "sats": {67: (41, 36, 28), 68: (77, 275, 31), 69: (28, 250, 24), 77: (18, 39, 25)},
        },
    ),
    (
        "Quectel",
        "GAGSV,1,1,03,302,34,107,30,307,61,179,35,330,22,051,,7",
        "GSV",
        {"in_view": 3, "sats": {302: (34, 107, 30), 307: (61, 179, 35), 330: (22, 51, None)}},
    ),
    (
        "Quectel",
        "GBGSV,1,1,02,206,50,271,33,209,33,225,31",
        "GSV",
        {"in_view": 2, "sats": {206: (50, 271, 33), 209: (33, 225, 31)}},
    ),
    (
        "Quectel",
        "GNGSA,A,3,67,68,69,77,,,,,,,,,1.80,1.02,1.48,2",
        "GSA",
        {"used": [67, 68, 69, 77], "pdop": 1.8},
    ),
    # BeiDou and QZSS talkers of older firmware; NavIC
    (
        "CASIC",
        "BDGSV,1,1,02,01,45,142,38,03,52,199,40",
        "GSV",
        {"in_view": 2, "sats": {1: (45, 142, 38), 3: (52, 199, 40)}},
    ),
    (
        "CASIC",
        "BDGGA,040512.000,3958.3611,N,11624.3512,E,1,07,1.5,52.3,M,-8.1,M,,",
        "GGA",
        {"lat": (39, 58.3611, "N"), "lon": (116, 24.3512, "E"), "geoid": -8.1},
    ),
    ("QZSS", "QZGSV,1,1,01,193,71,178,44", "GSV", {"in_view": 1, "sats": {193: (71, 178, 44)}}),
    ("QZSS", "GQGSV,1,1,01,194,30,201,39,1", "GSV", {"in_view": 1, "sats": {194: (30, 201, 39)}}),
    ("NavIC", "GIGSV,1,1,01,01,36,115,40", "GSV", {"in_view": 1, "sats": {1: (36, 115, 40)}}),
    # The four quadrants, each through RMC, GGA and GLL
    (
        "quadrant NE (Tokyo)",
        "GPRMC,030000.00,A,3541.3683,N,13945.4322,E,0.0,,010121,,,A",
        "RMC",
        {"kml": (35.689472, 139.757203), "date": (1, 1, 2021)},
    ),
    (
        "quadrant NW (New York)",
        "GPGGA,170000.00,4042.7685,N,07400.3650,W,2,09,0.9,10.1,M,-32.8,M,3.0,0123",
        "GGA",
        {"kml": (40.712808, -74.006083), "alt": 10.1},
    ),
    (
        "quadrant SE (Sydney)",
        "GPGLL,3351.5135,S,15112.5574,E,020000.00,A,D",
        "GLL",
        {"kml": (-33.858558, 151.209290), "lat": (33, 51.5135, "S"), "lon": (151, 12.5574, "E")},
    ),
    (
        "quadrant SW (Buenos Aires)",
        "GNRMC,150000.00,A,3436.4567,S,05822.9012,W,1.5,270.0,150624,,,D",
        "RMC",
        {"kml": (-34.607612, -58.381687), "lat": (34, 36.4567, "S"), "course": 270.0},
    ),
    (
        "equator, prime meridian",
        "GPGGA,120000,0000.0000,N,00000.0000,E,1,04,2.0,0.0,M,0.0,M,,",
        "GGA",
        {"kml": (0.0, 0.0)},
    ),
    (
        "pole, antimeridian",
        "GPGLL,9000.0000,S,18000.0000,W,120000,A,A",
        "GLL",
        {"kml": (-90.0, -180.0)},
    ),
    # Lower-case checksum digits are accepted
    (
        "lower-case checksum",
        "lower:GPGLL,5107.0013,N,11402.3294,W,205412.00,A,A",
        "GLL",
        {"lat": (51, 7.0013, "N")},
    ),
]

TALKERS = ("GP", "GL", "GA", "GB", "BD", "GN", "GQ", "QZ", "GI")


def check_fields(gps, want, what):
    for key, value in want.items():
        w = what + " " + key
        if key == "lat":
            got = gps.latitude(as_GPS.DM)
            eq(got[0], value[0], w)
            close(got[1], value[1], w)
            eq(got[2], value[2], w)
        elif key == "lon":
            got = gps.longitude(as_GPS.DM)
            eq(got[0], value[0], w)
            close(got[1], value[1], w)
            eq(got[2], value[2], w)
        elif key == "kml":
            close(gps.latitude(as_GPS.KML), value[0], w, 1e-6)
            close(gps.longitude(as_GPS.KML), value[1], w, 1e-6)
        elif key == "utc":
            got = gps.utc
            eq(got[:2], value[:2], w)
            close(got[2], value[2], w)
        elif key == "date":
            eq(gps.full_date, value, w)
        elif key == "knots":
            close(gps.speed(as_GPS.KNOT), value, w)
        elif key == "used":
            eq(gps.satellites_used, value, w)
        elif key == "in_use":
            eq(gps.satellites_in_use, value, w)
        elif key == "in_view":
            eq(gps.satellites_in_view, value, w)
        elif key == "sats":
            eq(gps._sat_data, value, w)
        else:
            attr = {
                "course": "course",
                "alt": "altitude",
                "geoid": "geoid_height",
                "magvar": "magvar",
                "hdop": "hdop",
                "pdop": "pdop",
                "vdop": "vdop",
            }[key]
            close(getattr(gps, attr), value, w)


@test
def table_of_receiver_sentences():
    for maker, body, kind, want in CASES:
        gps = AS_GPS(None)
        line = nmea(body.replace("lower:", ""))
        if body.startswith("lower:"):
            line = line[:-4] + line[-4:-2].lower() + "\r\n"
        what = "%s %s" % (maker, body[:12])
        eq(gps.update(line), kind, what)
        check_fields(gps, want, what)
        eq((gps.clean_sentences, gps.parsed_sentences, gps.crc_fails), (1, 1, 0), what)


@test
def the_same_sentence_as_bytes_str_bytearray_and_with_any_line_end():
    body = CASES[0][1]
    for end in ("\r\n", "\n", "", "\r", " \r\n"):
        for form in (str, bytes, bytearray):
            gps = AS_GPS(None)
            line = nmea(body, end)
            line = line if form is str else form(line.encode())
            eq(gps.update(line), "RMC", "%r %r" % (form, end))
            check_fields(gps, CASES[0][3], "forms")


@test
def every_talker_for_every_sentence_type():
    bodies = {
        "RMC": "%sRMC,120000.00,A,4807.038,N,01131.000,E,1.0,90.0,010203,,,A",
        "GGA": "%sGGA,120000.00,4807.038,N,01131.000,E,1,05,1.5,500.0,M,47.0,M,,",
        "GLL": "%sGLL,4807.038,N,01131.000,E,120000.00,A,A",
        "VTG": "%sVTG,90.0,T,,M,1.0,N,1.9,K,A",
        "GSA": "%sGSA,A,3,01,02,03,,,,,,,,,,2.0,1.5,1.3",
        "GSV": "%sGSV,1,1,01,10,45,120,40",
        "ZDA": "%sZDA,120000.00,01,02,2003,00,00",
    }
    for talker in TALKERS:
        gps = AS_GPS(None)
        for kind, body in bodies.items():
            eq(gps.update(nmea(body % talker)), kind, talker + kind)
        eq(gps.parsed_sentences, len(bodies), talker)
        close(gps.latitude()[0], 48.1173, talker)
        eq(gps.full_date, (1, 2, 2003), talker)
        eq(gps.satellites_used, [1, 2, 3], talker)


@test
def gsv_sets_from_several_constellations_merge():
    gps = AS_GPS(None)
    for body in (
        "GPGSV,2,1,05,01,40,083,46,02,17,308,41,12,07,344,39,14,22,228,45",
        "GPGSV,2,2,05,15,40,083,",
        "GLGSV,1,1,02,65,10,010,20,66,20,020,",
        "GAGSV,1,1,01,301,30,030,30,7",
    ):
        eq(gps.update(nmea(body)), "GSV", body)
    eq(gps.satellites_in_view, 8, "in view, all constellations")
    eq(sorted(gps._sat_data), [1, 2, 12, 14, 15, 65, 66, 301], "PRNs")
    eq(gps._sat_data[15], (40, 83, None), "SNR left empty")
    # A new GPS set replaces only the GPS satellites.
    gps.update(nmea("GPGSV,1,1,01,05,50,050,50"))
    eq(sorted(gps._sat_data), [5, 65, 66, 301], "PRNs after a new GPS set")
    eq(gps.satellites_in_view, 4, "in view after a new GPS set")
    # A set whose first sentence was missed is not merged.
    eq(gps.update(nmea("GLGSV,2,2,05,70,10,100,10")), "GSV", "lone second sentence")
    eq(sorted(gps._sat_data), [5, 65, 66, 301], "nothing merged from a partial set")


@test
def gsa_of_each_system_combine_in_satellites_used():
    gps = AS_GPS(None)
    gps.update(nmea("GNGSA,A,3,05,12,,,,,,,,,,,1.5,0.9,1.2,1"))
    gps.update(nmea("GNGSA,A,3,67,68,,,,,,,,,,,1.5,0.9,1.2,2"))
    eq(gps.satellites_used, [5, 12, 67, 68], "GPS then GLONASS")
    gps.update(nmea("GNGSA,A,3,05,13,,,,,,,,,,,1.5,0.9,1.2,1"))
    eq(gps.satellites_used, [5, 13, 67, 68], "GPS replaced")


@test
def sentences_up_to_128_characters():
    # A 120-character high-precision GGA, a 128-character one, and one character over.
    base = (
        "GNGGA,103215.000,5128.77192831,N,00000.77334512,W,4,12,0.52,38.1134,M,45.5210,M,1.0,0000"
    )
    for length, kind in ((120, "GGA"), (128, "GGA"), (129, None)):
        pad = length - len(nmea(base, ""))
        body = base.replace("5128.77192831", "5128.77192831" + "0" * pad)
        line = nmea(body)
        eq(len(line) - 2, length, "length")
        gps = AS_GPS(None)
        eq(gps.update(line), kind, "length %d" % length)
        if kind:
            close(gps.latitude(as_GPS.DM)[1], 28.77192831, "minutes")


ptest.main()
