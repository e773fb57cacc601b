"""Restore: verified first, this station's only, works on a file too damaged to open,
keeps other sessions off the file while it runs, and never lets an errand number be
issued twice."""
import os
import subprocess
import sys
import time

import pytest

from kiosk.backup import BackupError, backup_dir, backup_sqlite, read_marks
from kiosk.locks import flocked
from kiosk.restore import check_restorable, marker, restore, restore_underway
from models.core.db import database, make_database
from models.core.i18n import t
from models.errands.intake import reserve_numbers

from .conftest import ROOT, kiosk, sql
from .test_backup import damage_a_page, residents, thin_out, wreck_header


def issue(db_file, count=1):
    """Errand numbers handed out, as intake does."""
    db = make_database(f"sqlite:///{db_file}")
    database.initialize(db)
    with db.connection_context(), db.atomic():
        return reserve_numbers(2026, count)


def test_restore_puts_the_backup_back_keeps_the_present_and_numbering_goes_on(demo_db):
    copy = backup_sqlite(demo_db)
    issued = issue(demo_db, 5)  # receipts already in villagers' hands
    thin_out(demo_db)
    lost = residents(demo_db)
    aside = restore(copy, demo_db, check_restorable(copy, demo_db))
    assert residents(demo_db) == 300 and residents(aside) == lost
    assert not os.path.exists(f"{aside}-wal")  # the aside copy is one file
    assert issue(demo_db) > issued[-1:]
    assert not marker(demo_db).exists()


def test_a_wrecked_file_is_restored_and_numbers_come_from_the_side_file(demo_db):
    copy = backup_sqlite(demo_db)
    issued = issue(demo_db, 3)
    backup_sqlite(demo_db)  # ... or a check, or a session's end: the side file knows
    wreck_header(demo_db)
    done = kiosk("--db", str(demo_db), "restore", str(copy), "--yes")
    assert done.returncode == 0, done.stderr
    assert residents(demo_db) == 300
    assert read_marks(demo_db).counters["errand-2026"] == int(issued[-1][-6:])
    assert issue(demo_db) > issued[-1:]
    aside = next(backup_dir(demo_db).glob("kiosk-before-restore-*.db"))
    assert t("cli.restore.aside", aside=aside) in done.stderr


def test_a_file_damaged_inside_is_restored_too(demo_db):
    copy = backup_sqlite(demo_db)
    damage_a_page(demo_db)
    done = kiosk("--db", str(demo_db), "restore", str(copy), "--yes")
    assert done.returncode == 0, done.stderr
    assert sql(demo_db, "PRAGMA integrity_check") == [("ok",)]


def test_restore_onto_a_new_machine(demo_db, tmp_path):
    copy = backup_sqlite(demo_db)
    fresh = tmp_path / "new" / "kiosk.db"
    fresh.parent.mkdir()
    assert restore(copy, fresh, check_restorable(copy, fresh)) is None
    assert residents(fresh) == 300


