"""`kiosk public` in a real pseudo-terminal, as the hall's screen runs it: the keys
that stop, suspend or quit a terminal program do nothing, neither do the signals
themselves; a villager's lookup works and the screen goes home when left alone."""
from __future__ import annotations

import os
import signal
import sys
import termios
import time

import pytest

from models.core.i18n import t

from ..terminal import Terminal
from .conftest import ROOT, kiosk, sql

# Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+Q, Ctrl+P (the palette), Ctrl+D, Ctrl+S, Tab, F1
BREAKOUT_KEYS = [b"\x03", b"\x1a", b"\x1c", b"\x11", b"\x10", b"\x04", b"\x13", b"\t",
                 b"\x1bOP"]


def process_state(pid: int) -> str:
    """R, S, T (stopped), Z…: the third field of /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0]


def test_no_key_or_signal_leaves_the_public_screen(demo_db):
    pytest.importorskip("pyte")
    number, phone = sql(demo_db, "SELECT errand.number, resident.phone FROM errand "
                                 "JOIN resident ON resident.id = errand.resident_id "
                                 "WHERE resident.phone LIKE '1%' ORDER BY errand.id "
                                 "DESC LIMIT 1")[0]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(demo_db.parent),
           "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT),
           "TEXTUAL_ALLOW_SIGNALS": "1"}  # set by mistake: public mode drops it
    terminal = Terminal([sys.executable, "-m", "kiosk.cli", "public", "--db", str(demo_db),
                         "--idle", "2"], env, 120, 40)
    try:
        assert terminal.wait_for(t("public.menu.4")), terminal.text()
        assert not termios.tcgetattr(terminal.fd)[3] & termios.ISIG  # keys send no signal
        for key in BREAKOUT_KEYS:
            terminal.press(key)
            time.sleep(0.2)
        for number_ in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
            os.kill(terminal.pid, number_)
            time.sleep(0.2)
        assert terminal.wait_exit(limit=1) is None  # still running
        assert process_state(terminal.pid) != "T"  # and not stopped
        assert terminal.wait_for(t("public.menu.1")), terminal.text()
        assert t("palette.placeholder") not in terminal.text()

        terminal.press(b"1")  # it answers: a lookup from the demo's data
        assert terminal.wait_for(t("public.lookup.number")), terminal.text()
        terminal.press(number.replace("-", "").encode() + b"\r" + phone[-4:].encode() + b"\r")
        assert terminal.wait_for(number), terminal.text()
        assert terminal.wait_for(t("public.found.status")), terminal.text()
        # left alone, it goes home and the lookup is gone
        assert terminal.wait_for(t("public.menu.4"), limit=10), terminal.text()
        assert number not in terminal.text()
    finally:
        terminal.close()


def test_policy_cards_of_a_group_are_written(demo_db, tmp_path):
    out = tmp_path / "知情卡.html"
    done = kiosk("export", "policy-cards", "--group", "1", "--out", str(out),
                 "--db", str(demo_db))
    households = sql(demo_db, "SELECT count(*) FROM household JOIN villager_group "
                              "ON villager_group.id = household.group_id "
                              "WHERE villager_group.number = 1")[0][0]
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count('class="card"') == households > 0
    assert "耕地地力保护补贴" in page  # a policy of the demo for every household
    assert sql(demo_db, "SELECT count(*) FROM event WHERE action = 'export'") == [(1,)]
    assert kiosk("export", "policy-cards", "--out", str(out), "--db",
                 str(demo_db)).returncode == 2  # which group?


def test_public_mode_needs_a_station(tmp_path):
    db = tmp_path / "kiosk.db"
    db.touch()  # an empty file is an empty database
    done = kiosk("public", "--db", str(db))
    assert done.returncode == 1 and t("public.no_station") in done.stderr
