# as_rwGPS: MTK commands against the receiver model (devmodels.gps) on a devmodels UART, with
# NMEA flowing at the same time. Virtual time under fast_io; real time elsewhere.
import asyncio

import ptest
from devmodels import clock
from devmodels.gps import GPSReceiver
from devmodels.machine import UART, reset
from devmodels.uart import stream
from ptest import eq, test
from vtime import virtual_time

import as_rwGPS
from as_rwGPS import GPS, MTKError, MTKTimeout, MTKUnsupported

VIRTUAL = ptest.RUNTIME.endswith("fast_io")


class Setup:
    def __init__(self, baudrate=9600 if VIRTUAL else 38400, **kw):
        reset()
        self.uart = UART(1, baudrate=baudrate)
        self.rx = GPSReceiver(self.uart.peer, baudrate=baudrate)
        if not VIRTUAL:  # real time: fixes as fast as the line allows
            self.rx.update_ms = 100
        s = stream(self.uart)
        self.gps = GPS(s, s, **kw)
        self.gps.timeout_ms = 300
        self.tasks = [asyncio.create_task(self.rx.serve())]

    def play(self, epochs):
        t = asyncio.create_task(self.rx.run(epochs=epochs))
        self.tasks.append(t)
        return t

    def close(self):
        for t in self.tasks:
            t.cancel()
        self.gps.deinit()


@test
def command_lines_have_upper_case_checksums():
    # Lines as MTK's documentation and common libraries give them.
    for body, line in (
        ("PMTK220,200", b"$PMTK220,200*2C\r\n"),
        ("PMTK220,1000", b"$PMTK220,1000*1F\r\n"),
        ("PMTK251,115200", b"$PMTK251,115200*1F\r\n"),
        (
            "PMTK314,0,1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
            b"$PMTK314,0,1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0*28\r\n",
        ),
        ("PMTK605", b"$PMTK605*31\r\n"),
        ("PMTK101", b"$PMTK101*32\r\n"),
        ("PMTK161,0", b"$PMTK161,0*28\r\n"),
        ("PGCMD,33,1", b"$PGCMD,33,1*6C\r\n"),
    ):
        eq(as_rwGPS.sentence(body), line, body)


@test
@virtual_time
async def update_interval_and_sentences():
    t = Setup()
    await t.gps.update_interval(200)
    eq(t.rx.update_ms, 200, "the receiver's interval")
    eq(t.gps._update_ms, 200, "kept for the timing drivers")
    eq(t.rx.commands[-1], b"PMTK220,200", "the command as received")
    await t.gps.enable(gsv=0, zda=1, gsa=0, vtg=0)
    eq(t.rx.commands[-1], b"PMTK314,0,1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0", "PMTK314")
    eq(
        await t.gps.query_sentences(),
        {"gll": 0, "rmc": 1, "vtg": 0, "gga": 1, "gsa": 0, "gsv": 0, "zda": 1, "chan": 0},
        "query",
    )
    await t.play(3)
    await clock.sleep_ms(30)
    eq(t.gps.full_date, (15, 6, 2024), "date from ZDA and RMC")
    eq(t.gps.satellites_in_view, 0, "no GSV any more")
    await t.gps.default_sentences()
    eq(t.rx.rates["GSV"], 5, "defaults back")
    ptest.raises(ValueError, lambda: t.gps.update_interval(50).send(None))
    ptest.raises(ValueError, lambda: t.gps.enable(gsv=6).send(None))
    t.close()