def test_what_is_not_a_backup_is_refused(demo_db, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    sql(other, "CREATE TABLE t (x)")
    for path in (junk, other, tmp_path / "missing.db"):
        with pytest.raises(BackupError) as refused:
            check_restorable(path, demo_db)
        done = kiosk("--db", str(demo_db), "restore", str(path), "--yes")
        assert done.returncode == 1
        assert done.stderr.strip() == t("cli.restore.refused", reason=refused.value)
    assert residents(demo_db) == 300


def test_a_backup_from_a_newer_desk_is_refused(demo_db):
    copy = backup_sqlite(demo_db)
    sql(copy, "INSERT INTO schema_migration (name, applied) VALUES ('9999_future', '')")
    with pytest.raises(BackupError) as refused:
        check_restorable(copy, demo_db)
    assert str(refused.value) == t("backup.newer", path=copy, migration="9999_future")


def test_another_stations_backup_needs_saying_so(demo_db, tmp_path):
    theirs = tmp_path / "theirs" / "kiosk.db"
    theirs.parent.mkdir()
    made = kiosk("--db", str(theirs), "demo", "--seed", "7")
    assert made.returncode == 0
    sql(theirs, "UPDATE station SET name = '东风村便民服务站', created_at = '2024-01-01 08:00:00'")
    other = backup_sqlite(theirs)
    backup_sqlite(demo_db)  # records which station this is
    refused = kiosk("--db", str(demo_db), "restore", str(other), "--yes")
    assert refused.returncode == 1 and "东风村便民服务站" in refused.stderr
    assert "--other-station" in refused.stderr
    done = kiosk("--db", str(demo_db), "restore", str(other), "--yes", "--other-station")
    assert done.returncode == 0, done.stderr
    assert sql(demo_db, "SELECT name FROM station") == [("东风村便民服务站",)]


def test_a_renamed_station_is_still_itself(demo_db):
    copy = backup_sqlite(demo_db)
    sql(demo_db, "UPDATE station SET name = '新名字便民服务站'")
    backup_sqlite(demo_db)
    check_restorable(copy, demo_db)


HOLDER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA journal_mode=wal")  # as every desk opens it
con.execute("SELECT COUNT(*) FROM resident").fetchone()
print("open", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def hold_open(db_file, seconds):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_file), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "open\n"
    return holder


def test_restore_waits_for_sessions_to_let_go(demo_db):
    copy = backup_sqlite(demo_db)
    found = check_restorable(copy, demo_db)
    holder = hold_open(demo_db, 3.5)  # longer than the notice given to open desks
    started = time.monotonic()
    restore(copy, demo_db, found)
    assert time.monotonic() - started >= 3.0
    assert holder.wait() == 0
    stubborn = hold_open(demo_db, 30)
    try:
        with pytest.raises(BackupError) as refused:
            restore(copy, demo_db, found, wait=0.5)
        assert str(refused.value) == t("restore.in_use", path=demo_db, seconds=0.5)
        assert residents(demo_db) == 300  # nothing was touched
    finally:
        stubborn.kill()
        stubborn.wait()


def test_one_restore_at_a_time(demo_db):
    copy = backup_sqlite(demo_db)
    found = check_restorable(copy, demo_db)
    assert not restore_underway(demo_db)
    with flocked(marker(demo_db)):
        assert restore_underway(demo_db)
        with pytest.raises(BackupError) as refused:
            restore(copy, demo_db, found)
        assert str(refused.value) == t("restore.twice", path=demo_db)
    assert not restore_underway(demo_db)  # the file may stay; nobody holds it


def test_commands_wait_while_a_restore_runs(demo_db):
    with flocked(marker(demo_db)):
        check = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "--db", str(demo_db),
                                  "backup"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        assert check.poll() is None
    assert check.wait(timeout=60) == 0
    assert t("restore.waiting") in check.stderr.read()


def test_asking_before_replacing(demo_db):
    copy = backup_sqlite(demo_db)
    asked = kiosk("--db", str(demo_db), "restore", str(copy), input="no\n")
    assert asked.returncode == 1 and t("cli.restore.cancelled") in asked.stderr
    silent = kiosk("--db", str(demo_db), "restore", str(copy), stdin=subprocess.DEVNULL)
    assert silent.returncode == 1 and t("cli.restore.cancelled") in silent.stderr
    done = kiosk("--db", str(demo_db), "restore", str(copy), input="yes\n")
    assert done.returncode == 0, done.stderr


def a_duty_cadre(db_file) -> str:
    return sql(db_file, "SELECT login FROM cadre WHERE role = 'duty' AND active "
               "AND login IS NOT NULL LIMIT 1")[0][0]


def test_only_a_station_head_restores(demo_db):
    copy = backup_sqlite(demo_db)
    head = sql(demo_db, "SELECT login FROM cadre WHERE role = 'admin'")[0][0]
    check_restorable(copy, demo_db, login=head)
    for login in (a_duty_cadre(demo_db), "stranger", ""):
        with pytest.raises(BackupError) as refused:
            check_restorable(copy, demo_db, login=login)
        assert str(refused.value) == t("restore.not_head", login=login)


def test_over_a_wrecked_file_the_side_file_knows_the_heads(demo_db):
    copy = backup_sqlite(demo_db)  # records the heads beside the database
    duty = a_duty_cadre(demo_db)
    sql(demo_db, f"UPDATE cadre SET role = 'admin' WHERE login = '{duty}'")
    sql(copy, f"UPDATE cadre SET role = 'admin' WHERE login = '{duty}'")
    wreck_header(demo_db)  # the file no longer says; the backup would let them in
    with pytest.raises(BackupError):
        check_restorable(copy, demo_db, login=duty)


def test_on_a_new_machine_the_backup_knows_the_heads(demo_db, tmp_path):
    copy = backup_sqlite(demo_db)
    head = sql(demo_db, "SELECT login FROM cadre WHERE role = 'admin'")[0][0]
    new = tmp_path / "new" / "kiosk.db"
    new.parent.mkdir()
    check_restorable(copy, new, login=head)
    with pytest.raises(BackupError):
        check_restorable(copy, new, login=a_duty_cadre(demo_db))


def test_the_command_refuses_a_duty_cadre(demo_db, monkeypatch, capsys):
    from kiosk import cli
    copy = backup_sqlite(demo_db)
    duty = a_duty_cadre(demo_db)
    monkeypatch.setattr(cli, "restorer", lambda: duty)
    assert cli.main(["--db", str(demo_db), "restore", str(copy), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == t("cli.restore.refused", reason=t("restore.not_head", login=duty))
    assert not list(backup_dir(demo_db).glob("*-before-restore-*"))  # nothing touched
