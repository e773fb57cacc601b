"""Backups: always a fresh copy, verified before it counts, rotated by day, week and
month without ever losing the newest good one; a damaged database is not copied."""
import datetime as dt
import os
import subprocess
import sys

import pytest

from kiosk.backup import (
    BackupError,
    backup_dir,
    backup_sqlite,
    backups_in,
    backups_to_keep,
    daily_backup,
    last_failure,
    read_database,
    read_marks,
)
from models.core.i18n import t

from .conftest import ROOT, kiosk, sql

NOON = dt.datetime(2026, 11, 20, 12, 0)


def residents(path):
    return sql(path, "SELECT COUNT(*) FROM resident")[0][0]


def thin_out(path):
    """Someone deletes most of the residents."""
    sql(path, "DELETE FROM resident_key",
        "DELETE FROM resident WHERE id NOT IN (SELECT resident_id FROM errand)")


def damage_a_page(path):
    """Garbage in the middle of the file: the header still opens, the data is broken."""
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 2 // 4096 * 4096)
        f.write(os.urandom(4096 * 4))


def wreck_header(path):
    with open(path, "r+b") as f:
        f.write(os.urandom(100))


# -- rotation, a pure function -----------------------------------------------------

def test_rotation_keeps_14_days_8_weeks_12_months():
    hours = [NOON - dt.timedelta(hours=6 * i) for i in range(4 * 800)]  # 4 a day, 800 days
    kept = backups_to_keep(hours)
    days = {when.date() for when in kept}
    assert max(hours) in kept
    recent_days = sorted({when.date() for when in hours}, reverse=True)[:14]
    assert set(recent_days) <= days
    for day in recent_days:  # one a day: the newest of that day
        assert max(when for when in hours if when.date() == day) in kept
    weeks = {when.isocalendar()[:2] for when in kept}
    months = {(when.year, when.month) for when in kept}
    assert len(weeks) >= 8 and len(months) == 12
    assert sorted(hours)[-4:] == sorted(kept)[-4:]  # the last four, whatever their day
    assert len(kept) <= 4 + 14 + 8 + 12
    assert backups_to_keep(kept) == kept  # rotating again removes nothing more
    assert len(backups_to_keep(hours, last=1, days=3, weeks=0, months=0)) == 3


def test_rotation_counts_days_that_have_a_backup():
    """A machine switched off for a month keeps its last 14 daily copies."""
    before_the_break = [NOON - dt.timedelta(days=40 + i) for i in range(20)]
    kept = backups_to_keep(before_the_break + [NOON])
    assert NOON in kept
    assert sorted(before_the_break, reverse=True)[:13] == sorted(
        (when for when in kept if when != NOON), reverse=True)[:13]


def test_rotation_of_nothing_and_of_one():
    assert backups_to_keep([]) == set()
    assert backups_to_keep([NOON]) == {NOON}


# -- making copies -----------------------------------------------------------------

def test_every_backup_is_a_fresh_verified_single_file(demo_db):
    first = backup_sqlite(demo_db, now=NOON)
    thin_out(demo_db)
    second = backup_sqlite(demo_db, now=NOON + dt.timedelta(minutes=5))
    assert first != second and first.name == "kiosk-20261120-120000.db"
    assert residents(first) == 300 and residents(second) == residents(demo_db) < 300
    for copy in (first, second):
        read_database(copy)
        assert not os.path.exists(f"{copy}-wal")  # opening it read-only leaves nothing
    assert sorted(p.name for p in backup_dir(demo_db).iterdir()) == [
        "backup.log", first.name, second.name]
    assert last_failure(backup_dir(demo_db)) is None
    marks = read_marks(demo_db)
    assert marks.stations[0][1] and marks.counters  # the station and its numbers


def test_rotation_runs_after_each_backup(demo_db):
    for hour in range(0, 24 * 20, 8):  # three a day for 20 days
        backup_sqlite(demo_db, now=NOON + dt.timedelta(hours=hour))
    kept = backups_in(backup_dir(demo_db), "kiosk", ".db")
    assert len(kept) == len(backups_to_keep(kept)) < 60
    assert max(kept) == NOON + dt.timedelta(hours=24 * 20 - 8)


def test_a_damaged_database_is_not_copied_and_the_last_good_copy_stays(demo_db):
    good = backup_sqlite(demo_db, now=NOON)
    damage_a_page(demo_db)
    with pytest.raises(BackupError) as refused:
        backup_sqlite(demo_db, now=NOON + dt.timedelta(days=1))
    assert str(refused.value) == t("backup.source_damaged", path=demo_db)
    assert list(backups_in(backup_dir(demo_db), "kiosk", ".db").values()) == [good]
    assert last_failure(backup_dir(demo_db)) == t("backup.damaged", path=demo_db)
    assert not [p for p in backup_dir(demo_db).iterdir() if p.name.endswith(".partial")]
    wreck_header(demo_db)
    with pytest.raises(BackupError) as unreadable:
        backup_sqlite(demo_db, now=NOON + dt.timedelta(days=2))
    assert str(unreadable.value) == t("backup.source_damaged", path=demo_db)
    assert list(backups_in(backup_dir(demo_db), "kiosk", ".db").values()) == [good]


def test_the_daily_copy_is_made_once_a_day_with_the_same_checks(demo_db):
    assert daily_backup(demo_db, now=NOON).name == "kiosk-20261120-120000.db"
    assert daily_backup(demo_db, now=NOON + dt.timedelta(hours=3)) is None
    damage_a_page(demo_db)
    with pytest.raises(BackupError):
        daily_backup(demo_db, now=NOON + dt.timedelta(days=1))
    assert last_failure(backup_dir(demo_db))


def test_cli_backup_always_copies(demo_db):
    made = [kiosk("--db", str(demo_db), "backup") for _ in range(2)]
    assert [m.returncode for m in made] == [0, 0]
    copies = backups_in(backup_dir(demo_db), "kiosk", ".db")
    assert str(copies[max(copies)]) in made[1].stderr


def test_cli_backup_of_a_wrecked_database(demo_db):
    wreck_header(demo_db)
    done = kiosk("--db", str(demo_db), "backup")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == t("backup.source_damaged", path=demo_db)


CONCURRENT = """
import sys
from pathlib import Path
from kiosk.backup import backup_sqlite
print(backup_sqlite(Path(sys.argv[1])))
"""


def test_backups_at_the_same_moment_never_share_a_file(demo_db):
    runs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(demo_db)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    assert [code for code, _, _ in results] == [0] * 4, results
    for copy in backups_in(backup_dir(demo_db), "kiosk", ".db").values():
        read_database(copy)
