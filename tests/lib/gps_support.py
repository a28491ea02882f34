"""Helpers shared by the GPS tests (tests/portable/gps*/): NMEA sentences with their checksum,
the receiver model, and a TCP server on 127.0.0.1 that plays it.

The model is devmodels.gps; when devmodels is not importable (a venv holding only the package
under test), it is taken from this source tree, since it is test equipment.
"""

import asyncio
import random
import sys

try:
    import devmodels  # noqa: F401
except ImportError:
    sys.path.append(__file__.rsplit("/tests/lib/", 1)[0] + "/python-ecosys/devmodels")
from devmodels.gps import GPSReceiver, sentence  # noqa: E402, F401


def nmea(body, end="\r\n"):
    """A sentence from its body, as str: "$" + body + "*CS" + end."""
    crc = 0
    for c in body.encode():
        crc ^= c
    return "$%s*%02X%s" % (body, crc, end)


async def serve(play):
    """Start a server on 127.0.0.1 that runs `play(writer)` for each connection, then
    closes it; returns (server, port)."""

    async def on_connect(reader, writer):
        try:
            await play(writer)
        finally:
            await writer.drain()
            writer.close()
            if hasattr(writer, "wait_closed"):
                await writer.wait_closed()

    for _ in range(50):
        port = random.randint(20000, 60000)
        try:
            return await asyncio.start_server(on_connect, "127.0.0.1", port), port
        except OSError:  # in use: try another
            pass
    raise OSError("no free port")


async def close_server(server):
    server.close()
    if hasattr(server, "wait_closed"):
        await server.wait_closed()
