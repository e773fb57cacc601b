"""Putting a backup in place of the SQLite database, also when the current file is
too damaged to open.

While a restore runs it holds `<db>.restoring` (a flock, so a restore that died
leaves nothing held): open desks see it at their next poll, show a waiting screen
and start no database work; desks and commands that start meanwhile wait for it.
The current file is then copied aside as bytes through SQLite's own lock, which
keeps every connection in every process out until the backup is in place; it is
never opened, so damage cannot stop a restore.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models.core.i18n import t

from .backup import (
    STAMP,
    BackupError,
    Contents,
    backup_dir,
    copy_pages,
    fsync,
    log,
    partial_name,
    publish,
    read_database,
    read_marks,
    record_marks,
    station_names,
)
from .locks import Busy, flocked, is_held, sqlite_exclusive, wait_unheld

# Open desks look for the marker at every poll (kiosk/app.py, each 1.5 s): give them
# one poll to notice and stop, then up to WAIT_FOR_SESSIONS for work under way to end.
NOTICE = 2.0
WAIT_FOR_SESSIONS = 30.0


def marker(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + ".restoring")


def restore_underway(db_file: Path) -> bool:
    return is_held(marker(db_file))


def wait_for_restore(db_file: Path) -> None:
    wait_unheld(marker(db_file))


def _identities(stations: list[list]) -> set[tuple]:
    # id and the moment of first-run setup: a renamed station is still itself
    return {(station_id, created_at) for station_id, _, created_at in stations}


def _present(db_file: Path) -> Contents:
    """What the database being replaced holds: the file itself when it still
    answers, else what the side file last saw of it."""
    try:
        present = read_database(db_file, integrity=False)
    except BackupError:
        present = Contents([])
    marks = read_marks(db_file)
    return Contents(present.migrations, present.stations or marks.stations,
                    marks.counters, present.heads or marks.heads)


def check_restorable(backup: Path, db_file: Path, other_station: bool = False,
                     login: str | None = None) -> Contents:
    """Verify `backup`, that it is this station's and (`login` given) that the login
    is a station head's; what the backup holds, or BackupError. A database with no
    head known yet (a new machine) asks the backup who its heads are."""
    found = read_database(backup)
    present = _present(db_file)
    if login is not None and login not in (present.heads or found.heads):
        raise BackupError(t("restore.not_head", login=login))
    ours = present.stations
    if (ours and found.stations and not other_station
            and not _identities(ours) & _identities(found.stations)):
        raise BackupError(t("restore.other_station", theirs=station_names(found.stations),
                            ours=station_names(ours)))
    return found


@contextmanager
def _alone_with(db_file: Path, wait: float) -> Iterator[int | None]:
    """The descriptor of the current file with every connection kept out, or None
    when there is no file (a restore onto a new machine)."""
    if not db_file.exists():
        yield None
        return
    try:
        with sqlite_exclusive(db_file, wait) as fd:
            yield fd
    except Busy:
        raise BackupError(t("restore.in_use", path=db_file, seconds=wait)) from None


def _set_aside(fd: int, db_file: Path) -> Path:
    """Copy the current file (through the locked descriptor: opening it again in
    this process would drop the lock) and its -wal beside the backups."""
    folder = backup_dir(db_file)
    folder.mkdir(exist_ok=True)
    stem = f"{db_file.stem}-before-restore-{dt.datetime.now():{STAMP}}"
    aside = next(path for path in (folder / (f"{stem}-{n}.db" if n else f"{stem}.db")
                                   for n in itertools.count())  # two in one second
                 if not path.exists())
    size = os.fstat(fd).st_size
    with open(aside, "xb") as out:
        done = 0
        while done < size:
            sent = os.sendfile(out.fileno(), fd, done, size - done)
            if not sent:
                break
            done += sent
    wal = Path(f"{db_file}-wal")
    if wal.exists():
        shutil.copyfile(wal, f"{aside}-wal")
    return aside


def _issued_in(aside: Path) -> dict[str, int]:
    """The numbers the set-aside file had issued, when it can still be read."""
    try:
        con = sqlite3.connect(aside)
        try:
            con.execute("PRAGMA journal_mode=DELETE")  # take in its -wal: one file
        finally:
            con.close()
        return read_database(aside, integrity=False).counters
    except (sqlite3.DatabaseError, BackupError):
        return {}


def _highest(*sources: dict[str, int]) -> dict[str, int]:
    highest: dict[str, int] = {}
    for counters in sources:
        for name, value in counters.items():
            highest[name] = max(value, highest.get(name, 0))
    return highest


def continue_numbering(path: Path, counters: dict[str, int]) -> None:
    con = sqlite3.connect(path)
    try:
        with con:
            con.executemany("INSERT INTO counter (name, value) VALUES (?, ?) "
                            "ON CONFLICT (name) DO UPDATE SET value = "
                            "max(value, excluded.value)", counters.items())
    finally:
        con.close()


def restore(backup: Path, db_file: Path, found: Contents,
            wait: float = WAIT_FOR_SESSIONS) -> Path | None:
    """Put the verified `backup` (`found` is what check_restorable read in it) in
    place of `db_file`. Returns where the replaced database was set aside."""
    try:
        with flocked(marker(db_file), wait=False):
            try:
                return _swap(backup, db_file, found, wait)
            finally:
                marker(db_file).unlink(missing_ok=True)
    except Busy:
        raise BackupError(t("restore.twice", path=db_file)) from None


def _swap(backup: Path, db_file: Path, found: Contents, wait: float) -> Path | None:
    partial = partial_name(db_file)
    started = time.monotonic()
    try:
        copy_pages(backup, partial)
        if db_file.exists():
            time.sleep(max(0.0, NOTICE - (time.monotonic() - started)))
        with _alone_with(db_file, wait) as fd:
            aside = None if fd is None else _set_aside(fd, db_file)
            # Numbers handed out must never come again. The backup knows only those
            # issued before it was made; the file set aside knows the rest, when it
            # can still be read. When it cannot (the damage restore is for), the
            # side file does: every backup, check and desk session records there the
            # highest numbers it saw. Numbering continues from the highest of all.
            highest = _highest(found.counters, read_marks(db_file).counters,
                               _issued_in(aside) if aside else {})
            continue_numbering(partial, highest)
            if fd is not None:
                os.chmod(partial, stat.S_IMODE(os.fstat(fd).st_mode))
            fsync(partial)  # so that nothing but the rename can fail after this
            # the old -wal must never meet the new file: it would be replayed into it
            for extra in ("-wal", "-shm"):
                Path(f"{db_file}{extra}").unlink(missing_ok=True)
            publish(partial, db_file)
    finally:
        partial.unlink(missing_ok=True)
    record_marks(db_file, Contents(found.migrations, found.stations, highest))
    log(backup_dir(db_file), True, f"{backup} -> {db_file}")  # a new start for check
    return aside
