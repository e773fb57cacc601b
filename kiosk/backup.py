"""Backups: a fresh, verified copy each time, kept by day, week and month.

SQLite is copied with its backup API while others keep working (never by copying
the file, which could catch a half-written page); PostgreSQL with pg_dump
(kiosk/pgtools.py). A copy gets its final name only after it passed the check
(SQLite: integrity_check, and our schema), so every file named like a backup is a
verified one; rotation always keeps the newest, so the last good copy never goes.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models.core.errors import describe_failure
from models.core.i18n import t
from models.core.schema import migration_names

from .config import default_sqlite_path

STAMP = "%Y%m%d-%H%M%S"


class BackupError(RuntimeError):
    pass


class Damaged(BackupError):
    """The file fails integrity_check, or is not even readable as a database."""


@dataclass
class Contents:
    """What the file-level jobs need to know of a database."""
    migrations: list[str]
    stations: list[list] = field(default_factory=list)  # [id, name, created_at]
    counters: dict[str, int] = field(default_factory=dict)  # errand-YEAR: last number
    heads: list[str] = field(default_factory=list)  # OS logins of active station heads


def station_names(stations: list[list]) -> str:
    return t("restore.separator").join(name for _, name, _ in stations)


def backup_dir(db_file: Path) -> Path:
    return db_file.parent / "backups"


def backups_folder(db_file: Path | None) -> Path:
    """SQLite: beside the database. PostgreSQL: the platform data directory."""
    return backup_dir(db_file or default_sqlite_path())


def read_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def partial_name(dest: Path) -> Path:
    """A temporary name beside `dest` that no other process uses (pid + clock)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}-{time.time_ns()}.partial")


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(partial: Path, dest: Path) -> None:
    """Give a finished copy its name, durably: whole or absent after a power cut."""
    fsync(partial)
    os.replace(partial, dest)
    fsync(dest.parent)


def _damage(exc: sqlite3.DatabaseError) -> bool:
    return exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def copy_pages(source: Path, dest: Path) -> None:
    """A consistent copy of a (possibly open) SQLite database into `dest`."""
    try:
        src = sqlite3.connect(read_uri(source), uri=True)
        try:
            out = sqlite3.connect(dest)
            try:
                src.backup(out)
                # a copy is one self-contained file: reading it leaves no -wal/-shm
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        if _damage(exc):
            raise Damaged(t("backup.damaged", path=source)) from None
        raise


