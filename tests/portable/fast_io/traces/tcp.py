# Trace: a TCP echo server and two clients on 127.0.0.1 (start_server, open_connection,
# readline, readexactly, read to EOF, write, drain, close, wait_closed).
import asyncio

PORT = 28441  # (below the ephemeral range: see streams.py)


async def handle(reader, writer):
    line = await reader.readline()
    print("server got", line)
    writer.write(b"echo " + line)
    await writer.drain()
    n = await reader.readexactly(2)
    print("server got exactly", n)
    writer.write(b"bye")
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    print("server closed a connection")


async def client(name):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(name + b"\n")
    await writer.drain()
    print("client got", await reader.readline())
    writer.write(b"ok")
    await writer.drain()
    print("client read to EOF", await reader.read())
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT)
    await client(b"first")
    await client(b"second")
    server.close()
    await server.wait_closed()
    print("server stopped")


asyncio.run(main())
