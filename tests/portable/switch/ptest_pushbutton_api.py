# Pushbutton beyond the event table: Event attributes, coroutine handlers, handlers that raise,
# handlers replaced while running, wiring (sense), state queries and deinit().
# In real time on MicroPython's and CPython's asyncio, in virtual time under fast_io
# (tests/lib/vtime.py).
import asyncio

import ptest
from devmodels.contact import Contact, Log
from vtime import virtual_time
from ptest import eq, test

from aswitch import Pushbutton

SETTLE = 0.5  # s after a script: longer than the double-click window below


def quick(pb):
    pb.debounce_ms = 20
    pb.double_click_ms = 300
    pb.long_press_ms = 600
    return pb


@test
def class_defaults():
    eq(Pushbutton.debounce_ms, 50, "debounce_ms")
    eq(Pushbutton.long_press_ms, 1000, "long_press_ms")
    eq(Pushbutton.double_click_ms, 400, "double_click_ms")


@test
async def per_instance_timing_leaves_the_class_alone():
    pb = quick(Pushbutton(Contact()))
    eq(pb.long_press_ms, 600, "instance")
    eq(Pushbutton.long_press_ms, 1000, "class")
    pb.deinit()


@test
@virtual_time
async def bounces_give_one_event_per_press():
    contact = Contact(bounce_ms=8, seed=7)
    pb = quick(Pushbutton(contact))
    log = Log(contact)
    pb.press_func(log, ("press",))
    pb.release_func(log, ("release",))
    await contact.play([(0, 60), (200, 60), (400, 60)])
    await asyncio.sleep(0.1)
    pb.deinit()
    eq(log.names(), ["press", "release"] * 3, "events")
    # The model really bounced: far more raw transitions than the six clean ones.
    if contact.transitions <= 12:
        raise AssertionError("only %d transitions: the model did not bounce" % contact.transitions)


@test
@virtual_time
async def event_attributes():
    contact = Contact()
    pb = quick(Pushbutton(contact, suppress=True))
    for name in ("press", "release", "double", "long"):
        getattr(pb, name + "_func")(None)
    seen = []

    async def watch(name):
        ev = getattr(pb, name)
        while True:
            await ev.wait()
            ev.clear()  # the application clears the Events it waits on
            seen.append(name)

    watchers = [asyncio.create_task(watch(n)) for n in ("press", "release", "double", "long")]
    await contact.play([(0, 80)])  # a single click
    await asyncio.sleep(SETTLE)
    eq(seen, ["press", "release"], "single click")
    del seen[:]
    await contact.play([(0, 80), (160, 80)])  # a double click
    await asyncio.sleep(SETTLE)
    eq(seen, ["press", "press", "double"], "double click")
    del seen[:]
    await contact.play([(0, 900)])  # a long press
    await asyncio.sleep(0.1)
    eq(seen, ["press", "long"], "long press")
    for w in watchers:
        w.cancel()
    pb.deinit()


@test
async def an_event_survives_setting_none_again():
    pb = Pushbutton(Contact())
    pb.long_func(None)
    ev = pb.long
    pb.long_func(print)
    pb.long_func(None)  # a task may still wait on the first Event: keep it
    if pb.long is not ev:
        raise AssertionError("long_func(None) replaced the Event")
    pb.deinit()


@test
@virtual_time
async def coroutine_handlers_get_their_args():
    contact = Contact()
    pb = quick(Pushbutton(contact))
    got = []

    async def handler(a, b):
        await asyncio.sleep(0.01)
        got.append((a, b))

    pb.press_func(handler, ("p", 1))
    pb.long_func(handler, ("l", 2))
    await contact.play([(0, 800)])
    await asyncio.sleep(0.1)
    pb.deinit()
    eq(got, [("p", 1), ("l", 2)], "coroutine handler calls")


@test
@virtual_time
async def handlers_that_raise_do_not_stop_the_driver():
    contact = Contact()
    pb = quick(Pushbutton(contact, suppress=True))
    log = Log(contact)

    def bad_callback(name):
        log(name)
        raise ValueError("callback failed on purpose")

    async def bad_coroutine(name):
        log(name)
        raise ValueError("coroutine failed on purpose")

    pb.press_func(bad_callback, ("press",))
    pb.long_func(bad_callback, ("long",))  # runs from the long-press timer
    pb.double_func(bad_coroutine, ("double",))
    pb.release_func(bad_callback, ("release",))  # runs from the double-click timer
    script = [(0, 80), (600, 80), (760, 80), (1200, 900), (2400, 900), (3600, 80)]
    await contact.play(script)
    await asyncio.sleep(SETTLE)
    pb.deinit()
    eq(
        log.names(),
        ["press", "release", "press", "press", "double"]
        + ["press", "long", "press", "long", "press", "release"],
        "events",
    )


