# devmodels.contact: a bouncing contact on a modelled pin, press scripts, and a script that
# waits for the application. Exact times in virtual time (fast_io), margins in real time.
import ptest
from devmodels import clock
from devmodels.contact import DEMO_SCRIPT, Contact, click, double_click, long_press
from devmodels.machine import Pin, reset
from ptest import eq, test
from vtime import virtual_time

VIRTUAL = ptest.RUNTIME.endswith("fast_io")
LATE_MS = 0 if VIRTUAL else 100  # real time: the loop may run late on a busy machine


def near(got, want, what):
    if not want <= got <= want + LATE_MS:
        raise AssertionError("%s at %d ms, want %d (+%d)" % (what, got, want, LATE_MS))


@test
def scripts():
    eq(click(200), [(200, 100)], "click")
    eq(double_click(1000, 80, 100), [(1000, 80), (1180, 80)], "double click")
    eq(long_press(50, 2000), [(50, 2000)], "long press")
    eq(DEMO_SCRIPT, [(200, 100), (1200, 100), (1400, 100), (2400, 1400)], "demo")


@test
@virtual_time
async def a_click_bounces_then_settles_on_the_pin():
    reset()
    pin = Pin(0, Pin.IN, Pin.PULL_UP)
    edges = []  # (level, ms, pressed)
    contact = Contact(Pin(0), bounce_ms=5, seed=7)
    t0 = clock.now_ms()
    pin.irq(
        lambda p: edges.append((p.value(), clock.diff_ms(clock.now_ms(), t0), contact.pressed))
    )
    await contact.play(click(at=20, hold=100))
    await clock.sleep_ms(20)
    eq(pin.value(), 1, "released: the pull-up")
    press = [t for _, t, pressed in edges if pressed]
    release = [t for _, t, pressed in edges if not pressed]
    eq(len(press) > 1 and len(release) > 1, True, "bounced: %r" % edges)
    eq(edges[0][0], 0, "the first touch pulls low")
    near(press[0], 20, "first touch")
    near(release[0], 120, "first break")
    eq(press[-1] - press[0] <= 7 + LATE_MS, True, "press bounces end within 5 (+2) ms: %r" % press)
    eq(release[-1] - release[0] <= 7 + LATE_MS, True, "release settled: %r" % release)
    eq(edges[-1][0], 1, "settled high")
    eq(contact.transitions, len(edges), "every raw change is an edge")


@test
@virtual_time
async def held_low_while_pressed():
    reset()
    pin = Pin(0, Pin.IN, Pin.PULL_UP)
    contact = Contact(Pin(0), bounce_ms=3)
    await contact.press()
    await clock.sleep_ms(10)
    eq(pin.value(), 0, "pressed: contact to ground")
    await contact.release()
    await clock.sleep_ms(10)
    eq(pin.value(), 1, "released")


@test
@virtual_time
async def a_forgotten_pull_up_shows():
    reset()
    pin = Pin(0, Pin.IN)  # no pull resistor
    contact = Contact(Pin(0), bounce_ms=0)
    await contact.press()
    await contact.release()
    await clock.sleep_ms(1)
    eq(pin.value(), 0, "an open contact leaves the pin floating, read as 0")


@test
@virtual_time
async def to_3v3_with_a_pull_down_and_normally_closed():
    reset()
    pin = Pin(1, Pin.IN, Pin.PULL_DOWN)
    contact = Contact(Pin(1), released=0, bounce_ms=0)
    await contact.press()
    eq(pin.value(), 1, "pressed: 3V3")
    await contact.release()
    eq(pin.value(), 0, "released: pull-down")
    pin2 = Pin(2, Pin.IN, Pin.PULL_UP)
    nc = Contact(Pin(2), released=0, bounce_ms=0, normally_closed=True)
    eq(pin2.value(), 0, "normally closed to ground: 0 at rest")
    await nc.press()
    eq(pin2.value(), 1, "pressed: the contact opens, the pull-up wins")
    await nc.release()
    eq(pin2.value(), 0, "closed again")
    await clock.sleep_ms(1)


@test
def start_waits_for_the_application_to_make_its_pin():
    reset()
    contact = Contact(Pin(0), bounce_ms=0)
    contact.start(click(at=50, hold=50))  # before the application runs
    got = []

    async def application():
        await clock.sleep_ms(30)  # the application starts up...
        pin = Pin(0, Pin.IN, Pin.PULL_UP)  # ...then makes its pin: the script starts now
        t0 = clock.now_ms()
        pin.irq(lambda p: got.append((p.value(), clock.diff_ms(clock.now_ms(), t0))))
        await clock.sleep_ms(200)

    clock.run(application())
    eq([level for level, _ in got], [0, 1], "one click")
    near(got[0][1], 50, "press, from the moment the pin was made")
    near(got[1][1], 100, "release")


@test
def contact_without_a_pin_is_read_directly():
    c = Contact(released=1)
    eq((c.value(), c()), (1, 1), "released")
    ptest.raises(ValueError, c.value, 0)


ptest.main()
