"""`kiosk check`: exit 0 only when the database is sound, current and backed up."""
import datetime as dt
import os

from kiosk.backup import backup_dir, backup_sqlite, read_marks
from kiosk.check import check_sqlite
from models.core.i18n import t
from models.core.schema import latest_migration

from .conftest import kiosk, sql
from .test_backup import damage_a_page, wreck_header


def lines(findings):
    return [(finding.ok, finding.text) for finding in findings]


def test_all_well(demo_db):
    copy = backup_sqlite(demo_db)
    os.remove(f"{demo_db}.highwater.json")
    done = kiosk("--db", str(demo_db), "check")
    assert done.returncode == 0, done.stdout + done.stderr
    size = demo_db.stat().st_size / 1e6
    for text in (t("check.integrity", path=demo_db, size=size),
                 t("check.schema", version=latest_migration())):
        assert t("check.line", mark=t("check.good"), text=text) in done.stdout
    assert str(copy) in done.stdout
    assert read_marks(demo_db).counters  # a check refreshes the high-water marks


def test_no_backup_or_an_old_one(demo_db):
    assert lines(check_sqlite(demo_db))[-1] == (
        False, t("check.no_backup", folder=backup_dir(demo_db)))
    copy = backup_sqlite(demo_db, now=dt.datetime(2026, 11, 1, 12))
    later = dt.datetime(2026, 11, 2, 14, 30)  # 26.5 hours
    assert lines(check_sqlite(demo_db, now=later))[-1] == (
        False, t("check.backup", path=copy, hours=26.5, size=copy.stat().st_size / 1e6))
    assert kiosk("--db", str(demo_db), "check").returncode == 1


def test_a_damaged_or_unreadable_database(demo_db):
    backup_sqlite(demo_db)
    damage_a_page(demo_db)
    assert lines(check_sqlite(demo_db))[0] == (False, t("backup.damaged", path=demo_db))
    wreck_header(demo_db)
    done = kiosk("--db", str(demo_db), "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert t("check.line", mark=t("check.bad"), text=t("backup.damaged", path=demo_db)) \
        in done.stdout


def test_a_pending_migration(demo_db):
    backup_sqlite(demo_db)
    sql(demo_db, f"DELETE FROM schema_migration WHERE name = '{latest_migration()}'")
    assert (False, t("check.pending", count=1, names=latest_migration())) in lines(
        check_sqlite(demo_db))


def test_a_failed_last_backup_is_reported(demo_db):
    backup_sqlite(demo_db)
    damage_a_page(demo_db)
    kiosk("--db", str(demo_db), "backup")
    assert (False, t("check.backup_failed", reason=t("backup.damaged", path=demo_db))) in \
        lines(check_sqlite(demo_db))


def test_no_database_at_all(tmp_path):
    done = kiosk("--db", str(tmp_path / "none.db"), "check")
    assert done.returncode == 2
    assert done.stderr.strip() == t("cli.no_database", path=tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()