@test
@virtual_time
async def failures_unsupported_invalid_and_timeouts():
    t = Setup()
    t.rx.fail[220] = 2
    e = await ptest.araises(MTKError, t.gps.update_interval(500))
    eq((e.command, e.flag, type(e) is MTKError), (220, 2, True), "failed")
    t.rx.fail[220] = 1
    e = await ptest.araises(MTKUnsupported, t.gps.update_interval(500))
    eq((e.command, e.flag), (220, 1), "unsupported")
    del t.rx.fail[220]
    e = await ptest.araises(MTKError, t.gps._command(220, ",abc"))
    eq(e.flag, 0, "invalid arguments")
    e = await ptest.araises(MTKUnsupported, t.gps._command(999))
    eq(e.command, 999, "an unknown command")
    e = await ptest.araises(MTKError, t.gps._command(220, ",20000"))
    eq(e.flag, 2, "out of the receiver's range")
    t.rx.silent.add(605)
    t0 = clock.now_ms()
    e = await ptest.araises(MTKTimeout, t.gps.firmware())
    eq((e.command, e.flag), (605, None), "timeout")
    waited = clock.diff_ms(clock.now_ms(), t0)
    if waited < 300 or (VIRTUAL and waited > 320):
        raise AssertionError("timed out after %d ms, want 300" % waited)
    t.rx.silent.clear()
    eq(await t.gps.firmware(), ["AXN_2.31_3339_13101700", "5632", "PA6H", "1.0"], "then works")
    eq(t.gps._update_ms, 1000, "unchanged by the failed commands")
    t.close()


@test
@virtual_time
async def firmware_antenna_and_messages():
    msgs = []
    t = Setup(msg_cb=lambda g, segs, tag: msgs.append((tag, segs[0])), msg_cb_args=("m",))
    t.play(5)
    eq(
        await t.gps.command(as_rwGPS.VERSION),
        ["AXN_2.31_3339_13101700", "5632", "PA6H", "1.0"],
        "VERSION",
    )
    eq(t.gps.version[2], "PA6H", "version attribute")
    eq(await t.gps.antenna_reports(), 3, "active antenna")
    eq(t.gps.antenna, 3, "antenna attribute")
    eq(await t.gps.antenna_reports(False), None, "off (no answer to wait for)")
    await clock.sleep_ms(50)  # the command's 17 characters on the line
    eq(t.rx.antenna_reports, False, "the receiver stopped reporting")
    eq(("m", "PMTK705") in msgs and ("m", "PGTOP") in msgs, True, "msg_cb")
    t.close()


@test
@virtual_time
async def restarts_and_standby():
    t = Setup()
    t.rx.cold_epochs = 2
    eq(await t.gps.hot_start(), True, "hot start")
    eq(await t.gps.command(as_rwGPS.WARM_START), True, "warm start")
    await t.gps.cold_start()
    await t.play(2)
    await clock.sleep_ms(30)
    eq(t.gps.time_since_fix(), -1, "no fix after a cold start")
    await t.play(1)
    await clock.sleep_ms(30)
    eq(t.gps.latitude()[1], "N", "fix again")
    await t.gps.update_interval(500)
    await t.gps.full_cold_start()
    eq((t.rx.update_ms, t.gps._update_ms), (1000, 1000), "factory interval")
    if not VIRTUAL:
        t.rx.update_ms = 100  # real time: fixes as fast as the line allows again
    await t.gps.standby()
    await clock.sleep_ms(30)  # (a sentence already on the line when standby began lands first)
    n = t.gps.clean_sentences
    await t.play(2)
    eq(t.gps.clean_sentences, n, "nothing in standby")
    await t.gps.wake()
    await t.play(1)
    await clock.sleep_ms(30)
    eq(t.gps.clean_sentences > n, True, "awake")
    t.close()


@test
@virtual_time
async def baud_rate_change():
    t = Setup()
    t.play(1)
    await t.gps.baudrate(115200)
    eq(t.rx.baudrate, 115200, "the receiver switched after answering")
    t.uart.init(baudrate=115200)  # the application follows
    n = t.gps.parsed_sentences
    await t.play(2)
    await clock.sleep_ms(30)
    if t.gps.parsed_sentences < n + 8:
        raise AssertionError("reading at the new rate: %d" % (t.gps.parsed_sentences - n))
    ptest.raises(ValueError, lambda: t.gps.baudrate(1234).send(None))
    t.close()


@test
@virtual_time
async def commands_from_two_tasks_are_answered_in_turn():
    t = Setup()
    t.play(2)
    results = await asyncio.gather(
        t.gps.firmware(), t.gps.update_interval(1000), t.gps.query_sentences()
    )
    eq(results[0][0], "AXN_2.31_3339_13101700", "firmware")
    eq(results[2]["gsv"], 5, "query")
    t.close()


ptest.main()
