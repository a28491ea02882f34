# as_GPS time and date: local offsets (negative, fractional) across day, month and year ends,
# leap years, two-digit years, ZDA's four-digit year, midnight seen through time-only
# sentences, epoch_time against the port's own calendar.
import time

import ptest
from ptest import eq, test

import as_GPS
from as_GPS import AS_GPS


def nmea(body):
    crc = 0
    for c in body.encode():
        crc ^= c
    return "$%s*%02X\r\n" % (body, crc)


def rmc(hhmmss, ddmmyy):
    return nmea("GPRMC,%s,A,4807.038,N,01131.000,E,0.0,0.0,%s,,,A" % (hhmmss, ddmmyy))


def zda(hhmmss, d, m, y):
    return nmea("GPZDA,%s,%02d,%02d,%04d,00,00" % (hhmmss, d, m, y))


# (UTC time, UTC date ddmmyy, offset hours, local (h, m, s), local (d, m, yyyy))
OFFSETS = [
    ("120000.00", "150624", 0, (12, 0, 0.0), (15, 6, 2024)),
    ("233000.00", "311224", 1, (0, 30, 0.0), (1, 1, 2025)),  # into a new year
    ("003000.00", "010125", -1, (23, 30, 0.0), (31, 12, 2024)),  # back into the old year
    ("200000.00", "280224", 5.5, (1, 30, 0.0), (29, 2, 2024)),  # leap day, India
    ("200000.00", "280223", 5.5, (1, 30, 0.0), (1, 3, 2023)),  # no leap day in 2023
    ("200000.00", "290224", 5.75, (1, 45, 0.0), (1, 3, 2024)),  # Nepal
    ("014500.25", "010324", -3.5, (22, 15, 0.25), (29, 2, 2024)),  # Newfoundland
    ("014500.00", "010323", -3.5, (22, 15, 0.0), (28, 2, 2023)),
    ("100000.00", "300424", 14, (0, 0, 0.0), (1, 5, 2024)),  # Kiribati, month end
    ("110000.00", "010524", -12, (23, 0, 0.0), (30, 4, 2024)),  # Baker Island
    ("000000.00", "010100", -0.5, (23, 30, 0.0), (31, 12, 1999)),  # back across centuries
    ("235959.99", "311299", 0, (23, 59, 59.99), (31, 12, 1999)),
    ("120000.00", "290200", 12, (0, 0, 0.0), (1, 3, 2000)),  # 2000 is a leap year
    ("130000.00", "311279", 11, (0, 0, 0.0), (1, 1, 2080)),  # two-digit 79 is 2079
    ("130000.00", "010180", 0, (13, 0, 0.0), (1, 1, 1980)),  # and 80 is 1980
]


@test
def local_time_and_date_with_offsets():
    for t, d, offset, local, date in OFFSETS:
        what = "%s %s %+g" % (t, d, offset)
        gps = AS_GPS(None, local_offset=offset)
        eq(gps.update(rmc(t, d)), "RMC", what)
        eq(gps.local_time, local, what + " local time")
        eq(gps.full_date, date, what + " local date")
        eq(gps.date, (date[0], date[1], date[2] % 100), what + " two-digit date")


@test
def the_offset_can_change_at_any_time():
    gps = AS_GPS(None)
    gps.update(rmc("233000", "311224"))
    eq(gps.full_date, (31, 12, 2024), "UTC")
    gps.local_offset = 1
    eq(gps.full_date, (1, 1, 2025), "UTC+1")
    eq(gps.utc, (23, 30, 0.0), "utc unchanged")
    eq(gps.time_string(), "00:30:00", "local string")
    eq(gps.time_string(local=False), "23:30:00", "UTC string")


@test
def zda_gives_the_four_digit_year():
    gps = AS_GPS(None, local_offset=-8)
    eq(gps.update(zda("050000.50", 1, 1, 2101)), "ZDA", "2101")
    eq(gps.full_date, (31, 12, 2100), "local date in 2100 (not a leap year)")
    eq(gps.utc, (5, 0, 0.5), "utc")
    eq(gps.local_time, (21, 0, 0.5), "local time")
    gps.update(zda("120000", 29, 2, 2096))
    eq(gps.date, (29, 2, 96), "two-digit date")


@test
def time_only_sentences_carry_the_date_over_midnight():
    gps = AS_GPS(None)
    gps.update(rmc("235959.00", "311224"))
    eq(
        gps.update(nmea("GPGGA,000000.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")),
        "GGA",
        "GGA after midnight",
    )
    eq(gps.full_date, (1, 1, 2025), "date moved on")
    eq(gps.update(nmea("GPGLL,4807.038,N,01131.000,E,000001.00,A,A")), "GLL", "GLL")
    eq(gps.full_date, (1, 1, 2025), "still the same day")
    gps.update(rmc("000002.00", "010125"))
    eq(gps.full_date, (1, 1, 2025), "RMC agrees")
    # A time without any date yet: the date stays unknown.
    gps = AS_GPS(None)
    gps.update(nmea("GPGGA,101010.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"))
    eq(gps.utc, (10, 10, 10.0), "time from GGA")
    eq(gps.full_date, (0, 0, 0), "no date")


@test
def epoch_time_and_msecs_match_the_ports_calendar():
    for t, d, _, _, _ in OFFSETS:
        gps = AS_GPS(None)
        gps.update(rmc(t, d))
        g = time.gmtime(gps.epoch_time)
        dd, mm, yy = gps.full_date
        eq(
            (g[0], g[1], g[2], g[3], g[4], g[5]),
            (yy, mm, dd, gps.utc[0], gps.utc[1], int(gps.utc[2])),
            t + d,
        )
        eq(gps.msecs, int(round((gps.utc[2] - int(gps.utc[2])) * 1000)), "msecs " + t)


@test
def calendar_helpers_agree_with_each_other_over_four_centuries():
    n = as_GPS.days_from_civil(1900, 1, 1)
    y, m, d = 1900, 1, 1
    while y < 2301:
        eq(as_GPS.civil_from_days(n), (y, m, d), "day %d" % n)
        eq(as_GPS.days_from_civil(y, m, d), n, "%d-%d-%d" % (y, m, d))
        # one step of 13 days: visits every day of the month over the years
        n += 13
        d += 13
        while d > as_GPS.month_days(y, m):
            d -= as_GPS.month_days(y, m)
            m += 1
            if m > 12:
                m = 1
                y += 1
    eq(as_GPS.days_from_civil(2000, 1, 1), 0, "origin")
    eq(
        [as_GPS.is_leap(y) for y in (1900, 2000, 2024, 2100, 2023)],
        [False, True, True, False, False],
        "leap years",
    )


@test
def date_strings():
    gps = AS_GPS(None)
    eq(gps.date_string(as_GPS.MDY), "00/00/00", "no date yet")
    gps.update(rmc("120000", "040702"))
    eq(gps.date_string(), "07/04/02", "MDY is the default")
    eq(gps.date_string(as_GPS.DMY), "04/07/02", "DMY")
    eq(gps.date_string(as_GPS.LONG), "July 4th, 2002", "LONG")
    for day, suffix in (
        (1, "st"),
        (2, "nd"),
        (3, "rd"),
        (11, "th"),
        (12, "th"),
        (21, "st"),
        (22, "nd"),
        (23, "rd"),
        (31, "st"),
    ):
        gps.update(rmc("120000", "%02d0199" % day))
        eq(gps.date_string(as_GPS.LONG), "January %d%s, 1999" % (day, suffix), "suffix")
    ptest.raises(ValueError, gps.date_string, 99)


ptest.main()