def copy_database(source: Path, dest: Path) -> Path:
    """A consistent copy of a (possibly open) SQLite database, whole or absent."""
    partial = partial_name(dest)
    try:
        copy_pages(source, partial)
        publish(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest


def read_database(path: Path, integrity: bool = True, shown_as: Path | None = None
                  ) -> Contents:
    """Check that `path` is a sound duty-desk database this program can open, and
    read what restore and the high-water file need. BackupError if it is not,
    naming `shown_as` (the database a temporary copy was made of)."""
    shown = shown_as or path
    if not path.is_file():
        raise BackupError(t("backup.missing", path=path))
    try:
        con = sqlite3.connect(read_uri(path), uri=True)
        try:
            if integrity and con.execute("PRAGMA integrity_check(1)").fetchone()[0] != "ok":
                raise Damaged(t("backup.damaged", path=shown))
            found = Contents(
                [name for (name,) in con.execute("SELECT name FROM schema_migration")],
                [list(row) for row in con.execute(
                    "SELECT id, name, created_at FROM station ORDER BY id")],
                dict(con.execute("SELECT name, value FROM counter "
                                 "WHERE name LIKE 'errand-%'")),
                [login for (login,) in con.execute(
                    "SELECT login FROM cadre WHERE active AND role = 'admin' "
                    "AND login IS NOT NULL ORDER BY id")])
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if _damage(exc):
            raise Damaged(t("backup.damaged", path=shown)) from None
        raise BackupError(t("backup.not_ours", path=shown, error=exc)) from None
    unknown = sorted(set(found.migrations) - set(migration_names()))
    if unknown:
        raise BackupError(t("backup.newer", path=shown, migration=unknown[-1]))
    if not found.migrations:
        raise BackupError(t("backup.not_ours", path=shown, error="schema_migration"))
    return found


# -- rotation --------------------------------------------------------------------

def backups_to_keep(times: Iterable[dt.datetime], last: int = 4, days: int = 14,
                    weeks: int = 8, months: int = 12) -> set[dt.datetime]:
    """Of these backup times, the ones to keep: the `last` newest (a noon copy is not
    lost to the evening's), and the newest of each of the last `days` days, `weeks`
    ISO weeks and `months` months that have a backup (days without one do not
    count, so a machine left switched off loses nothing)."""
    newest_first = sorted(set(times), reverse=True)
    kept = set(newest_first[:max(last, 1)])
    periods = (lambda when: when.date(), lambda when: when.isocalendar()[:2],
               lambda when: (when.year, when.month))
    for period, count in zip(periods, (days, weeks, months)):
        seen: list = []
        for when in newest_first:
            if period(when) not in seen:
                if len(seen) == count:
                    break
                seen.append(period(when))
                kept.add(when)
    return kept


def backups_in(folder: Path, stem: str, suffix: str) -> dict[dt.datetime, Path]:
    """The verified backups in `folder`, by time (partial and aside copies are named
    otherwise)."""
    name = re.compile(re.escape(stem) + r"-(\d{8}-\d{6})" + re.escape(suffix))
    found = {}
    for path in folder.glob(f"{stem}-*{suffix}"):
        match = name.fullmatch(path.name)
        if match:
            found[dt.datetime.strptime(match[1], STAMP)] = path
    return found


def take_backup(folder: Path, stem: str, suffix: str, write: Callable[[Path], None],
                verify: Callable[[Path], object], now: dt.datetime | None = None
                ) -> tuple[Path, object]:
    """Write a copy, verify it, name it, then rotate; the log has a line either way.
    Returns the copy and what `verify` found in it."""
    dest = folder / f"{stem}-{(now or dt.datetime.now()):{STAMP}}{suffix}"
    partial = partial_name(dest)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write(partial)
        found = verify(partial)
        publish(partial, dest)
    except Exception as exc:
        log(folder, False, str(exc) if isinstance(exc, BackupError)
            else describe_failure(exc, folder) or str(exc))
        raise
    finally:
        partial.unlink(missing_ok=True)
    log(folder, True, dest.name)
    copies = backups_in(folder, stem, suffix)
    for when in set(copies) - backups_to_keep(copies):
        copies[when].unlink(missing_ok=True)
    return dest, found


# -- the log ---------------------------------------------------------------------

def log_file(folder: Path) -> Path:
    return folder / "backup.log"


def log(folder: Path, ok: bool, text: str) -> None:
    """One line per backup; `kiosk check` reports a last line that is a failure."""
    stamp = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    try:
        with open(log_file(folder), "a", encoding="utf-8") as out:
            out.write(f"{stamp} {'ok' if ok else 'FAILED'} {text}\n")
    except OSError:
        pass  # the folder itself is what failed: the caller reports that


def last_failure(folder: Path) -> str | None:
    """The last backup's failure, if the last backup failed."""
    try:
        lines = log_file(folder).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    parts = lines[-1].split(" ", 3) if lines else []
    return parts[3] if len(parts) == 4 and parts[2] == "FAILED" else None


# -- high-water marks ------------------------------------------------------------

def marks_file(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".highwater.json")


def read_marks(db_file: Path) -> Contents:
    """The station and the highest errand numbers last seen in this database."""
    try:
        data = json.loads(marks_file(db_file).read_text(encoding="utf-8"))
        return Contents([], data["stations"], data["counters"], data.get("heads", []))
    except (OSError, ValueError, KeyError, TypeError):
        return Contents([])


def record_marks(db_file: Path, seen: Contents) -> None:
    """Remember the station and the highest numbers issued. Numbers only go up: a
    database that went back (a restore) never lowers what was once handed out."""
    known = read_marks(db_file)
    counters = dict(known.counters)
    for name, value in seen.counters.items():
        counters[name] = max(value, counters.get(name, 0))
    data = {"stations": seen.stations or known.stations, "counters": counters,
            "heads": seen.heads or known.heads}
    target = marks_file(db_file)
    partial = partial_name(target)
    try:
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        publish(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def refresh_marks(db_file: Path) -> None:
    """Record the database's current high-water marks (a session ends, a check runs)."""
    record_marks(db_file, read_database(db_file, integrity=False))


# -- SQLite ----------------------------------------------------------------------

def backup_sqlite(db_file: Path, now: dt.datetime | None = None) -> Path:
    """A fresh verified copy in backups/, then rotation. A database that fails
    integrity_check is not copied: BackupError, and the log says so."""
    try:
        dest, found = take_backup(
            backup_dir(db_file), db_file.stem, ".db",
            lambda partial: copy_pages(db_file, partial),
            lambda partial: read_database(partial, shown_as=db_file), now)
    except Damaged:
        raise BackupError(t("backup.source_damaged", path=db_file)) from None
    record_marks(db_file, found)
    return dest


def daily_backup(db_file: Path, now: dt.datetime | None = None) -> Path | None:
    """The desk's own copy: made unless there is one from today already."""
    now = now or dt.datetime.now()
    if any(when.date() == now.date()
           for when in backups_in(backup_dir(db_file), db_file.stem, ".db")):
        refresh_marks(db_file)
        return None
    return backup_sqlite(db_file, now)
