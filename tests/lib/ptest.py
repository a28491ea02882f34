"""ptest: the smallest test runner that works the same on MicroPython and CPython.

Portable test scripts (tests/portable/<package>/*.py) register tests with the `@test`
decorator and end with `ptest.main()`. A test is a plain function or an `async def`; a
coroutine is run in a fresh event loop with `asyncio.run`, so tests cannot leak tasks into each
other. The runner prints one line per test and a closing line `ptest: N passed, N failed`,
and exits non-zero if anything failed; tests/test_portable.py runs every script under every
runtime it declares and reads that closing line.

A test that cannot run where it is (no threads, no sockets...) calls `ptest.skip("reason")`:
it is reported as `skip NAME: reason` and counted apart, in the closing line
`ptest: N passed, N failed, N skipped`; it never counts as a pass.

The runtime a script runs under (named by tests/lib/run_portable.py) is in `ptest.RUNTIME`:
"mp-asyncio", "mp-fast_io", "cpy-asyncio" or "cpy-fast_io".
"""

import sys

RUNTIME = "unknown"
IS_MICROPYTHON = sys.implementation.name == "micropython"

_tests = []


class Skip(Exception):
    """Raised by skip(): the test cannot run here."""


def skip(reason):
    """End the running test as skipped, saying why."""
    raise Skip(reason)


def test(fn):
    """Register `fn` as a test, in definition order."""
    _tests.append(fn)
    return fn


def _print_exception(e):
    if IS_MICROPYTHON:
        sys.print_exception(e)
    else:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__)


def _fresh_loop():
    # MicroPython keeps one global loop; new_event_loop() drops queued tasks from an earlier
    # test. CPython's asyncio.run makes a new loop every time by itself.
    import asyncio

    if IS_MICROPYTHON and hasattr(asyncio, "new_event_loop"):
        asyncio.new_event_loop()
    return asyncio


def run_one(fn):
    result = fn()
    if hasattr(result, "send"):  # a coroutine: drive it to completion in a fresh loop
        _fresh_loop().run(result)


def main(only=None):
    """Run the registered tests (or those whose name contains `only`), then exit."""
    passed = failed = skipped = 0
    for fn in _tests:
        name = fn.__name__
        if only and only not in name:
            continue
        try:
            run_one(fn)
        except Skip as e:
            skipped += 1
            print("skip %s: %s" % (name, e.args[0] if e.args else ""))
        except Exception as e:  # a failing test must not stop the others
            failed += 1
            print("FAIL", name)
            _print_exception(e)
        else:
            passed += 1
            print("ok", name)
    print("ptest: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    sys.exit(1 if failed or not (passed or skipped) else 0)


# Small assertion helpers with messages that say what was expected: MicroPython's bare
# `assert` prints nothing useful.


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what or "value", got, want))


def raises(exc_type, fn, *args):
    try:
        fn(*args)
    except exc_type as e:
        return e
    raise AssertionError("%r did not raise %s" % (fn, exc_type.__name__))


async def araises(exc_type, awaitable):
    try:
        await awaitable
    except exc_type as e:
        return e
    raise AssertionError("awaitable did not raise %s" % exc_type.__name__)
