import datetime as dt
import sqlite3
import subprocess
import sys

import pytest

from kiosk.backup import BackupError, check_backup, daily_backup, restore
from models.core.i18n import t


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args], capture_output=True,
                          text=True, timeout=120, **kw)


def residents(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT COUNT(*) FROM resident").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def demo_db(tmp_path):
    path = tmp_path / "kiosk.db"
    assert run("--db", str(path), "demo").returncode == 0
    return path


def test_daily_copies_rotate(demo_db):
    day = dt.date(2026, 11, 1)
    for offset in range(16):
        daily_backup(demo_db, today=day + dt.timedelta(days=offset))
    assert daily_backup(demo_db, today=day + dt.timedelta(days=15)) is None  # once a day
    kept = sorted(p.name for p in (demo_db.parent / "backups").glob("kiosk-*.db"))
    assert len(kept) == 14 and kept[0] == "kiosk-20261103.db"
    assert residents(demo_db.parent / "backups" / kept[-1]) == 300


def test_restore_puts_the_backup_back_and_keeps_the_present(demo_db, tmp_path):
    copy = daily_backup(demo_db)
    con = sqlite3.connect(demo_db)
    con.execute("DELETE FROM resident_key")
    con.execute("DELETE FROM resident WHERE id NOT IN (SELECT resident_id FROM errand)")
    con.commit()
    con.close()
    lost = residents(demo_db)
    assert lost < 300
    aside = restore(copy, demo_db)
    assert residents(demo_db) == 300 and residents(aside) == lost


def test_restore_refuses_what_is_not_a_backup(demo_db, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError) as refused:
        check_backup(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError):
        check_backup(other)
    done = run("--db", str(demo_db), "restore", str(junk), "--yes")
    assert done.returncode == 1
    assert t("cli.restore.refused", reason=refused.value) in done.stderr
    assert residents(demo_db) == 300


def test_cli_backup_and_restore(demo_db):
    backups = demo_db.resolve().parent / "backups"
    first = run("--db", str(demo_db), "backup")
    copy = next(backups.glob("kiosk-2*.db"))
    assert first.returncode == 0 and t("cli.backup.done", path=copy) in first.stderr
    assert t("cli.backup.already") in run("--db", str(demo_db), "backup").stderr
    asked = run("--db", str(demo_db), "restore", str(copy), input="no\n")
    assert asked.returncode == 1 and t("cli.restore.cancelled") in asked.stderr
    done = run("--db", str(demo_db), "restore", str(copy), input="yes\n")
    aside = next(backups.glob("kiosk-before-restore-*.db"))
    assert done.returncode == 0 and t("cli.restore.done", aside=aside) in done.stderr
