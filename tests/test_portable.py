"""Every portable test script (tests/portable/<package>/*.py) under every runtime it declares.

The same file runs on the real MicroPython with its built-in asyncio and with fast_io, and on
CPython with asyncio and with fast_io. New scripts are picked up without editing this file.
"""

import glob
import os

import pytest

from runtimes import PORTABLE, check_ptest_output, declared_runtimes, run_portable


def _cases():
    for script in sorted(glob.glob(os.path.join(PORTABLE, "*", "*.py"))):
        for runtime in declared_runtimes(script):
            rel = os.path.relpath(script, PORTABLE)
            yield pytest.param(script, runtime, id="%s-%s" % (rel, runtime))


@pytest.mark.parametrize("script,runtime", list(_cases()))
def test_portable(script, runtime):
    check_ptest_output(run_portable(script, runtime))
