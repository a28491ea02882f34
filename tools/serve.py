#!/usr/bin/env python3
"""Build every package and serve the mip index over HTTP, for boards on the LAN.

    python tools/serve.py [--host 0.0.0.0] [--port 8000] [--output build/index]

Prints the lines to type on a board (`mip.install`) or on the host (`mpremote mip install`).
The index is static files: any web server can serve build/index instead of this one.
"""

import argparse
import errno
import functools
import http.server
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from build import ROOT, BuildError, ManifestError, build_index  # noqa: E402


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves files and records each request path in server.requests."""

    def log_message(self, fmt, *args):
        if self.server.quiet:
            return
        super().log_message(fmt, *args)

    def do_GET(self):
        self.server.requests.append(self.path)
        super().do_GET()


class IndexServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, directory, host="127.0.0.1", port=0, quiet=False):
        self.requests = []  # every path asked for, in order: tests read it
        self.quiet = quiet
        handler = functools.partial(_Handler, directory=directory)
        super().__init__((host, port), handler)

    @property
    def url(self):
        host, port = self.server_address[:2]
        return "http://%s:%d" % (host, port)

    def start(self):
        """Serve from a background thread; returns self."""
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


# Where a packet to another network would leave from: the address of the interface that holds
# the default route. Connecting a UDP socket sends nothing; it only asks the routing table.
# 192.0.2.1 is TEST-NET-1 (RFC 5737), reachable only through the default route.
_ROUTE_PROBE = ("192.0.2.1", 9)


def lan_address(probe=_ROUTE_PROBE):
    """This machine's address on the interface with the default route, or None when there is
    no default route (or it gives only a loopback address), so nothing a board could reach."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(probe)
            address = s.getsockname()[0]
    except OSError:
        return None
    if address.startswith("127.") or address == "0.0.0.0":
        return None
    return address


NO_LAN_ADDRESS = (
    "serve: this machine has no default route, so no address a board could reach was found: "
    "pass --host with this computer's LAN address (or connect it to the network)"
)


def usage_lines(url, packages, board_url=True):
    """The lines to type. With board_url=False the URL is this computer's loopback address:
    right for mpremote (which downloads on the computer), useless on a board, so no board
    line is given."""
    names = list(packages)
    example = names[0] if names else "NAME"
    lines = [
        "Index: %s" % url,
        "Packages: %s" % ", ".join("%s %s" % (n, p.version) for n, p in packages.items()),
    ]
    if board_url:
        lines += [
            "On a board (network connected):",
            "    import mip; mip.install(%r, index=%r)" % (example, url),
        ]
    else:
        lines += ["On a board: no LAN address found (see above); pass --host ADDRESS"]
    lines += [
        "From a computer with the board on USB:",
        "    mpremote mip install --index %s %s" % (url, example),
    ]
    return lines


def _stderr(line):
    print(line, file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--output", default=os.path.join(ROOT, "build", "index"))
    parser.add_argument("--mpy-cross", help="path to mpy-cross (default: from PATH)")
    parser.add_argument("--root", default=ROOT, help="repository to build (default: this one)")
    parser.add_argument(
        "--micropython-lib", help="a checkout of micropython-lib (default: $MPY_LIB_DIR)"
    )
    args = parser.parse_args(argv)
    # Take the port before building: a second serve must not rebuild the index that the first
    # one is serving, and a busy port is one clear line, not a traceback.
    try:
        server = IndexServer(args.output, args.host, args.port)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            print(
                "serve: port %d is already in use (another serve?): stop it or pass --port"
                % args.port,
                file=sys.stderr,
            )
        else:
            print(
                "serve: cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror),
                file=sys.stderr,
            )
        return 1
    try:
        try:
            packages = build_index(
                args.output,
                args.mpy_cross,
                root=args.root,
                log=_stderr,
                micropython_lib=args.micropython_lib,
            )
        except (ManifestError, BuildError) as e:
            print("serve: build failed: %s" % e, file=sys.stderr)
            return 1
        except OSError as e:
            print(
                "serve: build failed: %s: %s" % (e.filename or args.output, e.strerror),
                file=sys.stderr,
            )
            return 1
        host, board = args.host, True  # an address given by hand is used as given
        if args.host in ("0.0.0.0", ""):
            host = lan_address()
            if host is None:
                print(NO_LAN_ADDRESS, file=sys.stderr)
                host, board = "127.0.0.1", False  # still right for mpremote on this computer
        url = "http://%s:%d" % (host, server.server_address[1])
        lines = usage_lines(url, packages, board)
        print("\n".join(lines), flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
