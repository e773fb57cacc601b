"""Daily backups of the SQLite database, kept for two weeks, and restoring one.

Copies are made with SQLite's backup API while others keep working (never by
copying the file, which could catch a half-written page). A PostgreSQL server is
backed up by its own tools (pg_dump) on the township server.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from pathlib import Path

from models.core.i18n import t

KEEP_DAYS = 14


class BackupError(RuntimeError):
    pass


def backup_dir(db_file: Path) -> Path:
    return db_file.parent / "backups"


def partial_name(dest: Path) -> Path:
    """A temporary name beside `dest` that no other process uses (pid + clock)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}-{time.time_ns()}.partial")


def copy_database(source: Path, dest: Path) -> Path:
    """A consistent copy of a (possibly open) SQLite database."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_name(dest)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(partial)
        with out:
            src.backup(out)
        out.close()
    finally:
        src.close()
    partial.replace(dest)  # a backup is whole or absent, never half there
    return dest


def daily_backup(db_file: Path, today: dt.date | None = None,
                 keep: int = KEEP_DAYS) -> Path | None:
    """Today's copy if there is none yet; copies older than `keep` days go.

    Returns the new copy, or None when today's already existed."""
    today = today or dt.date.today()
    folder = backup_dir(db_file)
    dest = folder / f"{db_file.stem}-{today:%Y%m%d}.db"
    made = None
    if not dest.exists():
        made = copy_database(db_file, dest)
    for old in sorted(folder.glob(f"{db_file.stem}-*.db")):
        stamp = old.stem.rsplit("-", 1)[-1]
        try:
            day = dt.datetime.strptime(stamp, "%Y%m%d").date()
        except ValueError:
            continue
        if (today - day).days >= keep:
            old.unlink()
    return made


def check_backup(path: Path) -> None:
    """Refuse anything that is not a sound duty-desk database."""
    if not path.is_file():
        raise BackupError(t("backup.missing", path=path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(t("backup.damaged", path=path))
            con.execute("SELECT COUNT(*) FROM schema_migration").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(t("backup.not_ours", path=path, error=exc)) from None


def restore(backup: Path, db_file: Path) -> Path:
    """Put a backup in place of the database; the current one is kept aside first.

    Returns where the replaced database was saved."""
    check_backup(backup)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = backup_dir(db_file) / f"{db_file.stem}-before-restore-{stamp}.db"
    if db_file.exists():
        copy_database(db_file, aside)
    target = sqlite3.connect(db_file)
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
    finally:
        target.close()
    return aside
