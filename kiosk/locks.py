"""Locks between the desk's processes on one machine, for the file-level jobs.

`flocked` takes a whole-file flock on a small lock file beside the database. flock
(unlike fcntl record locks) belongs to the open file, so two openers in one process
exclude each other too, and closing some other descriptor never drops it.

`sqlite_exclusive` takes SQLite's own lock bytes on the database file: while it is
held no connection, in any process, can read or write the database.

On PostgreSQL a restore holds an advisory lock (`server_restore_lock`) that desks
on every machine look for in pg_locks (`server_restore_underway`), which takes no
lock and reads none of the tables being restored.
"""
from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# pg_advisory_lock(int4, int4) keys: "kio", 1 = restore. In pg_locks a two-key lock
# shows as classid, objid with objsubid 2.
RESTORE_KEY = (0x6B696F, 1)

# SQLite's lock bytes (os_unix.c): PENDING, RESERVED, then 510 SHARED bytes. A
# WAL-mode connection holds a SHARED byte for as long as it is open.
SQLITE_LOCK_START = 0x40000000
SQLITE_LOCK_LENGTH = 2 + 510


class Busy(RuntimeError):
    """Someone else holds the lock (and we were told not to wait)."""


def _open(path: Path) -> int:
    # read-only is enough for flock, so any member of the desk's group can take it
    return os.open(path, os.O_RDONLY | os.O_CREAT, 0o666)


@contextmanager
def flocked(path: Path, exclusive: bool = True, wait: bool = True) -> Iterator[None]:
    """Hold a lock on `path` (made if missing); Busy when `wait` is False and it is held."""
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    while True:
        fd = _open(path)
        try:
            fcntl.flock(fd, mode)
        except BlockingIOError:
            os.close(fd)
            raise Busy(path) from None
        if os.path.exists(path) and os.path.samestat(os.fstat(fd), os.stat(path)):
            break
        os.close(fd)  # removed by its holder while we waited: lock the new one
    try:
        yield
    finally:
        os.close(fd)


def is_held(path: Path) -> bool:
    """Whether someone holds an exclusive flock on `path` (a file left behind by a
    process that died is not held: its lock went with it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # none, or not ours to read: nothing we could wait for
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def wait_unheld(path: Path) -> None:
    """Return once nobody holds an exclusive flock on `path` (at once if none)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)


@contextmanager
def sqlite_exclusive(db_file: Path, wait: float) -> Iterator[int]:
    """Wait up to `wait` seconds until no connection has the database open, then keep
    every connection out. Yields the descriptor holding the lock: close no other
    descriptor of this file meanwhile (that drops fcntl locks), read through it.

    Busy if connections stay open longer than `wait`."""
    fd = os.open(db_file, os.O_RDWR)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, SQLITE_LOCK_LENGTH,
                            SQLITE_LOCK_START, os.SEEK_SET)
                break
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                if time.monotonic() > deadline:
                    raise Busy(db_file) from None
                time.sleep(0.05)
        yield fd
    finally:
        os.close(fd)


def server_restore_underway(db) -> bool:
    """Whether a restore holds this PostgreSQL database (`db`: a Peewee database)."""
    return db.execute_sql(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 "
        "AND classid = %s AND objid = %s AND database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())",
        RESTORE_KEY).fetchone() is not None


@contextmanager
def server_restore_lock(db) -> Iterator[None]:
    """Hold the restore's advisory lock on `db`'s connection; Busy if another has it."""
    if not db.execute_sql("SELECT pg_try_advisory_lock(%s, %s)", RESTORE_KEY).fetchone()[0]:
        raise Busy(RESTORE_KEY)
    try:
        yield
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s, %s)", RESTORE_KEY)
