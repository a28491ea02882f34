# Trace: loop methods, exception handler, run_forever/stop, ThreadSafeFlag.
import asyncio


def handler(loop, context):
    print("handler:", context["message"], repr(context["exception"]))


async def bad():
    await asyncio.sleep_ms(1)
    raise OSError(5)


async def flagged(flag):
    await flag.wait()
    print("flag seen")


async def main():
    asyncio.create_task(bad())
    flag = asyncio.ThreadSafeFlag()
    asyncio.create_task(flagged(flag))
    await asyncio.sleep_ms(5)
    flag.set()
    await asyncio.sleep_ms(20)
    print("main ends")


loop = asyncio.get_event_loop()
loop.set_exception_handler(handler)
print("handler set", loop.get_exception_handler() is handler)
loop.run_until_complete(main())


async def stopper():
    await asyncio.sleep_ms(3)
    print("stopping")
    loop.stop()


loop.create_task(stopper())
loop.run_forever()
print("after run_forever")
