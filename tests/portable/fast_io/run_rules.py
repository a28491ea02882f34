# What asyncio.run() does with tasks made outside it. MicroPython's asyncio keeps them, so a
# driver constructed at module level starts its task in the first run; fast_io does the same on
# both interpreters, and on CPython still cancels what a run leaves behind, as asyncio.run does.
# (CPython's own asyncio refuses create_task() outside a running loop: not run there.)
# runtimes: mp-asyncio mp-fast_io cpy-fast_io
import asyncio
import ptest
from ptest import test


@test
def a_task_made_before_run_runs_in_it():
    ran = []

    async def background():
        ran.append("background")

    async def main():
        await asyncio.sleep_ms(20)
        ran.append("main")

    asyncio.create_task(background())
    asyncio.run(main())
    ptest.eq(ran, ["background", "main"], "order")


@test
def a_task_made_between_runs_runs_in_the_next_one():
    ran = []

    async def quick(tag):
        ran.append(tag)

    async def main():
        await asyncio.sleep_ms(10)

    asyncio.run(main())
    asyncio.create_task(quick("between"))
    asyncio.run(main())
    ptest.eq(ran, ["between"], "ran once, in the second run")


@test
def a_task_left_by_a_run_does_not_run_in_the_next():
    if not ptest.RUNTIME.startswith("cpy"):
        ptest.skip("MicroPython's run() keeps the loop and its tasks")
    ran = []

    async def forever():
        try:
            await asyncio.sleep_ms(1000000)
        finally:
            ran.append("cleaned up")

    async def first():
        asyncio.create_task(forever())
        await asyncio.sleep_ms(10)

    async def second():
        await asyncio.sleep_ms(10)
        ran.append("second")

    asyncio.run(first())
    ptest.eq(ran, ["cleaned up"], "cancelled at the end of its run, as asyncio.run does")
    asyncio.run(second())
    ptest.eq(ran, ["cleaned up", "second"], "nothing of the first run in the second")


ptest.main()
