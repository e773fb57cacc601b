import sqlite3

from playhouse.migrations import Runner

from kiosk.config import resolve_url
from kiosk.database import open_database
from models.core.db import MIGRATIONS_DIR, make_database


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
