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
