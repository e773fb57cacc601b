"""`kiosk check`: is the database sound, up to date and backed up? For a daily timer
or cron job, whose mail or failed-unit list is how anyone hears of it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from models.core.i18n import t
from models.core.schema import migration_names

from .backup import (
    BackupError,
    backup_dir,
    backups_in,
    last_failure,
    read_database,
    record_marks,
)

BACKUP_AGE = dt.timedelta(hours=26)  # a daily backup, and a little slack


@dataclass
class Finding:
    ok: bool
    text: str


def _megabytes(path: Path) -> float:
    return path.stat().st_size / 1e6


def _schema(applied: list[str]) -> Finding:
    pending = [name for name in migration_names() if name not in applied]
    if pending:
        return Finding(False, t("check.pending", count=len(pending), names=", ".join(pending)))
    return Finding(True, t("check.schema", version=migration_names()[-1]))


def _backups(folder: Path, stem: str, suffix: str, now: dt.datetime) -> list[Finding]:
    copies = backups_in(folder, stem, suffix)
    if not copies:
        return [Finding(False, t("check.no_backup", folder=folder))]
    when = max(copies)
    hours = (now - when).total_seconds() / 3600
    found = [Finding(now - when <= BACKUP_AGE,
                     t("check.backup", path=copies[when], hours=hours,
                       size=_megabytes(copies[when])))]
    failure = last_failure(folder)
    if failure:
        found.append(Finding(False, t("check.backup_failed", reason=failure)))
    return found


def check_sqlite(db_file: Path, now: dt.datetime | None = None) -> list[Finding]:
    now = now or dt.datetime.now()
    try:
        contents = read_database(db_file)
    except BackupError as exc:
        found = [Finding(False, str(exc))]
    else:
        found = [Finding(True, t("check.integrity", path=db_file, size=_megabytes(db_file))),
                 _schema(contents.migrations)]
        record_marks(db_file, contents)
    return found + _backups(backup_dir(db_file), db_file.stem, ".db", now)


def check_postgres(url: str, folder: Path, now: dt.datetime | None = None) -> list[Finding]:
    from models.core.db import make_database

    from .pgtools import database_name
    db = make_database(url)
    with db.connection_context():
        applied = [name for (name,) in db.execute_sql("SELECT name FROM schema_migration")]
    return ([Finding(True, t("check.server", name=database_name(url))), _schema(applied)]
            + _backups(folder, database_name(url), ".dump", now or dt.datetime.now()))
