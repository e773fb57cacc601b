"""PostgreSQL: `kiosk backup` and `kiosk restore` with pg_dump / pg_restore."""
import os
import shutil
import subprocess

import pytest

from models.core.db import database, is_sqlite
from models.core.entities import Counter, Station
from models.core.i18n import t
from models.errands.intake import reserve_numbers

from .conftest import kiosk

PG = "postgresql://kiosk:secret@127.0.0.1:1/none"  # never reached: the tools are missing


def env_with(tmp_path, path):
    return {**os.environ, "PATH": path, "XDG_DATA_HOME": str(tmp_path / "data")}


def test_without_the_postgres_tools_say_what_to_install(tmp_path):
    no_tools = env_with(tmp_path, str(tmp_path))
    done = kiosk("--db", PG, "backup", env=no_tools)
    assert done.returncode == 1 and done.stderr.strip() == t("pg.no_tool", tool="pg_dump")
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP")
    done = kiosk("--db", PG, "restore", str(dump), "--yes", env=no_tools)
    assert done.returncode == 1 and done.stderr.strip() == t(
        "cli.restore.refused", reason=t("pg.no_tool", tool="pg_restore"))


def issue(count):
    with database.atomic():
        return reserve_numbers(2026, count)


def test_round_trip_keeps_the_numbering(db_url, station, tmp_path):
    if is_sqlite(database.obj):
        pytest.skip("the SQLite restore has its own tests")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore not installed")
    env = env_with(tmp_path, os.environ["PATH"])
    before = issue(3)
    made = kiosk("--db", db_url, "backup", env=env)
    assert made.returncode == 0, made.stderr
    dumps = list((tmp_path / "data").rglob("*.dump"))
    assert len(dumps) == 1 and str(dumps[0]) in made.stderr
    checked = kiosk("--db", db_url, "check", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    after = issue(5)  # handed out after the backup
    Station.update(name="改过的名字").execute()
    done = kiosk("--db", db_url, "restore", str(dumps[0]), "--yes", env=env)
    assert done.returncode == 0, done.stderr
    assert Station.get().name == station.name  # the data is the backup's
    assert Counter.get(Counter.name == "errand-2026").value == int(after[-1][-6:])
    assert issue(1) > after[-1:] > before[-1:]
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a dump")
    refused = kiosk("--db", db_url, "restore", str(junk), "--yes", env=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert subprocess.run(["pg_restore", "--list", str(dumps[0])],
                          capture_output=True).returncode == 0


def test_only_a_station_head_restores_over_postgres(db_url, station):
    from kiosk.backup import BackupError
    from kiosk.pgtools import check_restorer
    if is_sqlite(database.obj):
        pytest.skip("the SQLite restore has its own tests")
    check_restorer(db_url, "tester")  # the station head
    check_restorer(db_url, None)  # the machine's administrator
    with pytest.raises(BackupError) as refused:
        check_restorer(db_url, "stranger")
    assert str(refused.value) == t("restore.not_head", login="stranger")
