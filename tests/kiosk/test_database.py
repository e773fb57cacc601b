import sqlite3
import subprocess
import sys
import time

from playhouse.migrations import Runner

from kiosk.config import resolve_url
from kiosk.database import open_database
from models.core.db import MIGRATIONS_DIR, make_database
from models.core.schema import migration_names
from tests.models.test_upgrade_keeps_data import FIRST_DATA

from .conftest import ROOT


def test_resolve_url(monkeypatch, tmp_path):
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    assert resolve_url().startswith("sqlite:///") and resolve_url().endswith("kiosk.db")
    monkeypatch.setenv("KIOSK_DATABASE_URL", "postgresql://u:p@h/db")
    assert resolve_url() == "postgresql://u:p@h/db"
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_upgrade_backs_up_first(tmp_path):
    path = tmp_path / "kiosk.db"
    old = make_database(f"sqlite:///{path}")
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0001_initial")
        old.execute_sql("INSERT INTO station (name, township, created_at, version) "
                        "VALUES ('旧站', '', '2026-01-01', 1)")
    old.close()
    db, applied = open_database(f"sqlite:///{path}")
    assert applied and applied[0] != "0001_initial"
    backups = list(tmp_path.glob("kiosk.before-*.db"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT name FROM station").fetchall() == [("旧站",)]
    assert copy.execute("SELECT name FROM schema_migration").fetchall() == [("0001_initial",)]
    # opening again: nothing to apply, no second backup
    assert open_database(f"sqlite:///{path}")[1] == []
    assert len(list(tmp_path.glob("kiosk.before-*.db"))) == 1


def test_fresh_database_needs_no_backup(tmp_path):
    _, applied = open_database(f"sqlite:///{tmp_path / 'new.db'}")
    assert applied[0] == "0001_initial"
    assert list(tmp_path.glob("*.before-*")) == []


OPENER = """
import sys, time
from kiosk.database import open_database
start = float(sys.argv[2])
time.sleep(max(0, start - time.time()))
print(open_database(sys.argv[1])[1])
"""


def test_desks_opening_an_older_database_at_once(tmp_path):
    """One upgrades, under the lock; the others wait, then open the upgraded file."""
    path = tmp_path / "kiosk.db"
    old = make_database(f"sqlite:///{path}")
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0001_initial")
        for statement in FIRST_DATA:
            old.execute_sql(statement)
    old.close()
    start = str(time.time() + 2.0)  # all started first, then all open in the same instant
    desks = [subprocess.Popen([sys.executable, "-c", OPENER, f"sqlite:///{path}", start],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(6)]
    results = [(desk.wait(timeout=120), *desk.communicate()) for desk in desks]
    assert [code for code, _, _ in results] == [0] * 6, results
    upgraded = [out for _, out, _ in results if out.strip() != "[]"]
    assert len(upgraded) == 1 and migration_names()[-1] in upgraded[0]
    assert len(list(tmp_path.glob("kiosk.before-*.db"))) == 1
    assert not list(tmp_path.glob("*.partial"))
    con = sqlite3.connect(path)
    assert [n for (n,) in con.execute("SELECT name FROM schema_migration ORDER BY name")] \
        == migration_names()
    assert con.execute("SELECT COUNT(*) FROM errand").fetchone() == (1,)
