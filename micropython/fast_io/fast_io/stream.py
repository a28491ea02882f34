# fast_io: streams (StreamReader/StreamWriter), open_connection and start_server.
# MIT license; Copyright (c) micropython-async contributors
#
# A stream is anything with MicroPython's stream methods (read, readinto, readline, write) that
# the poller can ask for readiness: a native stream (socket, UART) registered with select.poll,
# or a class written in Python with ioctl(3, mask) returning the ready bits (1 readable,
# 4 writable, 8 error, 16 hang-up), asked directly. On CPython sockets are wrapped in _Sock,
# which gives them those methods and a fileno() for the poller.

from . import core


class Stream:
    def __init__(self, s, e={}):  # noqa: B006 (never mutated)
        if _is_socket(s):  # CPython: give the socket MicroPython's stream methods
            s = _Sock(s)
        self.s = s
        self.e = e
        self.out_buf = b""

    def get_extra_info(self, v):
        return self.e[v]

    def close(self):
        pass

    async def wait_closed(self):
        self.s.close()

    async def read(self, n=-1):
        r = b""
        while True:
            await core._io_queue.queue_read(self.s)
            r2 = self.s.read(n)
            if r2 is not None:
                if n >= 0:
                    return r2
                if not len(r2):
                    return r
                r += r2

    async def readinto(self, buf):
        while True:
            await core._io_queue.queue_read(self.s)
            n = self.s.readinto(buf)
            if n is not None:
                return n

    async def readexactly(self, n):
        r = b""
        while n:
            await core._io_queue.queue_read(self.s)
            r2 = self.s.read(n)
            if r2 is not None:
                if not len(r2):
                    raise EOFError
                r += r2
                n -= len(r2)
        return r

    async def readline(self):
        line = b""
        while True:
            await core._io_queue.queue_read(self.s)
            l2 = self.s.readline()  # may return part of a line
            if l2 is None:
                continue
            line += l2
            if not l2 or line[-1] == 10:
                return line

    def write(self, buf):
        if not self.out_buf:
            # Try to write at once.
            ret = self.s.write(buf)
            if ret == len(buf):
                return
            if ret is not None:
                buf = buf[ret:]
        self.out_buf += buf

    async def drain(self):
        if not self.out_buf:
            # Always yield, so a loop of write + drain cannot starve the others.
            await core.sleep_ms(0)
            return
        mv = memoryview(self.out_buf)
        off = 0
        while off < len(mv):
            await core._io_queue.queue_write(self.s)
            ret = self.s.write(mv[off:])
            if ret is not None:
                off += ret
        self.out_buf = b""

    # V2-era names
    async def aclose(self):
        self.s.close()

    async def awrite(self, buf, off=0, sz=-1):
        if off != 0 or sz != -1:
            buf = memoryview(buf)
            if sz == -1:
                sz = len(buf)
            buf = buf[off : off + sz]
        self.write(buf)
        await self.drain()

    awritestr = awrite


StreamReader = Stream
StreamWriter = Stream


if core.IS_MICROPYTHON:

    def _wrap(s):
        return s

    def _is_socket(s):
        return False

    _INPROGRESS = (115, 119)  # EINPROGRESS on Linux and lwIP

else:
    import socket as _socket

    class _Sock:
        # A CPython socket with MicroPython's non-blocking stream methods.
        def __init__(self, sock):
            self.sock = sock

        def fileno(self):
            return self.sock.fileno()

        def read(self, n=-1):
            if n == 0:  # as a MicroPython stream: nothing read, nothing consumed
                return b""
            try:
                return self.sock.recv(n if n > 0 else 65536)
            except (BlockingIOError, InterruptedError):
                return None

        def readinto(self, buf):
            try:
                return self.sock.recv_into(buf)
            except (BlockingIOError, InterruptedError):
                return None

        def readline(self):
            try:
                data = self.sock.recv(65536, _socket.MSG_PEEK)
            except (BlockingIOError, InterruptedError):
                return None
            i = data.find(b"\n")
            return self.sock.recv(i + 1 if i >= 0 else len(data))

        def write(self, buf):
            try:
                return self.sock.send(buf)
            except (BlockingIOError, InterruptedError):
                return None

        def close(self):
            self.sock.close()

    def _wrap(s):
        return _Sock(s)

    def _is_socket(s):
        return isinstance(s, _socket.socket)

    import errno as _errno

    _INPROGRESS = (_errno.EINPROGRESS, _errno.EWOULDBLOCK)


async def open_connection(host, port, ssl=None, server_hostname=None):
    import socket

    ai = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)[0]  # blocking lookup
    s = socket.socket(ai[0], ai[1], ai[2])
    s.setblocking(False)
    try:
        s.connect(ai[-1])
    except OSError as er:
        if er.errno not in _INPROGRESS:
            raise
    if ssl:
        if not core.IS_MICROPYTHON:
            raise NotImplementedError("ssl on CPython: use CPython's asyncio")
        if ssl is True:
            import ssl as _ssl

            ssl = _ssl.SSLContext(_ssl.PROTOCOL_TLS_CLIENT)
        s = ssl.wrap_socket(
            s, server_hostname=server_hostname or host, do_handshake_on_connect=False
        )
        s.setblocking(False)
    w = _wrap(s)
    await core._io_queue.queue_write(w)
    if not core.IS_MICROPYTHON:
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            s.close()
            raise OSError(err, "connect failed")
    ss = Stream(w)
    return ss, ss


class Server:
    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.close()
        await self.wait_closed()

    def close(self):
        self.state = True
        self.task.cancel()

    async def wait_closed(self):
        await self.task

    async def _serve(self, s, cb, ssl):
        self.state = False
        while True:
            try:
                await core._io_queue.queue_read(s)
            except core.CancelledError:
                s.close()
                if self.state:  # closed by close(): end quietly
                    return
                raise
            try:
                s2, addr = s.accept()
            except Exception:  # noqa: BLE001 (a failed accept must not stop the server)
                continue
            if ssl:
                try:
                    s2 = ssl.wrap_socket(s2, server_side=True, do_handshake_on_connect=False)
                except OSError as e:
                    from .funcs import print_exception

                    print_exception(e, core.sys.stderr)
                    s2.close()
                    continue
            s2.setblocking(False)
            s2s = Stream(_wrap(s2), {"peername": addr})
            core.create_task(cb(s2s, s2s))


async def start_server(cb, host, port, backlog=5, ssl=None):
    import socket

    ai = socket.getaddrinfo(host, port)[0]  # blocking lookup
    s = socket.socket(ai[0])
    s.setblocking(False)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(ai[-1])
    s.listen(backlog)
    srv = Server()
    srv.task = core.create_task(srv._serve(s, cb, ssl))
    try:
        await core.sleep_ms(0)  # let _serve start, so that it can handle a cancel
    except core.CancelledError:
        srv.task.cancel()
        raise
    return srv
