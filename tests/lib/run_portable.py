"""Run one portable test script under a chosen runtime.

    <python or micropython> tests/lib/run_portable.py RUNTIME SCRIPT [FILTER]

RUNTIME is mp-asyncio, mp-fast_io, cpy-asyncio or cpy-fast_io. For the fast_io runtimes the
scheduler is installed as `asyncio` before the script runs, so the script, the packages it
tests and everything they import use fast_io: the same one line an application uses.
"""

import sys

import ptest

runtime, script = sys.argv[1], sys.argv[2]
ptest.RUNTIME = runtime
if runtime.endswith("fast_io"):
    import fast_io

    fast_io.install()

with open(script) as f:
    source = f.read()
code = compile(source, script, "exec")
exec(code, {"__name__": "__main__", "__file__": script})
