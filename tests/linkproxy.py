"""A link to the database server that a test can cut and restore: a TCP forwarder
on 127.0.0.1 (asyncio, in a thread of its own) in front of the real server.

Cutting it aborts every connection through it and stops listening, so a client
sees "server closed the connection" on a query and "connection refused" on a new
connection — a dropped link, without touching the server the other tests use."""
from __future__ import annotations

import asyncio
import threading
from urllib.parse import urlparse, urlunparse


class LinkProxy:
    def __init__(self, server_url: str) -> None:
        parsed = urlparse(server_url)
        self.server_url = parsed
        self.target = (parsed.hostname or "127.0.0.1", parsed.port or 5432)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.listener: asyncio.Server | None = None
        self.port = 0
        self.transports: set[asyncio.BaseTransport] = set()

    @property
    def url(self) -> str:
        """The server's URL, through the proxy."""
        user = self.server_url.netloc.rpartition("@")[0]
        return urlunparse(self.server_url._replace(netloc=f"{user}@127.0.0.1:{self.port}"))

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    def start(self) -> LinkProxy:
        self.thread.start()
        self._run(self._listen())
        return self

    def cut(self) -> None:
        self._run(self._cut())

    def restore(self) -> None:
        self._run(self._listen())

    def stop(self) -> None:
        self._run(self._cut())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    async def _listen(self) -> None:
        if self.listener is None:
            self.listener = await asyncio.start_server(self._forward, "127.0.0.1",
                                                       self.port)
            self.port = self.listener.sockets[0].getsockname()[1]

    async def _cut(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        for transport in list(self.transports):
            transport.abort()
        self.transports.clear()
        await asyncio.sleep(0)

    async def _forward(self, reader, writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.transports |= {writer.transport, server_writer.transport}
        await asyncio.gather(_pipe(reader, server_writer), _pipe(server_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.transport.abort()
