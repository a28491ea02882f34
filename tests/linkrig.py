"""Run the two ends of a board-to-board link as two MicroPython processes (pytest side).

Each end is a script run by tests/lib/run_portable.py under a chosen runtime (mp-asyncio or
mp-fast_io), with the source tree on its path; the ends reach each other through
devmodels.wire on a 127.0.0.1 port picked here. An End collects its output lines as they come
(a thread per process), so a test can wait for a line, kill the process mid-stream and start
another in its place.
"""

import os
import queue
import socket
import subprocess
import threading
import time

from runtimes import MICROPYTHON, TEST_LIB, source_path


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class End:
    def __init__(self, script, runtime, *args):
        env = dict(os.environ)
        env["MICROPYPATH"] = os.pathsep.join([".frozen"] + source_path())
        cmd = [MICROPYTHON, os.path.join(TEST_LIB, "run_portable.py"), runtime, script]
        self.proc = subprocess.Popen(
            cmd + [str(a) for a in args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines = []
        self._new = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._new.put(None)
        self._new.put(None)

    def wait_for(self, predicate, timeout):
        """Wait until predicate(lines) is true; False when the time is up or the process
        ended first."""
        end = time.monotonic() + timeout
        while not predicate(self.lines):
            if self.proc.poll() is not None and self._new.empty():
                return predicate(self.lines)
            try:
                self._new.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                return predicate(self.lines)
            if time.monotonic() > end:
                return predicate(self.lines)
        return True

    def finish(self, timeout):
        """Wait for the process to end (killing it after `timeout` s); its output."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self.proc.wait()
        time.sleep(0.05)  # the reader thread takes the last lines
        return "\n".join(self.lines)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def records(lines, tag):
    """The integer fields of the lines starting with `tag`."""
    return [tuple(int(x) for x in ln.split()[1:]) for ln in lines if ln.startswith(tag + " ")]


def counters(lines):
    """The name/value pairs of the DONE line, as a dict."""
    for ln in lines:
        if ln.startswith("DONE "):
            f = ln.split()[1:]
            return {f[i]: int(f[i + 1]) for i in range(0, len(f) - 1, 2)}
    return None
