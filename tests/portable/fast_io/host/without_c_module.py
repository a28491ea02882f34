# Run another script as on firmware without MicroPython's C module `_asyncio` (MicroPython
# 1.20 has only `uasyncio`), so that fast_io falls back to its Task and TaskQueue in Python:
#
#     micropython without_c_module.py SCRIPT [ARGS...]
import sys


class _NoCModule:
    pass  # `from _asyncio import Task, TaskQueue` fails with ImportError


sys.modules["_asyncio"] = _NoCModule
script = sys.argv[1]
sys.argv.pop(0)
with open(script) as f:
    exec(compile(f.read(), script, "exec"), {"__name__": "__main__", "__file__": script})
