"""Faults on demand, for testing an application's error handling.

Most faults are methods of the part they break:

- a device disappears: `i2c.detach(addr)`, or `i2c.fault(addr, errno.ENODEV)`;
- a bus error for the next transactions: `i2c.fault(addr, errno.EIO, count=1)`;
- a stuck pin: `pin.stick(0)` ... `pin.stick(None)`;
- a UART that goes silent: `uart.peer.silent = True`; a wrong baud rate:
  `uart.peer.baudrate = 4800`;
- a corrupted reading: device models offer their own (a bad CRC, ...).

This module adds line noise on a pin.
"""

from .clock import sleep_ms
from .contact import Lcg


def glitch(pin):
    """A pulse too short to measure: the line flips and comes back at once, so an irq
    handler sees both edges."""
    before = pin.driven()
    level = pin.value()
    pin.drive(level ^ 1)
    if before is None:
        pin.undrive()
    else:
        pin.drive(before)


async def noise(pin, ms, seed=1):
    """Drive random levels onto `pin` for `ms`: one to three flips every ms, then give the
    line back as it was."""
    rand = Lcg(seed)
    before = pin.driven()
    for _ in range(ms):
        for _ in range(1 + rand.below(3)):
            pin.drive(rand.below(2))
        await sleep_ms(1)
    if before is None:
        pin.undrive()
    else:
        pin.drive(before)
