# as_GPS parser: every kind of bad input is rejected (update returns None), counted where it
# says so, and leaves the last good fix, time and date exactly as they were.
import ptest
from ptest import eq, test

from as_GPS import AS_GPS, DM


def nmea(body, end="\r\n"):
    crc = 0
    for c in body.encode() if isinstance(body, str) else body:
        crc ^= c
    if isinstance(body, str):
        return "$%s*%02X%s" % (body, crc, end)
    return b"$" + body + b"*" + ("%02X" % crc).encode() + end.encode()


GOOD = [
    "GPRMC,123519.50,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W,A",
    "GPGGA,123519.50,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
    "GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1",
    "GPGSV,1,1,02,04,40,083,46,05,17,308,41",
]


def snapshot(gps):
    return (
        gps.latitude(DM),
        gps.longitude(DM),
        gps.speed(),
        gps.course,
        gps.altitude,
        gps.geoid_height,
        gps.magvar,
        gps.utc,
        gps.full_date,
        gps.epoch_time,
        gps.satellites_in_use,
        gps.satellites_used,
        gps.satellites_in_view,
        gps.hdop,
        gps.pdop,
        gps.vdop,
        dict(gps._sat_data),
    )


def counters(gps):
    return (gps.clean_sentences, gps.parsed_sentences, gps.unsupported_sentences, gps.crc_fails)


RMC = "GPRMC,130000.00,A,4807.038,N,01131.000,E,022.4,084.4,240394,003.1,W,A"

