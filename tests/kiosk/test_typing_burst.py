"""Keys that arrive together, as a slow SSH link delivers them, land where they were
typed: the real desk in a pseudo-terminal, the whole setup form in one write."""
from __future__ import annotations

import os
import sys

import pytest

from models.core.i18n import t

from ..terminal import Terminal
from .conftest import PIN, ROOT, SHARED_LOGIN, sql

BURST = "\r".join(["红旗村便民服务站", "城关镇镇\x7f", "\x7f3", "王建国", "13812345678", ""])


def test_setup_typed_in_one_write(tmp_path):
    pytest.importorskip("pyte")
    db = tmp_path / "kiosk.db"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    terminal = Terminal([sys.executable, "-m", "kiosk.cli", "--db", str(db), "--create"],
                        env, 120, 40)
    try:
        assert terminal.wait_for(t("setup.title")), terminal.text()
        terminal.press(BURST.encode())
        assert terminal.wait_for(t("home.first_day")), terminal.text()
        terminal.press(b"iqxqx")  # intake, and a search typed with the key that opens it
        assert terminal.wait_for("qxqx"), terminal.text()
        terminal.press(b"\x11")  # Ctrl+Q
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    assert sql(db, "SELECT name, township FROM station") == [("红旗村便民服务站", "城关镇")]
    assert sql(db, "SELECT name, phone FROM cadre") == [("王建国", "13812345678")]
    assert sql(db, "SELECT count(*) FROM villager_group") == [(3,)]


def test_pin_sign_in_typed_in_one_write(demo_db, shared_desk, tmp_path):
    """↓ Enter PIN Enter in one go: the PIN lands in its field, not in the name list
    the Enter has just left (a browser desk, `kiosk serve`'s, is exactly this)."""
    pytest.importorskip("pyte")
    cadre_id, cadre_name = shared_desk
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    terminal = Terminal([sys.executable, "-m", "kiosk.cli", "--db", str(demo_db),
                         "--pin-at", SHARED_LOGIN], env, 120, 40)
    try:
        assert terminal.wait_for(cadre_name), terminal.text()
        terminal.press(f"\x1b[B\r{PIN}\r".encode())
        assert terminal.wait_for(t("home.signed_in", name=cadre_name)), terminal.text()
        terminal.press(b"\x11")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    assert sql(demo_db, "SELECT entity_id FROM event WHERE action = 'signed_in_pin'") == [
        (cadre_id,)]


def test_intake_typed_in_one_write(demo_db, tmp_path):
    """i, a villager's phone, Enter, an item's initials, Enter, a material ticked,
    Ctrl+S, in one write: the person's record is read after the Enter, and the keys
    after it wait for focus to reach the item (as over slow SSH, or a browser desk)."""
    pytest.importorskip("pyte")
    name, phone, resident_id = sql(
        demo_db, "SELECT name, phone, id FROM resident WHERE status = 'present' AND "
        "length(phone) = 11 AND id NOT IN (SELECT resident_id FROM errand) "
        "ORDER BY id LIMIT 1")[0]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    terminal = Terminal([sys.executable, "-m", "kiosk.cli", "--db", str(demo_db)],
                        env, 120, 40)
    try:
        assert terminal.wait_for(t("home.today_intake")), terminal.text()
        terminal.press(f"i{phone}\rcwhzm\r \x13".encode())
        assert terminal.wait_for(t("receipt.title")), terminal.text()
        terminal.press(b"\x11")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    assert sql(demo_db, "SELECT s.name FROM errand e JOIN service_item s ON s.id = "
               f"e.item_id WHERE e.resident_id = {int(resident_id)}") == [
        ("村委会证明开具",)], name
