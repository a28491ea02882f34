"""devmodels: run and test a MicroPython application without the hardware.

`devmodels.install()` gives the application a `machine` module (devmodels.machine) where the
interpreter has none with a real Pin (the unix port, CPython); device models speak the real
protocols behind it. Submodules load on first use: `devmodels.clock`, `devmodels.machine`,
`devmodels.contact`, and every device model `devmodels.<device>`.
"""

import sys


def install():
    """Make `import machine` give devmodels.machine, unless a real machine.Pin exists (on a
    board nothing changes). Returns True when the models are in place."""
    real = sys.modules.get("machine")
    if real is None:
        try:
            import machine as real
        except ImportError:
            real = None
    if real is not None and hasattr(real, "Pin") and not hasattr(real, "set_sleep_hook"):
        return False
    from . import machine

    sys.modules["machine"] = machine
    return True


def __getattr__(name):
    # devmodels.clock, devmodels.machine, ... load when first named.
    if name.startswith("__"):
        raise AttributeError(name)
    full = __name__ + "." + name
    __import__(full)
    return sys.modules[full]
