# The manifest tool injects metadata(), package() and options.
# ruff: noqa: F821
metadata(
    description="Synchronisation primitives, Delay_ms and task cancellation for asyncio.",
    version="0.2.0",
    license="MIT",
    author="micropython-async contributors",
    pypi_publish="micropython-async-asyn",
)
# What boards get (mip, freezing). A new module of the package must be listed here.
package(
    "asyn",
    files=(
        "__init__.py",
        "_compat.py",
        "_wq.py",
        "barrier.py",
        "cancel.py",
        "condition.py",
        "delay_ms.py",
        "event.py",
        "funcs.py",
        "gather.py",
        "lock.py",
        "message.py",
        "queue.py",
        "ringbuf_queue.py",
        "semaphore.py",
        "waitany.py",
    ),
)
# Modules only CPython runs (its asyncio has neither ThreadSafeFlag nor the task-parking
# protocol of MicroPython's schedulers): tools/pypi.py evaluates this manifest with
# cpython=True, so they go into the wheel and never to a board.
if options.cpython:
    package("asyn", files=("_cpyflag.py", "_wq_cpy.py"))
