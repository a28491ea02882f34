# devmodels.machine: install(), Pin lines shared by id, pulls, drive, open drain, irq edges,
# watchers, stuck pins, Signal, reset(), and spawn() waiting for the application's loop.
import asyncio
import sys

import devmodels
import ptest
from devmodels import clock
from devmodels.machine import Pin, Signal, reset
from ptest import eq, raises, test


class BoardMachine:
    # What a board's machine module looks like to install(): it has a real Pin.
    Pin = object


@test
def install_leaves_a_real_machine_alone():
    saved = sys.modules.get("machine")
    board = sys.modules["machine"] = BoardMachine()
    try:
        eq(devmodels.install(), False, "a board's machine.Pin is real")
        eq(sys.modules["machine"] is board, True, "left in place")
    finally:
        if saved is None:
            del sys.modules["machine"]
        else:
            sys.modules["machine"] = saved


@test
def install_gives_the_models_as_machine():
    eq("devmodels.uart" in sys.modules, False, "UART not loaded before it is asked for")
    eq(devmodels.install(), True, "installed")
    import machine

    eq(machine is sys.modules["devmodels.machine"], True, "machine is devmodels.machine")
    from machine import I2C, UART, Pin as P, Signal as S  # noqa: F401

    eq(P is Pin and S is Signal, True, "the same classes")
    eq(devmodels.install(), True, "a second call keeps them")


@test
def lazy_submodules():
    eq(devmodels.clock is clock, True, "devmodels.clock")
    eq(devmodels.contact.Contact.__name__, "Contact", "devmodels.contact loads on first use")


@test
def pins_with_one_id_share_the_line():
    reset()
    out = Pin(5, Pin.OUT, value=1)
    other = Pin(5)  # no mode: changes nothing
    eq(other.value(), 1, "seen through another Pin")
    out.off()
    eq(other(), 0, "__call__ reads")
    other.on()  # both may write: it is one wire
    eq(out.value(), 1, "written through the other Pin")
    eq(Pin(6).value(), 0, "another id is another line")
    eq(Pin(5).mode(), Pin.OUT, "mode kept")


@test
def pulls_drive_and_floating():
    reset()
    pin = Pin(1, Pin.IN, Pin.PULL_UP)
    eq(pin.value(), 1, "pull-up")
    model = Pin(1)
    model.drive(0)
    eq(pin.value(), 0, "driven low")
    eq(model.driven(), 0, "driven()")
    model.undrive()
    eq(pin.value(), 1, "back to the pull-up")
    pin.init(pull=Pin.PULL_DOWN)
    eq(pin.value(), 0, "pull-down")
    pin.init(pull=None)
    model.drive(1)
    eq(pin.value(), 1, "driven high")
    model.undrive()
    eq(pin.value(), 0, "floating reads 0")
    eq(pin.pull(), None, "pull() reads back")


@test
def a_model_driving_an_output_wins():
    reset()
    pin = Pin(2, Pin.OUT, value=1)
    Pin(2).drive(0)
    eq(pin.value(), 0, "the model drives the line")
    Pin(2).undrive()
    eq(pin.value(), 1, "the output again")


@test
def open_drain_is_wired_and():
    reset()
    sda = Pin(3, Pin.OPEN_DRAIN, Pin.PULL_UP, value=1)
    eq(sda.value(), 1, "released: the pull-up")
    dev = Pin(3)
    dev.drive(0)
    eq(sda.value(), 0, "a device pulls low")
    dev.drive(1)
    sda.value(0)
    eq(sda.value(), 0, "nothing raises a line held low")
    sda.value(1)
    dev.undrive()
    eq(sda.value(), 1, "both let go")


@test
def irq_fires_on_the_right_edges():
    reset()
    seen = []
    pin = Pin(4, Pin.IN, Pin.PULL_UP)
    irq = pin.irq(lambda p: seen.append(("fall", p is pin, p.value())), Pin.IRQ_FALLING)
    dev = Pin(4)
    dev.drive(0)
    seen.append("after drive(0)")  # the handler ran inside drive(): synchronously
    dev.drive(0)  # no change, no edge
    dev.undrive()  # rising: not in the trigger
    eq(seen, [("fall", True, 0), "after drive(0)"], "falling only, with the pin")
    eq(irq.flags(), Pin.IRQ_FALLING, "flags()")
    eq(pin.irq() is irq, True, "irq() alone returns the irq object")
    del seen[:]
    pin.irq(lambda p: seen.append(p.value()), Pin.IRQ_RISING | Pin.IRQ_FALLING)
    dev.drive(0)
    dev.undrive()
    eq(seen, [0, 1], "both edges")
    pin.irq(lambda p: seen.append("rise"), Pin.IRQ_RISING)
    del seen[:]
    dev.drive(0)
    dev.undrive()
    eq(seen, ["rise"], "rising only")
    pin.irq(None)
    dev.drive(0)
    eq(seen, ["rise"], "irq(None) removes the handler")


