"""`kiosk serve` refuses, in one line and before listening, whatever would open the
desk to anyone or sign anyone in without a PIN. (The browser itself:
test_serve_browser.py.)"""
from __future__ import annotations

import socket

from kiosk.config import os_login
from kiosk.serve import PAGE, is_loopback, session_command, write_page
from models.core.i18n import t

from .conftest import SHARED_LOGIN, kiosk


def test_only_loopback_unless_behind_a_proxy(demo_db):
    for host in ("0.0.0.0", "192.168.1.5", "desk.example.cn"):
        refused = kiosk("serve", "--db", str(demo_db), "--host", host)
        assert (refused.returncode, refused.stderr) == (2, t("serve.not_loopback",
                                                              host=host) + "\n")
    # said to sit behind a proxy, it goes on to the next check
    behind = kiosk("serve", "--db", str(demo_db), "--host", "0.0.0.0",
                   "--public-behind-proxy", "--shared-login", "nobody")
    assert (behind.returncode, behind.stderr) == (2, t("serve.not_shared",
                                                        login="nobody") + "\n")
    assert all(map(is_loopback, ("127.0.0.1", "127.0.1.1", "::1", "localhost")))


def test_a_login_that_is_no_station_s_shared_one_is_refused(demo_db):
    """The demo's head is the login that made it: a cadre's own login would sign
    every browser user in as that cadre."""
    refused = kiosk("serve", "--db", str(demo_db))
    assert (refused.returncode, refused.stderr) == (2, t("serve.not_shared",
                                                          login=os_login()) + "\n")


def test_a_port_in_use_is_said_in_one_line(demo_db, shared_desk):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = kiosk("serve", "--db", str(demo_db), "--shared-login", SHARED_LOGIN,
                        "--port", str(port))
    assert (refused.returncode, refused.stderr) == (2, t(
        "serve.port_taken", host="127.0.0.1", port=port) + "\n")
    assert refused.stdout == ""  # nothing claimed to be listening
    for port in ("0", "70000"):
        refused = kiosk("serve", "--db", str(demo_db), "--shared-login", SHARED_LOGIN,
                        "--port", port)
        assert (refused.returncode, refused.stderr) == (2, t("serve.bad_port", port=port)
                                                         + "\n")


def test_no_database_is_made_to_serve(tmp_path):
    refused = kiosk("serve", "--db", str(tmp_path / "typo.db"), "--shared-login", "x")
    assert refused.returncode == 2 and not (tmp_path / "typo.db").exists()


def test_each_browser_session_signs_in_by_pin_and_its_command_holds_no_password():
    command = session_command(SHARED_LOGIN)
    assert command.endswith(f"-m kiosk.cli --pin-at {SHARED_LOGIN}")
    assert "TEXTUAL_FPS=30" in command  # the SSH rate, not textual-serve's 60
    assert "postgresql" not in command and "--db" not in command


def test_the_page_is_chinese_and_loads_nothing_from_outside(tmp_path):
    page = (write_page(tmp_path) / PAGE).read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    assert "googleapis" not in page and "https://" not in page
    assert t("serve.page.ended") in page and t("serve.page.restart") in page
    assert "Session ended" not in page and "Restart" not in page


def test_a_desk_in_a_terminal_never_loads_textual_serve():
    from tests.test_architecture import loaded_after
    loaded = loaded_after("import kiosk.cli, kiosk.app")
    assert not {"textual_serve", "aiohttp", "kiosk.serve"} & loaded
