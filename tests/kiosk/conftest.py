"""A small demo database, made once per run and copied for each test that needs one."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str, **kw) -> subprocess.CompletedProcess:
    """The `kiosk` command, as a person runs it."""
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, **kw)


def sql(path: Path, *statements: str) -> list[tuple]:
    """Run statements on a database file, as another tool would; the last one's rows."""
    con = sqlite3.connect(path)
    try:
        with con:
            rows = [con.execute(statement).fetchall() for statement in statements]
        return rows[-1]
    finally:
        con.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "kiosk.db"
    made = kiosk("--db", str(path), "demo")
    assert made.returncode == 0, made.stderr
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Path:
    """A demo station's database (300 residents), closed: one file."""
    path = tmp_path / "kiosk.db"
    shutil.copyfile(demo_template, path)
    return path


SHARED_LOGIN = "zhiban"
PIN = "2468"


@pytest.fixture
def shared_desk(demo_db) -> tuple[int, str]:
    """The demo station's desk gets a shared login (SHARED_LOGIN), every active cadre
    the same PIN. The cadre whose name is second on the sign-in list: (id, name)."""
    from kiosk.database import open_database
    from models.core.db import database
    from models.core.entities import Cadre, Station
    from models.core.session import Role
    from models.station.pins import pin_cadres, set_pin
    from models.station.settings import SettingsForm, settings_of, update_settings
    from tests.actors import acting
    open_database(f"sqlite:///{demo_db}")
    with database.connection_context():
        station, templates = settings_of(Station.get().id)
        head = acting(Cadre.get((Cadre.station == station) & (Cadre.role == Role.HEAD)))
        update_settings(station.id, station.version, SettingsForm(
            station.name, station.township, str(station.callback_days),
            str(station.nights_required),
            {tp.id: f"{tp.name} {tp.starts}-{tp.ends}" for tp in templates}, SHARED_LOGIN),
            head)
        for cadre in Cadre.select().where((Cadre.station == station) & Cadre.active):
            set_pin(cadre.id, PIN, head)
        second = pin_cadres(station.id)[1]
    return second.id, second.name


@pytest.fixture
def mount(tmp_path):
    """mount(*options, source, target): a real full or read-only disk for a test (as
    root; skipped where mounting is not allowed). Unmounted afterwards."""
    made = []

    def run(*args: str) -> None:
        done = subprocess.run(["mount", *args], capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"cannot mount here: {done.stderr.strip()}")
        made.append(args[-1])

    yield run
    for target in reversed(made):
        subprocess.run(["umount", "-l", target], check=False)


def full_disk(mount, folder: Path, size: str = "2m") -> None:
    folder.mkdir(exist_ok=True)
    mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass


def read_only_view(mount, source: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    mount("--bind", str(source), str(target))
    mount("-o", "remount,bind,ro", str(target))
