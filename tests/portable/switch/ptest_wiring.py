# The README's wiring table, on modelled pins (devmodels.machine): each way of wiring a button,
# set up as the README says, gives a press and a release; a Switch reads 0 when closed; a
# Signal inverts another wiring. The contact drives the pin only while it touches, so the pull
# resistor the application chose gives the released level.
# In real time on MicroPython's and CPython's asyncio, in virtual time under fast_io.
import asyncio

import ptest
from devmodels.contact import Contact, Log
from devmodels.machine import Pin, Signal, reset
from ptest import eq, test
from vtime import virtual_time

from aswitch import Pushbutton, Switch


async def press_once(pin, contact):
    pb = Pushbutton(pin)
    pb.debounce_ms = 20
    log = Log(contact)
    pb.press_func(log, ("press",))
    pb.release_func(log, ("release",))
    await contact.play([(30, 100)])
    await asyncio.sleep(0.1)
    pb.deinit()
    return log.names()


@test
@virtual_time
async def normally_open_to_gnd_with_pull_up():
    reset()
    pin = Pin(0, Pin.IN, Pin.PULL_UP)
    eq(await press_once(pin, Contact(Pin(0), released=1)), ["press", "release"], "events")


@test
@virtual_time
async def normally_open_to_3v3_with_pull_down():
    reset()
    pin = Pin(1, Pin.IN, Pin.PULL_DOWN)
    eq(await press_once(pin, Contact(Pin(1), released=0)), ["press", "release"], "events")


@test
@virtual_time
async def normally_closed_to_gnd_with_pull_up():
    reset()
    contact = Contact(Pin(2), released=0, normally_closed=True)
    pin = Pin(2, Pin.IN, Pin.PULL_UP)
    eq(pin.value(), 0, "released level 0")
    eq(await press_once(pin, contact), ["press", "release"], "events")


@test
@virtual_time
async def switch_reads_0_when_closed_and_a_signal_inverts():
    reset()
    contact = Contact(Pin(3), released=1)
    sw = Switch(Pin(3, Pin.IN, Pin.PULL_UP))
    sw.debounce_ms = 20
    inverted = Signal(Pin(3), invert=True)
    await contact.press()
    await asyncio.sleep(0.1)
    eq((sw(), inverted.value()), (0, 1), "closed")
    await contact.release()
    await asyncio.sleep(0.1)
    eq((sw(), inverted.value()), (1, 0), "open")
    sw.deinit()


ptest.main()