@test
@virtual_time
async def handlers_replaced_while_running():
    contact = Contact()
    pb = quick(Pushbutton(contact))
    log = Log(contact)
    pb.press_func(log, ("first",))
    await contact.play([(0, 60)])
    await asyncio.sleep(0.1)
    pb.press_func(log, ("second",))
    pb.double_func(log, ("double",))  # the double-click timer is made now
    await contact.play([(0, 60), (150, 60)])
    await asyncio.sleep(SETTLE)
    pb.press_func(False)  # removed
    pb.double_func(False)
    pb.long_func(log, ("long",))
    await contact.play([(0, 60), (150, 800)])
    await asyncio.sleep(0.1)
    pb.deinit()
    eq(log.names(), ["first", "second", "second", "double", "long"], "events")


@test
@virtual_time
async def wired_to_3v3_with_pull_down():
    contact = Contact(released=0)  # also how a normally closed contact to ground reads
    pb = quick(Pushbutton(contact))
    log = Log(contact)
    pb.press_func(log, ("press",))
    pb.release_func(log, ("release",))
    await contact.play([(0, 100)])
    await asyncio.sleep(0.1)
    pb.deinit()
    eq(log.check([("press", 0), ("release", 100)]), [], "problems")


@test
@virtual_time
async def sense_given_while_the_button_is_held():
    contact = Contact(released=1)
    await contact.press()
    pb = quick(Pushbutton(contact, sense=1))
    eq(pb(), True, "pressed at construction")
    eq(pb.rawstate(), True, "rawstate")
    log = Log(contact)
    pb.press_func(log, ("press",))
    pb.release_func(log, ("release",))
    await asyncio.sleep(0.1)
    await contact.release()
    await asyncio.sleep(0.1)
    eq(pb(), False, "released")
    eq(log.names(), ["release"], "events")
    pb.deinit()


@test
@virtual_time
async def states_follow_the_contact():
    contact = Contact(bounce_ms=0)
    pb = quick(Pushbutton(contact))
    eq((pb(), pb.rawstate()), (False, False), "idle")
    await contact.press()
    eq(pb.rawstate(), True, "rawstate is not debounced")
    await asyncio.sleep(0.1)
    eq(pb(), True, "debounced state")
    await contact.release()
    await asyncio.sleep(0.1)
    eq((pb(), pb.rawstate()), (False, False), "released")
    pb.deinit()


@test
@virtual_time
async def deinit_stops_everything():
    contact = Contact()
    pb = quick(Pushbutton(contact, suppress=True))
    log = Log(contact)
    for name in ("press", "release", "double", "long"):
        getattr(pb, name + "_func")(log, (name,))
    await contact.play([(0, 80)])  # its release is held back for the double-click window
    pb.deinit()
    await contact.play([(0, 80), (200, 900)])
    await asyncio.sleep(SETTLE)
    eq(log.names(), ["press"], "events")


@test
@virtual_time
async def a_handler_may_deinit_its_button():
    # A press handler runs in the polling task and a long handler in the long timer's task:
    # MicroPython and fast_io cannot cancel the running task, and deinit() must still work.
    for kind in ("press", "long"):
        contact = Contact()
        pb = quick(Pushbutton(contact))
        log = Log(contact)

        def stop(name, pb=pb, log=log):
            log(name)
            try:
                pb.deinit()
            except Exception:
                log("deinit failed")

        pb.press_func(stop if kind == "press" else log, ("press",))
        pb.release_func(log, ("release",))
        pb.long_func(stop if kind == "long" else log, ("long",))
        await contact.play([(0, 900), (1000, 900)])
        await asyncio.sleep(SETTLE)
        want = ["press"] if kind == "press" else ["press", "long"]
        eq(log.names(), want, "events with deinit() in the %s handler" % kind)


@test
@virtual_time
async def a_held_back_release_comes_before_the_next_press():
    # suppress=True holds a click's release back for the double-click window; if the next
    # press cannot make a double click (here the double handler was removed meanwhile), the
    # held-back release is reported first, then the new press.
    contact = Contact()
    pb = quick(Pushbutton(contact, suppress=True))
    log = Log(contact)
    pb.press_func(log, ("press",))
    pb.release_func(log, ("release",))
    pb.double_func(log, ("double",))

    async def remove_double():
        await asyncio.sleep(0.12)  # after the first release, inside the window
        pb.double_func(False)

    asyncio.create_task(remove_double())
    await contact.play([(0, 80), (200, 80)])
    await asyncio.sleep(SETTLE)
    pb.deinit()
    eq(log.names(), ["press", "release", "press", "release"], "events")


ptest.main()