# (what, line, counter deltas (clean, parsed, unsupported, crc_fails))
CLEAN_BAD = (1, 0, 0, 0)  # checksum right, content malformed
BAD = [
    # Not a sentence at all: ignored, nothing counted
    ("empty line", "", (0, 0, 0, 0)),
    ("line end only", "\r\n", (0, 0, 0, 0)),
    ("dollar only", "$\r\n", (0, 0, 0, 0)),
    ("garbage bytes", b"\x8f\x00\xff\x13garbage\xfe\r\n", (0, 0, 0, 0)),
    ("no star", "$" + RMC + "\r\n", (0, 0, 0, 0)),
    ("truncated (cut mid-sentence)", "$" + RMC[:30] + "\r\n", (0, 0, 0, 0)),
    ("truncated checksum", nmea(RMC)[:-3] + "\r\n", (0, 0, 0, 0)),
    ("checksum missing after star", "$" + RMC + "*\r\n", (0, 0, 0, 0)),
    ("no dollar", nmea(RMC)[1:], (0, 0, 0, 0)),
    ("text after the checksum", nmea(RMC, "") + "xyz\r\n", (0, 0, 0, 0)),
    ("overlong (129 characters)", nmea(RMC + ",,,,,,,," + "0" * 52), (0, 0, 0, 0)),
    ("overlong garbage", "x" * 500 + "\r\n", (0, 0, 0, 0)),
    ("three checksum digits", nmea(RMC, "")[:-1] + "0A\r\n", (0, 0, 0, 0)),
    # Counted as checksum failures
    ("wrong checksum", nmea(RMC)[:-4] + "00\r\n", (0, 0, 0, 1)),
    ("non-hex checksum", nmea(RMC)[:-4] + "ZZ\r\n", (0, 0, 0, 1)),
    ("one bit flipped in a field", nmea(RMC).replace("4807", "4806"), (0, 0, 0, 1)),
    (
        "non-UTF-8 byte inside, checksum over it",
        nmea(RMC.encode().replace(b"A,4807", b"\xc3,4807")),
        (0, 0, 0, 1),
    ),
    ("NUL inside, checksum over it", nmea(RMC.encode().replace(b",A,", b",\x00,")), (0, 0, 0, 1)),
    ("non-ASCII str", nmea(RMC.replace("A,4807", "é,4807")), (0, 0, 0, 1)),
    ("tab inside", nmea(RMC.replace(",A,", ",\tA,")), (0, 0, 0, 1)),
    # Checksum right but the content malformed: clean, not parsed
    ("RMC empty latitude with status A", nmea(RMC.replace("4807.038", "")), CLEAN_BAD),
    ("RMC empty hemisphere", nmea(RMC.replace(",N,", ",,")), CLEAN_BAD),
    ("RMC hemisphere X", nmea(RMC.replace(",N,", ",X,")), CLEAN_BAD),
    ("RMC east/west swapped for N", nmea(RMC.replace(",E,", ",N,")), CLEAN_BAD),
    ("RMC latitude 91 degrees", nmea(RMC.replace("4807.038", "9107.038")), CLEAN_BAD),
    ("RMC latitude 90 degrees 1 minute", nmea(RMC.replace("4807.038", "9001.000")), CLEAN_BAD),
    ("RMC minutes 60", nmea(RMC.replace("4807.038", "4860.000")), CLEAN_BAD),
    ("RMC longitude 181 degrees", nmea(RMC.replace("01131.000", "18131.000")), CLEAN_BAD),
    ("RMC longitude of two digits", nmea(RMC.replace("01131.000", "1131.000")), CLEAN_BAD),
    ("RMC letters in latitude", nmea(RMC.replace("4807.038", "48O7.038")), CLEAN_BAD),
    ("RMC negative minutes", nmea(RMC.replace("4807.038", "48-7.038")), CLEAN_BAD),
    ("RMC nan minutes", nmea(RMC.replace("4807.038", "48nan")), CLEAN_BAD),
    ("RMC minutes with an exponent", nmea(RMC.replace("4807.038", "4807.0e-1")), CLEAN_BAD),
    ("RMC speed with a plus sign", nmea(RMC.replace("022.4", "+22.4")), CLEAN_BAD),
    ("RMC speed with a space", nmea(RMC.replace("022.4", " 22.4")), CLEAN_BAD),
    ("RMC speed with an exponent", nmea(RMC.replace("022.4", "2.2E1")), CLEAN_BAD),
    ("RMC speed inf", nmea(RMC.replace("022.4", "inf")), CLEAN_BAD),
    (
        "GGA satellites with an underscore",
        nmea("GPGGA,130000,4807.038,N,01131.000,E,1,0_8,0.9,545.4,M,46.9,M,,"),
        CLEAN_BAD,
    ),
    (
        "GGA satellites with a space",
        nmea("GPGGA,130000,4807.038,N,01131.000,E,1, 8,0.9,545.4,M,46.9,M,,"),
        CLEAN_BAD,
    ),
    ("RMC hour 24", nmea(RMC.replace("130000.00", "240000.00")), CLEAN_BAD),
    ("RMC minute 60", nmea(RMC.replace("130000.00", "136000.00")), CLEAN_BAD),
    ("RMC second 61", nmea(RMC.replace("130000.00", "130061.00")), CLEAN_BAD),
    ("RMC time of four digits", nmea(RMC.replace("130000.00", "1300")), CLEAN_BAD),
    ("RMC month 13", nmea(RMC.replace("240394", "241394")), CLEAN_BAD),
    ("RMC day 32", nmea(RMC.replace("240394", "320394")), CLEAN_BAD),
    ("RMC day 0", nmea(RMC.replace("240394", "000394")), CLEAN_BAD),
    ("RMC 29 February 2023", nmea(RMC.replace("240394", "290223")), CLEAN_BAD),
    ("RMC 31 April", nmea(RMC.replace("240394", "310494")), CLEAN_BAD),
    ("RMC date of five digits", nmea(RMC.replace("240394", "24039")), CLEAN_BAD),
    ("RMC status Z", nmea(RMC.replace(",A,4807", ",Z,4807")), CLEAN_BAD),
    ("RMC letters in speed", nmea(RMC.replace("022.4", "O22.4")), CLEAN_BAD),
    ("RMC negative speed", nmea(RMC.replace("022.4", "-22.4")), CLEAN_BAD),
    ("RMC course 400", nmea(RMC.replace("084.4", "400.0")), CLEAN_BAD),
    ("RMC magvar direction X", nmea(RMC.replace("003.1,W", "003.1,X")), CLEAN_BAD),
    ("RMC too few fields", nmea("GPRMC,130000.00,A,4807.038,N"), CLEAN_BAD),
    (
        "GGA quality x",
        nmea("GPGGA,130000,4807.038,N,01131.000,E,x,08,0.9,545.4,M,46.9,M,,"),
        CLEAN_BAD,
    ),
    (
        "GGA satellites -1",
        nmea("GPGGA,130000,4807.038,N,01131.000,E,1,-1,0.9,545.4,M,46.9,M,,"),
        CLEAN_BAD,
    ),
    (
        "GGA altitude text",
        nmea("GPGGA,130000,4807.038,N,01131.000,E,1,08,0.9,high,M,46.9,M,,"),
        CLEAN_BAD,
    ),
    ("GGA too few fields", nmea("GPGGA,130000,4807.038,N,01131.000,E,1"), CLEAN_BAD),
    ("GLL status Q", nmea("GPGLL,4807.038,N,01131.000,E,130000,Q,A"), CLEAN_BAD),
    ("GLL bad latitude", nmea("GPGLL,4807.0x8,N,01131.000,E,130000,A,A"), CLEAN_BAD),
    ("VTG course 361", nmea("GPVTG,361.0,T,,M,1.0,N,1.9,K,A"), CLEAN_BAD),
    ("VTG wrong field count", nmea("GPVTG,54.7,T,34.4"), CLEAN_BAD),
    ("GSA fix type 4", nmea("GPGSA,A,4,04,05,,,,,,,,,,,2.5,1.3,2.1"), CLEAN_BAD),
    ("GSA PRN text", nmea("GPGSA,A,3,04,xx,,,,,,,,,,,2.5,1.3,2.1"), CLEAN_BAD),
    ("GSA too few fields", nmea("GPGSA,A,3,04,05"), CLEAN_BAD),
    ("GSV index beyond count", nmea("GPGSV,1,2,02,04,40,083,46"), CLEAN_BAD),
    ("GSV elevation 91", nmea("GPGSV,1,1,01,04,91,083,46"), CLEAN_BAD),
    ("GSV azimuth 360", nmea("GPGSV,1,1,01,04,40,360,46"), CLEAN_BAD),
    ("GSV a satellite of 3 fields", nmea("GPGSV,1,1,01,04,40,083"), CLEAN_BAD),
    ("ZDA month 0", nmea("GPZDA,130000.00,24,00,1994,00,00"), CLEAN_BAD),
    ("ZDA year of two digits", nmea("GPZDA,130000.00,24,03,94,00,00"), CLEAN_BAD),
    ("ZDA 29 February 1900", nmea("GPZDA,130000.00,29,02,1900,00,00"), CLEAN_BAD),
    # Well formed but unsupported: counted, not parsed (the hook declines by default)
    ("unsupported TXT", nmea("GPTXT,01,01,02,ANTSTATUS=OK"), (1, 0, 1, 0)),
    ("proprietary PMTK", nmea("PMTK001,314,3"), (1, 0, 1, 0)),
    ("unknown address length", nmea("GPRMCX,1"), (1, 0, 1, 0)),
]


