"""`kiosk serve`: the desk in a browser, through textual-serve.

textual-serve starts one desk process per browser session, always with the same
command, and hands it nothing of the HTTP request: no header an authenticating
proxy adds can reach the desk. So nobody is ever signed in by where they connect
from. Every browser session is a desk at the station's shared login, and the cadre
picks their name and types their PIN (models/station/pins.py), exactly as at a
shared SSH login; the PIN's wrong tries lock as there.

textual-serve has no authentication of its own: it listens on loopback unless told
it sits behind an authenticating reverse proxy (docs/DEPLOY.md).

Only `kiosk serve` imports this module (and with it textual-serve and aiohttp): a
desk started in a terminal never pays for them.
"""
from __future__ import annotations

import asyncio
import html
import ipaddress
import os
import shlex
import socket
import sys
import tempfile
from pathlib import Path

from textual_serve.server import Server

from models.core.i18n import t

# Browser sessions draw at the desk's SSH rate (textual-serve would ask for 60)
DEFAULT_FPS = "30"
# textual-serve's page, as the desk serves it: Chinese marked as such (the browser
# then picks a Chinese font for the characters), the end-of-session words in
# Chinese, and no web font from fonts.googleapis.com, which the township's browsers
# cannot reach (a stylesheet that never loads holds the page back).
PAGE = "app_index.html"
WEB_FONT = ('    <link\n      rel="stylesheet"\n'
            '      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />\n')


def page_edits() -> list[tuple[str, str]]:
    """(upstream text, the desk's) in textual-serve 1.1.3's page template."""
    return [("<html>", '<html lang="zh-CN">'),
            (WEB_FONT, ""),
            ("Session ended.", html.escape(t("serve.page.ended"))),
            (">Restart<", f">{html.escape(t('serve.page.restart'))}<")]


def write_page(folder: Path) -> Path:
    """textual-serve's page template with the desk's edits, in `folder`."""
    source = Path(sys.modules[Server.__module__].__file__).parent / "templates" / PAGE
    text = source.read_text(encoding="utf-8")
    for upstream, ours in page_edits():
        if upstream not in text:  # a textual-serve release that changed the page
            raise RuntimeError(f"{source}: {upstream!r} not found")
        text = text.replace(upstream, ours)
    (folder / PAGE).write_text(text, encoding="utf-8")
    return folder


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: it may resolve to anything
        return False


def check_listen(host: str, port: int) -> None:
    """OSError when the address cannot be listened on (port taken, no such
    address, a port below 1024 without root) — said before anything is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        address = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)[0][4]
    except socket.gaierror as unknown:
        raise OSError(unknown.strerror) from None
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
        probe.bind(address)


def session_command(shared_login: str) -> str:
    """The command textual-serve runs for each browser session: this Python's desk,
    signing in only by PIN at the shared login. The database comes through the
    environment (KIOSK_DATABASE_URL), so a password in it is not on a command line."""
    fps = os.environ.get("TEXTUAL_FPS", DEFAULT_FPS)
    # exec: the desk is the server's own child, not a shell's
    return "exec " + shlex.join(["env", f"TEXTUAL_FPS={fps}", sys.executable, "-m",
                                 "kiosk.cli", "--pin-at", shared_login])


class DeskServer(Server):
    """textual-serve's server running the desk, saying where in the desk's words,
    and closing the open desks when it is stopped."""

    def __init__(self, shared_login: str, station_name: str, **kwargs) -> None:
        super().__init__(command=session_command(shared_login), title=t("app.title"),
                         **kwargs)
        self.shared_login = shared_login
        self.station_name = station_name
        self.sessions: set[asyncio.Task] = set()

    async def on_startup(self, app) -> None:
        print(t("serve.listening", url=self.public_url, station=self.station_name,
                login=self.shared_login), flush=True)

    async def handle_websocket(self, request):
        session = asyncio.current_task()
        self.sessions.add(session)
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions.discard(session)

    async def on_shutdown(self, app) -> None:
        """Stopped (Ctrl+C, systemctl stop): aiohttp would wait a minute for open
        browser tabs to go. Cancelled, each session tells its desk to quit (drafts
        are kept) and waits for it, so no desk outlives the server."""
        for session in list(self.sessions):
            session.cancel()
        await asyncio.gather(*self.sessions, return_exceptions=True)


def serve(url: str, shared_login: str, station_name: str, host: str, port: int,
          public_url: str | None) -> None:
    """Serve the desk until Ctrl+C / SIGTERM. The checks are the caller's."""
    os.environ["KIOSK_DATABASE_URL"] = url
    # textual-serve's own default forgets the brackets of an IPv6 address
    public_url = public_url or f"http://{f'[{host}]' if ':' in host else host}:{port}"
    with tempfile.TemporaryDirectory(prefix="kiosk-serve-") as folder:
        DeskServer(shared_login, station_name, host=host, port=port, public_url=public_url,
                   templates_path=write_page(Path(folder))).serve()
