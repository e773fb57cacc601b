import io
import shutil
import sqlite3
import subprocess
import sys

import peewee
import pytest

from kiosk.backup import backup_sqlite
from kiosk.cli import Stop, _may_create
from kiosk.config import is_default, resolve_url
from kiosk.database import open_database
from models.core.errors import describe_failure
from models.core.i18n import t

from .conftest import fill, full_disk, kiosk, read_only_view

SCRIPT = """
import sys
from kiosk.cli import main
code = main(sys.argv[1:])
print("psycopg loaded" if sys.modules.get("psycopg") else "psycopg not loaded")
sys.exit(code)
"""


def run_cli(*args):
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True,
                          text=True, timeout=120)


def test_demo_fills_once_and_never_overwrites(tmp_path):
    path = tmp_path / "demo.db"
    first = run_cli("--db", str(path), "demo", "--seed", "3")
    assert first.returncode == 0, first.stderr
    assert "residents 300" in first.stderr
    assert "psycopg not loaded" in first.stdout  # a SQLite session skips the driver
    second = run_cli("demo", "--db", str(path))
    assert second.returncode == 0
    station = sqlite3.connect(path).execute("SELECT name FROM station").fetchone()[0]
    assert t("cli.demo.kept", url=resolve_url(str(path)), station=station) in second.stderr


def test_unreachable_database_is_reported(tmp_path):
    url = "postgresql://nobody:x@127.0.0.1:1/none"
    result = run_cli("--db", url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    with pytest.raises(peewee.OperationalError) as refused:
        open_database(url)
    assert result.stderr.strip() == describe_failure(refused.value)
    assert result.stderr.startswith(t("error.unreachable", detail="|").split("|")[0])


def one_line(done, status=2):
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    return done.stderr.strip()


def test_a_mistyped_db_is_never_made(tmp_path):
    typo = tmp_path / "no" / "such" / "kiosk.db"
    for command in ([], ["backup"], ["check"], ["export-roster"],
                    ["restore", str(tmp_path / "x.db"), "--yes"]):
        done = kiosk("--db", str(typo), *command, stdin=subprocess.DEVNULL)
        assert one_line(done) == t("error.not_found", where=typo.parent)
    assert not (tmp_path / "no").exists()
    new = tmp_path / "new.db"
    assert one_line(kiosk("--db", str(new), stdin=subprocess.DEVNULL)) == t(
        "cli.create.refused", path=new)
    for command in (["backup"], ["check"], ["export-roster"]):
        assert one_line(kiosk("--db", str(new), *command)) == t("cli.no_database", path=new)
    assert not new.exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_new_database_is_made_when_asked_for(tmp_path, monkeypatch, capsys):
    new = tmp_path / "new.db"
    _may_create(new, create=True)  # --create: no question
    monkeypatch.setattr(sys, "stdin", Terminal("no\n"))
    with pytest.raises(Stop) as stopped:
        _may_create(new, create=False)
    assert stopped.value.status == 1 and str(stopped.value) == t("cli.create.cancelled")
    assert t("cli.create.ask", path=new) in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))
    _may_create(new, create=False)


def test_only_the_default_path_is_made_silently(monkeypatch):
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    assert is_default(None) and not is_default("/tmp/x.db")
    monkeypatch.setenv("KIOSK_DATABASE_URL", "/tmp/x.db")
    assert not is_default(None)


def test_out_to_a_missing_folder_a_folder_or_a_read_only_disk(demo_db, tmp_path, mount):
    export = ("--db", str(demo_db), "export-roster", "--out")
    missing = tmp_path / "no" / "roster.html"
    assert one_line(kiosk(*export, str(missing))) == t("error.not_found", where=missing.parent)
    assert one_line(kiosk(*export, str(tmp_path))) == t("error.is_dir", where=tmp_path)
    (tmp_path / "plain").mkdir()
    read_only_view(mount, tmp_path / "plain", tmp_path / "ro")
    assert one_line(kiosk(*export, str(tmp_path / "ro" / "x.html"))) == t(
        "error.read_only", where=tmp_path / "ro")


def test_a_read_only_database(demo_db, tmp_path, mount):
    backup_sqlite(demo_db)
    read_only_view(mount, tmp_path, tmp_path / "ro")
    db = tmp_path / "ro" / "kiosk.db"
    assert one_line(kiosk("--db", str(db), "backup")) == t(
        "error.read_only", where=tmp_path / "ro" / "backups")
    assert one_line(kiosk("--db", str(db), "check")) == t(
        "error.read_only", where=tmp_path / "ro")  # where it keeps the high-water marks
    assert kiosk("--db", str(db), "export-roster").returncode == 0  # reading is fine


def test_a_full_disk(demo_template, tmp_path, mount):
    disk = tmp_path / "disk"
    full_disk(mount, disk, size=f"{demo_template.stat().st_size * 3 // 2 // 4096 * 4}k")
    db = disk / "kiosk.db"
    shutil.copyfile(demo_template, db)
    fill(disk)
    assert one_line(kiosk("--db", str(db), "backup")) == t("error.disk_full", where=db)
    assert one_line(kiosk("--db", str(db), stdin=subprocess.DEVNULL)) == t(
        "error.disk_full", where=db)



def test_what_the_desk_creates_belongs_to_the_group_not_the_world(tmp_path):
    """The database, its backups folder and copies made by one cadre's session must
    be usable by the others (same group) and by nobody else, whatever the umask."""
    import subprocess
    import sys
    db = tmp_path / "k.db"
    for command in (["--create", "demo"], ["backup"]):
        code = ("import os, sys; os.umask(0o022); from kiosk.cli import main; "
                "sys.exit(main(sys.argv[1:]))")
        done = subprocess.run([sys.executable, "-c", code, "--db", str(db), *command],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    made = list(tmp_path.rglob("*"))
    assert db in made and any(p.parent.name == "backups" for p in made)
    for path in made:
        assert path.stat().st_mode & 0o007 == 0, (path, oct(path.stat().st_mode))
