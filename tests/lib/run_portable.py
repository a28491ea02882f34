"""Run one portable test script under a chosen runtime.

    <python or micropython> tests/lib/run_portable.py RUNTIME SCRIPT [FILTER]

RUNTIME is mp-asyncio, mp-fast_io, cpy-asyncio or cpy-fast_io. For the fast_io runtimes the
scheduler is installed as `asyncio` before the script runs, so the script, the packages it
tests and everything they import use fast_io: the same one line an application uses.
On MicroPython 1.20, whose built-in scheduler is named `uasyncio` only, mp-asyncio puts it in
sys.modules as `asyncio`, so a package that supports 1.20's built-in (importing `uasyncio`
where there is no `asyncio`) is tested on it; packages that do not say so skip (runtimes.py).
"""

import sys

import ptest

runtime, script = sys.argv[1], sys.argv[2]
ptest.RUNTIME = runtime
if runtime.endswith("fast_io"):
    import fast_io

    fast_io.install()
elif runtime == "mp-asyncio":
    try:
        import asyncio  # noqa: F401
    except ImportError:  # MicroPython 1.20
        import uasyncio

        sys.modules["asyncio"] = uasyncio

with open(script) as f:
    source = f.read()
code = compile(source, script, "exec")
exec(code, {"__name__": "__main__", "__file__": script})