def good_gps():
    gps = AS_GPS(None)
    for body in GOOD:
        eq(gps.update(nmea(body)), body[2:5], body)
    return gps


@test
def every_bad_line_is_rejected_and_changes_nothing():
    for what, line, delta in BAD:
        gps = good_gps()
        before = snapshot(gps)
        c0 = counters(gps)
        eq(gps.update(line), None, what)
        eq(snapshot(gps), before, what + ": state")
        c1 = counters(gps)
        eq(tuple(c1[i] - c0[i] for i in range(4)), delta, what + ": counters")


@test
def fields_the_parser_does_not_read_may_hold_anything_printable():
    # The same on MicroPython and CPython: a station ID with a space and lower case, a
    # lower-case mode letter.
    gps = good_gps()
    body = "GPGGA,130000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,1.2,st 1a"
    eq(gps.update(nmea(body)), "GGA", "station ID")
    eq(gps.update(nmea(RMC[:-1] + "a")), "RMC", "mode a")


@test
def after_bad_lines_good_ones_still_parse():
    gps = good_gps()
    for _, line, _ in BAD:
        gps.update(line)
    eq(gps.update(nmea(RMC)), "RMC", "good after bad")
    eq(gps.full_date, (24, 3, 1994), "date")
    eq(gps.utc, (13, 0, 0.0), "time")


@test
def a_partial_sentence_before_a_good_one_is_dropped():
    # Power-up: the receiver's first line starts mid-sentence; or a lost newline glues two.
    gps = good_gps()
    eq(gps.update(b"\xff\x00.038,N,011" + nmea(RMC).encode()), "RMC", "garbage prefix")
    eq(gps.full_date, (24, 3, 1994), "date")
    gps = good_gps()
    glued = "$GPGGA,1235" + nmea(RMC)
    eq(gps.update(glued), "RMC", "glued")


@test
def no_fix_sentences_leave_position_unset_but_give_time():
    gps = AS_GPS(None)
    # Status V, quality 0, mode N: what a receiver sends before its first fix.
    for body, kind in (
        ("GPRMC,000012.00,V,,,,,,,060180,,,N", "RMC"),
        ("GPGGA,000012.00,,,,,0,00,99.99,,,,,,", "GGA"),
        ("GPGLL,,,,,000012.00,V,N", "GLL"),
        ("GPVTG,,,,,,,,,N", "VTG"),
        ("GPGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99", "GSA"),
        ("GPGSV,1,1,00", "GSV"),
        ("GPZDA,,,,,00,00", "ZDA"),
        ("GPRMC,,V,,,,,,,,,,N", "RMC"),
    ):
        eq(gps.update(nmea(body)), kind, body)
    eq(gps.latitude(DM), [0, 0.0, "N"], "latitude unset")
    eq(gps.time_since_fix(), -1, "no fix yet")
    eq(gps.utc, (0, 0, 12.0), "time from the no-fix RMC")
    eq(gps.full_date, (6, 1, 1980), "date from the no-fix RMC")
    eq(gps._valid, 32, "only GSV carried valid data")
    # A no-fix sentence after a fix leaves the fix.
    gps = good_gps()
    before = gps.latitude(DM)
    eq(gps.update(nmea("GPRMC,123520.00,V,,,,,,,230394,,,N")), "RMC", "V after fix")
    eq(gps.update(nmea("GPGGA,123520.00,,,,,0,00,99.99,,,,,,")), "GGA", "0 after fix")
    eq(gps.latitude(DM), before, "fix kept")
    eq(gps.utc, (12, 35, 20.0), "time moved on")


@test
def the_reader_rejects_what_update_rejects():
    # update() is what the task calls: a bad line returns None and never raises.
    gps = good_gps()
    for _, line, _ in BAD:
        gps.update(line)  # an exception here fails the test
    for junk in (None, 12, [], object()):
        eq(gps.update(junk), None, repr(junk))


ptest.main()