@test
def preset_sets_the_level_without_an_edge():
    reset()
    seen = []
    pin = Pin(5, Pin.IN)  # no pull: floats at 0
    pin.irq(lambda p: seen.append(p.value()))
    dev = Pin(5)
    dev.watch(lambda p: seen.append("watched"))
    dev.preset(1)  # a device that has driven the line high since power-on
    eq((pin.value(), seen), (1, []), "level 1, no handler, no watcher")
    dev.drive(0)
    eq(seen, [0, "watched"], "later changes are edges as usual")


@test
def irq_on_application_writes():
    reset()
    seen = []
    led = Pin(7, Pin.OUT, value=0)
    led.irq(lambda p: seen.append(p.value()))
    led.on()
    led.toggle()
    led(1)
    eq(seen, [1, 0, 1], "every change of an output")


@test
def watch_sees_every_change_including_the_applications():
    reset()
    seen = []
    e = Pin("E", Pin.OUT, value=0)
    model = Pin("E")

    def watcher(p):
        seen.append((p is model, p.value()))

    model.watch(watcher)
    e.on()
    e.on()  # no change
    e.off()
    model.drive(1)
    eq(seen, [(True, 1), (True, 0), (True, 1)], "changes, with the watching pin")
    model.unwatch(watcher)
    model.undrive()
    eq(len(seen), 3, "unwatch")


@test
def stuck_pin():
    reset()
    seen = []
    pin = Pin(8, Pin.IN, Pin.PULL_UP)
    pin.irq(lambda p: seen.append(p.value()))
    dev = Pin(8)
    dev.stick(0)
    eq(pin.value(), 0, "stuck low")
    dev.drive(1)
    pin.init(pull=Pin.PULL_UP)
    eq(pin.value(), 0, "nothing moves a stuck line")
    dev.stick(None)
    eq(pin.value(), 1, "freed: driven high")
    eq(seen, [0, 1], "edges only when the stuck level comes and goes")


@test
def signal_inverts():
    reset()
    pin = Pin(9, Pin.OUT, value=0)
    sig = Signal(pin, invert=True)
    eq(sig.value(), 1, "inverted read")
    sig.off()
    eq(pin.value(), 1, "inverted write")
    sig(1)
    eq(pin.value(), 0, "__call__ writes")
    made = Signal(10, Pin.IN, Pin.PULL_UP, invert=True)
    eq(made.value(), 0, "Signal(id, mode, pull) makes the pin")


@test
def bad_settings_are_refused():
    reset()
    raises(ValueError, Pin, 1, 99)
    raises(ValueError, Pin, 1, Pin.IN, 7)


@test
def hard_irq_check_only_where_the_heap_can_be_locked():
    reset()
    eq(devmodels.machine.check_hard_irqs(), ptest.IS_MICROPYTHON, "check_hard_irqs()")
    reset()


@test
def reset_forgets_the_board():
    seen = []
    Pin(11, Pin.OUT, value=1).watch(lambda p: seen.append(1))
    reset()
    eq(Pin(11).value(), 0, "a fresh line")
    Pin(11, Pin.OUT, value=1)
    eq(seen, [], "old watchers are gone")


@test
def spawn_waits_for_the_applications_loop():
    reset()
    ran = []

    async def model():
        ran.append(clock.running())

    eq(clock.spawn(model()), None, "no loop yet: kept")

    async def application():
        await clock.sleep_ms(5)
        eq(ran, [], "not started before the application uses a model")
        Pin(12, Pin.IN)  # the application makes its pin
        await asyncio.sleep(0.01)

    if ptest.IS_MICROPYTHON:
        asyncio.new_event_loop()
    asyncio.run(application())
    eq(ran, [True], "started inside the loop")


@test
async def spawn_inside_a_loop_starts_at_once():
    reset()
    ran = []

    async def model():
        ran.append(1)

    task = clock.spawn(model())
    await task
    eq(ran, [1], "ran")


ptest.main()
