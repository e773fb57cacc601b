"""Failures that come from the machine, not the program, said in one line a cadre
can act on: a full disk, a read-only file or directory, a path that does not exist,
a damaged database file, an unreachable database server.

SQLite often reports a full disk as a plain I/O error, or only as "cannot rollback"
after the failed write, so an otherwise unexplained database error is checked
against the free space where the database lives.
"""
from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from models.core.i18n import t

LOW_SPACE = 1 << 20  # bytes: with less free, a failed write is the full disk

OS_ERRORS = {
    errno.ENOSPC: "error.disk_full",
    errno.EDQUOT: "error.disk_full",
    errno.EROFS: "error.read_only",
    errno.EACCES: "error.read_only",
    errno.EPERM: "error.read_only",
    errno.ENOENT: "error.not_found",
    errno.ENOTDIR: "error.not_found",
    errno.EISDIR: "error.is_dir",
}

SQLITE_ERRORS = {  # primary result codes
    sqlite3.SQLITE_FULL: "error.disk_full",
    sqlite3.SQLITE_READONLY: "error.read_only",
    sqlite3.SQLITE_PERM: "error.read_only",
    sqlite3.SQLITE_CORRUPT: "error.damaged",
    sqlite3.SQLITE_NOTADB: "error.damaged",
    sqlite3.SQLITE_BUSY: "error.busy",
    sqlite3.SQLITE_LOCKED: "error.busy",
    sqlite3.SQLITE_CANTOPEN: "error.cannot_open",
    sqlite3.SQLITE_IOERR: "error.io",
}


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The error and what it wraps: Peewee puts the driver's error first in its
    arguments, Python chains the rest (a failed rollback names the failed write)."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        context = None if current.__suppress_context__ else current.__context__
        pending += [c for c in (*current.args[:1], current.__cause__, context)
                    if isinstance(c, BaseException)]


def _database_path() -> Path | None:
    from models.core.db import database, is_sqlite
    db = database.obj
    return Path(db.database) if db is not None and is_sqlite(db) else None


def _short_of_space(where: Path | None) -> bool:
    place = where
    while place is not None and not place.exists():
        place = place.parent if place != place.parent else None
    return place is not None and shutil.disk_usage(place).free < LOW_SPACE


def _place(filename) -> Path | None:
    """The file, or the folder it was to be made in (a full or read-only disk, a
    missing folder: the folder is what the person has to look at)."""
    if not filename:
        return None
    path = Path(filename)
    return path if path.exists() else path.parent


def _cannot_open(where: Path | None) -> str:
    """SQLite says only "unable to open": find out why."""
    if where is not None and not where.parent.is_dir():
        return t("error.not_found", where=where.parent)
    if where is not None and where.is_dir():
        return t("error.is_dir", where=where)
    return t("error.read_only", where=where)


def _postgres(exc: BaseException) -> str | None:
    state = getattr(exc, "sqlstate", None) or ""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if state == "53100":
        return t("error.server_disk_full", detail=detail)
    if not state or state.startswith(("08", "28", "3D", "57P")):
        return t("error.unreachable", detail=detail)
    return None


# SQLSTATEs of a link that went away: the connection exceptions (class 08) and the
# server shutting down, crashed or still starting
LINK_STATES = ("08", "57P01", "57P02", "57P03")


def is_lost_link(exc: BaseException) -> bool:
    """Whether the database server went out of reach (refused, closed, timed out):
    worth waiting and trying again, where a bug or a refusal is not.

    libpq's own connection failures carry no SQLSTATE; those the server sent when
    refusing the connection (a wrong password, no such database) say FATAL, and
    trying again will not help them — unless the server is only starting up or
    shutting down. SQLite is a local file: never a lost link."""
    for cause in _causes(exc):
        if not type(cause).__module__.startswith("psycopg"):
            continue
        import psycopg
        if not isinstance(cause, (psycopg.OperationalError, psycopg.InterfaceError)):
            return False
        state = getattr(cause, "sqlstate", None)
        if state:
            return state.startswith(LINK_STATES)
        text = str(cause)
        return "FATAL:" not in text or "the database system is" in text
    return False


def describe_failure(exc: BaseException, where: Path | str | None = None) -> str | None:
    """One line naming the cause and what to do, for failures of the disk, the files
    or the database server; None for anything else (a bug: let it be reported).

    `where` is the file concerned; by default the open SQLite database."""
    where = Path(where) if where is not None else _database_path()
    database_error = file_error = None
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno is not None:
            key = OS_ERRORS.get(cause.errno)
            if key:
                return t(key, where=_place(cause.filename) or where)
            file_error = file_error or cause
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None and SQLITE_ERRORS.get(code & 0xFF) not in (None, "error.io"):
            key = SQLITE_ERRORS[code & 0xFF]
            return _cannot_open(where) if key == "error.cannot_open" else t(key, where=where)
        if type(cause).__module__.startswith("psycopg"):
            return _postgres(cause) or t("error.database", detail=cause)
        if isinstance(cause, sqlite3.Error):
            database_error = database_error or cause
    if database_error is None and file_error is None:
        return None
    if _short_of_space(where):
        return t("error.disk_full", where=where)
    if database_error is not None:
        code = getattr(database_error, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_IOERR:
            return t("error.io", where=where, detail=database_error)
        return t("error.database", detail=database_error)
    return t("error.io", where=_place(file_error.filename) or where,
             detail=file_error.strerror)
