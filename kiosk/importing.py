"""`kiosk import residents|catalogue FILE` and `kiosk export residents|catalogue`:
the station head's spreadsheets in and out, from the command line.

The file is read and imported by the domain (models.station.table_files, which the
head's import box on screen uses too); this says what happened, a line each, and
ends with the exit status: 0 all rows in (or unchanged), 3 the good rows in and
some rejected, 1 nothing done (a file, a heading or a login refused), 2 the
command itself is wrong or the database cannot be opened.
"""
from __future__ import annotations

import sys
from pathlib import Path

from models.core.db import database
from models.core.entities import Station
from models.core.i18n import t
from models.core.session import Session, session_for
from models.core.table_import import Progress
from models.core.tables import write_table
from models.core.validation import ValidationError
from models.people import register_import
from models.station.table_files import KINDS, import_file, read_file
from models.station.team import SignInRefused, sign_in

from .config import os_login

OK, REFUSED, USAGE, SOME_REJECTED = 0, 1, 2, 3
PROGRESS_FROM = 1000  # rows: a shorter file is done before a bar would help


def _say(line: str) -> None:
    print(line, file=sys.stderr)


def parse_map(pairs: list[str]) -> dict[str, str]:
    """`--map 原列名=字段` options; ValueError naming a pair without '='."""
    overrides = {}
    for pair in pairs:
        heading, equals, target = pair.partition("=")
        if not equals or not heading.strip():
            raise ValueError(pair)
        overrides[heading.strip()] = target.strip()
    return overrides


def signed_in() -> Session:
    """The session of the OS login running the command; SignInRefused otherwise."""
    login = os_login() or ""
    cadre = sign_in(login)
    # a township cadre belongs to no station: their session looks at none
    station = Station.get_by_id(cadre.station_id) if cadre.station_id is not None else None
    return session_for(station, cadre, login)


def _when_long(progress: Progress) -> Progress:
    """A progress bar for the stages of a long file only."""
    def shown(done: int, total: int, label: str) -> None:
        if total >= PROGRESS_FROM:
            progress(done, total, label)
    return shown


def run_import(what: str, file: str, overrides: dict[str, str], sheet: str | None,
               dry_run: bool, progress: Progress) -> int:
    """`kiosk import`, on the database the shell has opened."""
    try:
        with database.connection_context():
            actor = signed_in()
            shown = _when_long(progress)
            table = read_file(what, file, sheet, overrides, shown)
            outcome = import_file(what, table, actor, overrides, dry_run, shown)
    except (SignInRefused, ValidationError) as refused:
        _say(str(refused))
        return REFUSED
    for line in outcome.lines():
        _say(line)
    return SOME_REJECTED if outcome.report.rejected else OK


def run_export(what: str, path: Path) -> int:
    """`kiosk export`, on the database the shell has opened."""
    kind = KINDS[what]
    try:
        with database.connection_context():
            actor = signed_in()
            headings, rows = kind.table(actor)
            write_table(path, headings, rows)
            if kind.personal:
                register_import.note_export(actor, what, str(path.resolve()), len(rows))
    except (SignInRefused, ValidationError) as refused:
        _say(str(refused))
        return REFUSED
    _say(t("export.table_done", rows=len(rows), path=path))
    return OK

