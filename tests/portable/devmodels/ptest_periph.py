# devmodels Timer (on the scheduler's clock), ADC (levels fed by the model) and PWM (settings
# the model reads back). Exact times in virtual time (fast_io).
import ptest
from devmodels import clock
from devmodels.machine import ADC, PWM, Pin, Timer, reset
from ptest import eq, raises, test
from vtime import virtual_time

VIRTUAL = ptest.RUNTIME.endswith("fast_io")
LATE_MS = 0 if VIRTUAL else 100


@test
@virtual_time
async def periodic_and_one_shot_timers():
    reset()
    t0 = clock.now_ms()
    ticks = []
    once = []
    tim = Timer(0)
    tim.init(mode=Timer.PERIODIC, period=50, callback=lambda t: ticks.append(clock.now_ms()))
    Timer(1, mode=Timer.ONE_SHOT, period=120, callback=lambda t: once.append(t.id))
    await clock.sleep_ms(260)
    tim.deinit()
    n = len(ticks)
    await clock.sleep_ms(200)
    eq(len(ticks), n, "deinit() stops it")
    eq(once, [1], "one shot, once, with the timer")
    if VIRTUAL:
        eq([clock.diff_ms(t, t0) for t in ticks], [50, 100, 150, 200, 250], "every 50 ms")
    else:
        eq(3 <= n <= 5, True, "about every 50 ms: %d" % n)
    Timer(2, freq=20, callback=lambda t: ticks.append(0))
    eq(Timer(3, freq=20).period_ms, 50, "freq= gives the period")
    reset()  # stops every timer
    n = len(ticks)
    await clock.sleep_ms(120)
    eq(len(ticks), n, "reset() stops them all")
    raises(ValueError, lambda: Timer(4).init(mode=Timer.PERIODIC))


@test
@virtual_time
async def a_timer_callback_may_deinit_its_timer():
    reset()
    calls = []
    errors = []

    def callback(t):
        calls.append(1)
        if len(calls) == 3:
            try:
                t.deinit()  # as on a board: stop after three calls
            except Exception as e:
                errors.append(repr(e))

    Timer(0, mode=Timer.PERIODIC, period=10, callback=callback)
    await clock.sleep_ms(100)
    eq((len(calls), errors), (3, []), "three calls, deinit() without an error")


@test
@virtual_time
async def a_refused_timer_init_changes_nothing():
    reset()
    calls = []
    tim = Timer(0, mode=Timer.PERIODIC, period=10, callback=lambda t: calls.append(1))
    raises(ValueError, lambda: tim.init(mode=7, period=10, callback=print))
    raises(ValueError, lambda: tim.init(mode=Timer.PERIODIC))
    await clock.sleep_ms(55)
    eq(len(calls) >= 3, True, "still running: %d calls" % len(calls))
    eq(tim.period_ms, 10, "period kept")
    tim.deinit()


@test
def timer_set_up_before_the_loop_starts_with_the_application():
    reset()
    fired = []
    Timer(0, mode=Timer.PERIODIC, period=10, callback=lambda t: fired.append(1))

    async def application():
        await clock.sleep_ms(5)
        Pin(0, Pin.IN)  # the application touches a modelled part: the timer starts
        await clock.sleep_ms(35 + LATE_MS // 4)

    clock.run(application())
    eq(len(fired) >= 3, True, "ticks after the start: %d" % len(fired))
    reset()


@test
def adc_levels_from_the_model():
    reset()
    adc = ADC(Pin(26))
    eq(adc.read_u16(), 0, "nothing fed: 0")
    ADC(26).feed(32768)  # the model, by pin id
    eq(adc.read_u16(), 32768, "read_u16")
    eq(adc.read_uv(), 32768 * 3300000 // 65535, "read_uv")
    eq(adc.read(), 2048, "12 bits")
    level = [100]
    ADC(Pin(26)).feed(lambda: level[0])
    level[0] = 70000
    eq(adc.read_u16(), 65535, "a function, read each time, clamped to 16 bits")
    eq(ADC(27).read_u16(), 0, "another pin")


@test
def pwm_settings_for_the_model():
    reset()
    pwm = PWM(Pin(15), freq=1000, duty_u16=16384)
    model = PWM(15)  # no settings: changes nothing
    eq((model.freq(), model.duty_u16(), model.running()), (1000, 16384, True), "settings")
    pwm.duty_ns(500000)
    eq(model.duty_u16(), 32767, "duty_ns at 1 kHz")
    eq(model.duty_ns(), 499992, "duty_ns read back (16-bit steps)")
    pwm.deinit()
    eq(model.running(), False, "deinit")
    raises(ValueError, pwm.duty_u16, 70000)
    raises(ValueError, pwm.freq, 0)


ptest.main()
