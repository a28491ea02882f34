"""Applications and bounds shared by the lowpower tests (tests/portable/lowpower/): the idle
hook's script and the fallback task's script run the same applications on the board power
model, each with its own way to make the board and run the loop."""

import asyncio

RTC_STEP_MS = 1000 / 256  # the stm32 RTC's subsecond step


def bound_ms(board):
    # How late a timer may fire in true time: the wake-up, one scheduler round, and the RTC
    # step by which the clock may lag after an early wake (stop mode only).
    p = board.profile
    step = 0 if p.ticks_in_sleep else RTC_STEP_MS
    return (p.wake_us + p.round_us) / 1000 + step + 1


async def blinker(period, n, late=None):
    # n periods of `period` ms on the scheduler's clock; `late` collects each one's lateness.
    t = asyncio.ticks()
    for _ in range(n):
        t = asyncio.ticks_add(t, period)
        await asyncio.sleep_ms(asyncio.ticks_diff(t, asyncio.ticks()))
        if late is not None:
            late.append(asyncio.ticks_diff(asyncio.ticks(), t))


def serve_while_blinking(make, run, keep_streams):
    # A TCP server (a native stream, like a UART whose bytes stop mode would lose) waits for
    # connections during the first second; then it closes. make() gives (board, adapter);
    # run(board, adapter, main, **kw) runs main(sleeper). Returns the sleeps (while the
    # server waited, after it closed).
    b, hw = make()

    async def nothing(r, w):
        w.close()

    async def main(s):
        server = await asyncio.start_server(nothing, "127.0.0.1", 0)
        await blinker(100, 10)
        during = s.sleeps
        server.close()
        await server.wait_closed()
        await blinker(100, 10)
        return during, s.sleeps - during

    return run(b, hw, main, keep_streams=keep_streams)
