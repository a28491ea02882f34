# Switch: a normally open contact to ground with a pull-up, against a bouncing contact model.
# In real time on MicroPython's and CPython's asyncio, in virtual time under fast_io
# (tests/lib/vtime.py).
import asyncio

import ptest
from devmodels.contact import Contact, Log
from vtime import virtual_time
from ptest import eq, test

from aswitch import Switch


def quick(sw):
    sw.debounce_ms = 20
    return sw


@test
def class_default():
    eq(Switch.debounce_ms, 50, "debounce_ms")


@test
@virtual_time
async def callbacks_on_close_and_open():
    contact = Contact(bounce_ms=8, seed=3)
    sw = quick(Switch(contact))
    log = Log(contact)
    sw.close_func(log, ("close",))
    sw.open_func(log, ("open",))
    await contact.play([(0, 100), (250, 300)])
    await asyncio.sleep(0.1)
    sw.deinit()
    eq(log.check([("close", 0), ("open", 100), ("close", 250), ("open", 550)]), [], "problems")


@test
@virtual_time
async def level_follows_the_contact():
    contact = Contact(bounce_ms=0)
    sw = quick(Switch(contact))
    eq(sw(), 1, "open")
    await contact.press()
    await asyncio.sleep(0.1)
    eq(sw(), 0, "closed")
    await contact.release()
    await asyncio.sleep(0.1)
    eq(sw(), 1, "open again")
    sw.deinit()


@test
@virtual_time
async def event_attributes():
    contact = Contact()
    sw = quick(Switch(contact))
    sw.close_func(None)
    sw.open_func(None)
    task = asyncio.create_task(contact.play([(50, 100)]))
    await sw.close.wait()
    sw.close.clear()  # the application clears the Events it waits on
    eq(sw(), 0, "closed when close is set")
    await sw.open.wait()
    sw.open.clear()
    eq(sw(), 1, "open when open is set")
    await task
    await asyncio.sleep(0.1)
    eq((sw.close.is_set(), sw.open.is_set()), (False, False), "nothing more")
    sw.deinit()


@test
@virtual_time
async def coroutine_handler_and_replacement():
    contact = Contact()
    sw = quick(Switch(contact))
    got = []

    async def closed(tag):
        await asyncio.sleep(0.01)
        got.append(tag)

    sw.close_func(closed, ("a",))
    await contact.play([(0, 60)])
    await asyncio.sleep(0.1)
    sw.close_func(closed, ("b",))
    await contact.play([(0, 60)])
    await asyncio.sleep(0.1)
    sw.close_func(False)
    await contact.play([(0, 60)])
    await asyncio.sleep(0.1)
    sw.deinit()
    eq(got, ["a", "b"], "handler calls")


@test
@virtual_time
async def a_handler_that_raises_does_not_stop_the_driver():
    contact = Contact()
    sw = quick(Switch(contact))
    log = Log(contact)

    def bad(name):
        log(name)
        raise RuntimeError("failed on purpose")

    sw.close_func(bad, ("close",))
    sw.open_func(log, ("open",))
    await contact.play([(0, 60), (200, 60)])
    await asyncio.sleep(0.1)
    sw.deinit()
    eq(log.names(), ["close", "open", "close", "open"], "events")


@test
@virtual_time
async def deinit_stops_reporting():
    contact = Contact()
    sw = quick(Switch(contact))
    log = Log(contact)
    sw.close_func(log, ("close",))
    sw.deinit()
    await contact.play([(0, 60)])
    await asyncio.sleep(0.1)
    eq(log.names(), [], "events")


@test
@virtual_time
async def a_handler_may_deinit_its_switch():
    # Handlers run in the polling task, which MicroPython and fast_io cannot cancel from
    # inside: deinit() called there must still stop the driver.
    contact = Contact()
    sw = quick(Switch(contact))
    log = Log(contact)

    def stop(name):
        log(name)
        try:
            sw.deinit()
        except Exception:
            log("deinit failed")

    sw.close_func(stop, ("close",))
    sw.open_func(log, ("open",))
    await contact.play([(0, 60), (200, 60)])
    await asyncio.sleep(0.1)
    eq(log.names(), ["close"], "events")


ptest.main()
