"""A peer of native/bench/echo_server.c for ci/bench's peers group: an asyncio Protocol echo
server on uvloop (Debian's python3-uvloop), the fast path a Python user picks. Each chunk is
written back; reading pauses while the transport's write buffer is over its high-water mark.
Prints "Listening on <port>"; SIGINT or SIGTERM end it.
    python3 uvloop_echo_server.py [port] [host]
"""
import asyncio
import signal
import socket
import sys

import uvloop


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data):
        self.transport.write(data)

    def pause_writing(self):
        self.transport.pause_reading()

    def resume_writing(self):
        self.transport.resume_reading()


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: done.done() or done.set_result(None))
    server = await loop.create_server(Echo, host, port, backlog=4096)
    print("Listening on", server.sockets[0].getsockname()[1], flush=True)
    await done
    server.close()


if __name__ == "__main__":
    uvloop.install()
    asyncio.run(main())
