# devmodels: RTC on the scheduler's clock, I2CTarget against the modelled controller (MicroPython's
# I2CTarget event order), lightsleep/deepsleep hooks, and line noise.
import ptest
from devmodels import clock, faults
from devmodels.machine import (
    I2C,
    RTC,
    DeepSleep,
    I2CTarget,
    Pin,
    SoftI2C,
    deepsleep,
    lightsleep,
    reset,
    set_sleep_hook,
)
from devmodels.rtc import date, days
from ptest import eq, raises, test
from vtime import virtual_time

VIRTUAL = ptest.RUNTIME.endswith("fast_io")


@test
def calendar():
    eq(days(2000, 1, 1), 0, "epoch")
    eq(days(2000, 3, 1), 60, "2000 is a leap year")
    eq(days(2001, 1, 1), 366, "a year later")
    eq(days(2024, 2, 29) + 1, days(2024, 3, 1), "leap day")
    eq(days(2100, 3, 1) - days(2100, 2, 28), 1, "2100 is not a leap year")
    for n in (0, 59, 60, 365, 366, 9000, 36524, 36525, 40000):
        y, m, d = date(n)
        eq(days(y, m, d), n, "date(%d) round trip" % n)
    eq(date(days(2026, 11, 30)), (2026, 11, 30), "today")


@test
@virtual_time
async def rtc_follows_the_scheduler_clock():
    reset()
    rtc = RTC()
    eq(rtc.datetime()[:3], (2000, 1, 1), "starts in 2000")
    eq(rtc.datetime()[3], 5, "2000-01-01 was a Saturday")
    rtc.datetime((2026, 11, 30, 6, 23, 59, 59, 800000))
    eq(rtc.datetime()[3], 0, "a Monday, worked out from the date (not the 6 given)")
    await clock.sleep_ms(300)
    now = RTC().datetime()  # one clock for the board
    if VIRTUAL:
        eq(now, (2026, 12, 1, 1, 0, 0, 0, 100000), "300 ms later")
    else:
        eq(now[:3], (2026, 12, 1), "next day")
    raises(ValueError, rtc.datetime, (2026, 13, 1, 0, 0, 0, 0, 0))


@test
@virtual_time
async def a_day_in_virtual_time():
    reset()
    rtc = RTC(datetime=(2024, 2, 28, 0, 12, 0, 0, 0))
    if not VIRTUAL:
        await clock.sleep_ms(1)
        return
    for _ in range(24):
        await clock.sleep_ms(3600 * 1000)
    eq(rtc.datetime()[:7], (2024, 2, 29, 3, 12, 0, 0), "the leap day, a Thursday")


def events_target(mem=None):
    events = []
    target = I2CTarget(0, 0x42, mem=mem)

    buf = bytearray(1)

    def handler(t):
        flags = t.irq().flags()
        events.append(flags)
        if flags & I2CTarget.IRQ_READ_REQ:
            t.write(b"Y")
        if flags & I2CTarget.IRQ_WRITE_REQ:
            t.readinto(buf)
            events.append(buf[0])

    every = 0
    for flag in (1, 2, 4, 8, 16, 32):
        every |= flag
    target.irq(handler, every if mem is None else I2CTarget.IRQ_END_READ | 32, hard=True)
    return target, events


@test
def i2c_target_with_callbacks():
    reset()
    target, events = events_target()
    i2c = I2C(0)
    eq(0x42 in i2c.scan(), True, "scan finds the target")
    eq(events, [I2CTarget.IRQ_ADDR_MATCH_WRITE, I2CTarget.IRQ_END_WRITE], "scan events")
    del events[:]
    i2c.writeto(0x42, b"XY")
    W = I2CTarget.IRQ_WRITE_REQ
    eq(
        events,
        [I2CTarget.IRQ_ADDR_MATCH_WRITE, W, ord("X"), W, ord("Y"), I2CTarget.IRQ_END_WRITE],
        "write events",
    )
    del events[:]
    eq(i2c.readfrom(0x42, 1), b"Y", "the handler answers the read")
    eq(
        events,
        [I2CTarget.IRQ_ADDR_MATCH_READ, I2CTarget.IRQ_READ_REQ, I2CTarget.IRQ_END_READ],
        "read events",
    )
    target.deinit()
    eq(0x42 in i2c.scan(), False, "deinit: gone from the bus")
    I2CTarget(1, 0x44, scl=Pin(5), sda=Pin(4))
    eq((I2C(1).scan(), SoftI2C(Pin(5), Pin(4)).scan()), ([0x44], [0x44]), "on its pins too")


@test
def i2c_target_queues_without_handler():
    reset()
    target = I2CTarget(0, 0x43)
    i2c = I2C(0)
    i2c.writeto(0x43, b"0123")
    buf = bytearray(8)
    eq(target.readinto(buf), 4, "queued for readinto")
    eq(bytes(buf[:4]), b"0123", "data")
    target.write(b"ab")
    eq(i2c.readfrom(0x43, 3), b"ab\xff", "queued by write, then 0xFF")


@test
def i2c_target_memory():
    reset()
    mem = bytearray(b"01234567")
    target, events = events_target(mem)
    i2c = I2C(0)
    i2c.writeto_mem(0x42, 6, b"test")
    eq(bytes(mem), b"st2345te", "writes wrap")
    eq(events, [I2CTarget.IRQ_END_WRITE], "end of write")
    eq(target.memaddr, 6, "memaddr")
    mem[:] = b"01234567"
    del events[:]
    eq(i2c.readfrom_mem(0x42, 6, 4), b"6701", "reads wrap")
    eq(events, [I2CTarget.IRQ_END_READ], "no END_WRITE for the address-only write")
    i2c.writeto(0x42, b"\x02")
    eq(i2c.readfrom(0x42, 4), b"2345", "read from the selected address")
    eq(i2c.readfrom(0x42, 4), b"6701", "and on from there")


@test
@virtual_time
async def lightsleep_lets_time_pass():
    reset()
    asked = []

    def hook(kind, ms):
        asked.append((kind, ms))
        return 30 if ms == 1000 else None  # woken early once

    set_sleep_hook(hook)
    t0 = clock.now_ms()
    lightsleep(50)
    lightsleep(1000)
    slept = clock.diff_ms(clock.now_ms(), t0)
    eq(asked, [("lightsleep", 50), ("lightsleep", 1000)], "hook calls")
    eq(80 <= slept <= 80 + (0 if VIRTUAL else 60), True, "80 ms went by: %d" % slept)
    e = raises(DeepSleep, deepsleep, 5000)
    eq((e.ms, asked[-1]), (5000, ("deepsleep", 5000)), "deepsleep ends the program")
    eq(isinstance(e, Exception), False, "not caught by except Exception")
    set_sleep_hook(None)
    raises(ValueError, lightsleep)
    await clock.sleep_ms(1)


@test
@virtual_time
async def noise_and_glitches():
    reset()
    pin = Pin(3, Pin.IN, Pin.PULL_UP)
    edges = []
    pin.irq(lambda p: edges.append(p.value()))
    faults.glitch(Pin(3))
    eq(edges, [0, 1], "a glitch: both edges")
    eq(pin.value(), 1, "and back")
    del edges[:]
    await faults.noise(Pin(3), 20, seed=5)
    eq(len(edges) > 10, True, "noise makes edges: %d" % len(edges))
    eq((pin.value(), Pin(3).driven()), (1, None), "the line is given back")


ptest.main()
