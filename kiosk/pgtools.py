"""PostgreSQL backups with PostgreSQL's own tools: pg_dump -Fc, pg_restore --clean.

A restore runs in one transaction, so sessions on the server see the old data or
the new, never half; while it runs they show the restoring screen (an advisory
lock, kiosk/locks.py) and read everything anew after. The counter
table (errand numbers) is left out of the restore and keeps its live values:
counters only grow, so no number handed out is ever issued again, and there is no
moment in which a session could draw one from the restored, older counter.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from models.core.i18n import t

from .backup import BackupError, take_backup

# "3608; 0 373480 TABLE DATA public counter kiosk": ids, kind, schema, tag, owner
ENTRY = re.compile(r"\d+; \d+ \d+ [A-Z ]+ public (?P<tag>.+) \S+")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(t("pg.no_tool", tool=name))
    return found


def _connection(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and an environment carrying it: a password
    on a command line is visible to every user of the machine."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is None:
        return url, env
    env["PGPASSWORD"] = unquote(parts.password)
    user, host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}@{host}")), env


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode:
        lines = [line for line in done.stderr.splitlines() if line.strip()] or [""]
        errors = [line for line in lines if "error" in line.lower()]  # not its CONTEXT:
        raise BackupError(t("pg.failed", tool=Path(args[0]).name, detail=(errors or lines)[0]))
    return done.stdout


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def dump_entries(path: Path) -> list[str]:
    """The table of contents of a dump; BackupError unless it is a duty-desk dump."""
    if not path.is_file():
        raise BackupError(t("backup.missing", path=path))
    tool = _tool("pg_restore")
    try:
        entries = _run([tool, "--list", str(path)]).splitlines()
    except BackupError as exc:
        raise BackupError(t("backup.not_ours", path=path, error=exc)) from None
    if not any(" TABLE DATA public schema_migration " in entry for entry in entries):
        raise BackupError(t("backup.not_ours", path=path, error="schema_migration"))
    return entries


def backup_postgres(url: str, folder: Path, now: dt.datetime | None = None) -> Path:
    target, env = _connection(url)
    dest, _ = take_backup(
        folder, database_name(url), ".dump",
        lambda partial: _run([_tool("pg_dump"), "-Fc", "-f", str(partial), "-d", target],
                             env),
        dump_entries, now)
    return dest


def _is_counter(entry: str) -> bool:
    match = ENTRY.fullmatch(entry)
    return bool(match) and (match["tag"] == "counter" or match["tag"].startswith("counter "))


def check_restorer(url: str, login: str | None) -> None:
    """BackupError unless `login` (None: the machine's administrator) is an active
    station head of the database to be replaced; a database with no head yet (a new
    server) has nobody to ask."""
    if login is None:
        return
    from models.core.db import make_database
    from models.core.entities import Cadre
    from models.core.session import Role
    db = make_database(url)
    with db.connection_context(), db.bind_ctx([Cadre]):
        if not db.table_exists("cadre"):
            return
        heads = {cadre.login for cadre in Cadre.select(Cadre.login).where(
            Cadre.active & (Cadre.role == Role.HEAD))}
    if heads and login not in heads:
        raise BackupError(t("restore.not_head", login=login))


def restore_postgres(url: str, dump: Path, entries: list[str]) -> None:
    """Restore a dump (`entries`: its verified table of contents) over the database.
    Open desks are told first (they show the restoring screen at their next poll and
    start no work), and come back to the restored data when it is done."""
    from models.core.db import make_database

    from .locks import Busy, server_restore_lock
    from .restore import NOTICE
    db = make_database(url)
    try:
        with db.connection_context(), server_restore_lock(db):
            keep_counters = db.table_exists("counter")
            time.sleep(NOTICE)
            _pg_restore(url, dump, [entry for entry in entries
                                    if not (keep_counters and _is_counter(entry))])
    except Busy:
        raise BackupError(t("restore.twice", path=database_name(url))) from None


def _pg_restore(url: str, dump: Path, entries: list[str]) -> None:
    target, env = _connection(url)
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as listing:
        listing.write("\n".join(entries))
        listing.flush()
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction",
              "--no-owner", "-L", listing.name, "-d", target, str(dump)], env)
