#!/usr/bin/env python3
"""Build every package and serve the mip index over HTTP, for boards on the LAN.

    python tools/serve.py [--host 0.0.0.0] [--port 8000] [--output build/index]

Prints the lines to type on a board (`mip.install`) or on the host (`mpremote mip install`).
The index is static files: any web server can serve build/index instead of this one.
"""

import argparse
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


def _lan_address():
    # The address other machines on the LAN most likely reach this one at.
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def usage_lines(url, packages):
    names = list(packages)
    example = names[0] if names else "NAME"
    lines = [
        "Index: %s" % url,
        "Packages: %s" % ", ".join("%s %s" % (n, p.version) for n, p in packages.items()),
        "On a board (network connected):",
        "    import mip; mip.install(%r, index=%r)" % (example, url),
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
    args = parser.parse_args(argv)
    try:
        packages = build_index(args.output, args.mpy_cross, root=args.root, log=_stderr)
    except (ManifestError, BuildError) as e:
        print("serve: build failed: %s" % e, file=sys.stderr)
        return 1
    server = IndexServer(args.output, args.host, args.port)
    host = _lan_address() if args.host == "0.0.0.0" else args.host
    url = "http://%s:%d" % (host, server.server_address[1])
    lines = usage_lines(url, packages)
    if args.host == "0.0.0.0" and host.startswith("127."):
        lines.append(
            "(Listening on every interface: on a board, use this computer's LAN address.)"
        )
    print("\n".join(lines), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
