"""Every portable test script (tests/portable/<package>/*.py) under every runtime it declares.

The same file runs on the real MicroPython with its built-in asyncio and with fast_io, and on
CPython with asyncio and with fast_io. New scripts are picked up without editing this file.

With MICROPYTHON=path (any MicroPython build), a script reports a skip, with the reason, when
that interpreter lacks what the runtime needs (no built-in asyncio) or is older than
the oldest release its package's README supports (`Oldest MicroPython supported: 1.NN`).
"""

import functools
import glob
import os

import pytest

from runtimes import (
    PORTABLE,
    check_ptest_output,
    declared_runtimes,
    missing_for,
    run_portable,
    unsupported,
)


@functools.lru_cache(maxsize=None)
def _package_of_folder():
    """tests/portable/<name>: name is a package or a module a package installs."""
    from manifest import discover

    owners = {}
    for name, package in discover().items():
        owners[name] = name
        for file in package.files:
            owners.setdefault(file.target_path.split("/")[0].rsplit(".py", 1)[0], name)
    return owners


def _cases():
    for script in sorted(glob.glob(os.path.join(PORTABLE, "*", "*.py"))):
        for runtime in declared_runtimes(script):
            rel = os.path.relpath(script, PORTABLE)
            yield pytest.param(script, runtime, id="%s-%s" % (rel, runtime))


@pytest.mark.parametrize("script,runtime", list(_cases()))
def test_portable(script, runtime):
    folder = os.path.basename(os.path.dirname(script))
    package = _package_of_folder().get(folder)
    reason = missing_for(runtime) or (package and unsupported(package, runtime))
    if reason:
        pytest.skip(reason)
    check_ptest_output(run_portable(script, runtime))
