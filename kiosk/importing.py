"""`kiosk import residents|catalogue FILE` and `kiosk export residents|catalogue`:
the station head's spreadsheets in and out.

An import reads the file (kiosk.tables), hands its rows to the domain, which
imports the good rows in one transaction, and writes the rejected rows next to the
input, in the input's own format, with a 原因 column; corrected, that file can be
imported on its own. Exit status: 0 all rows in (or unchanged), 3 the good rows in
and some rejected, 1 nothing done (a file, a heading or a login refused), 2 the
command itself is wrong or the database cannot be opened.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.core.db import database
from models.core.entities import Station
from models.core.i18n import t
from models.core.session import Session, session_for
from models.core.table_import import (
    REASON_HEADING,
    Column,
    ImportReport,
    Progress,
    find_layout,
)
from models.core.validation import ValidationError
from models.errands import catalogue_import
from models.people import register_import, register_rows
from models.station.team import SignInRefused, sign_in

from .config import os_login
from .tables import Table, TableError, read_table, write_table

OK, REFUSED, USAGE, SOME_REJECTED = 0, 1, 2, 3
PROGRESS_FROM = 1000  # rows: a shorter file is done before a bar would help


@dataclass(frozen=True)
class Kind:
    """What can be imported and exported, and how."""
    columns: tuple[Column, ...]
    required: tuple[tuple[str, ...], ...]
    load: Callable[..., ImportReport]
    table: Callable[[Session], tuple[list[str], list[list[str]]]]
    personal: bool  # an export of it holds personal data: the event log notes it


KINDS = {
    "residents": Kind(register_rows.COLUMNS, register_rows.REQUIRED,
                      register_import.import_register, register_import.register_table, True),
    "catalogue": Kind(catalogue_import.COLUMNS, catalogue_import.REQUIRED,
                      catalogue_import.import_catalogue, catalogue_import.catalogue_table,
                      False),
}


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
    return session_for(Station.get_by_id(cadre.station_id), cadre, login)


def rejects_path(table: Table) -> Path:
    """'花名册.csv' -> '花名册-拒收.csv'; a rejects file read back is written over."""
    path, mark = table.path, "-" + t("import.rejects_mark")
    suffix = ".xlsx" if table.kind == "xlsx" else path.suffix
    stem = path.stem if path.stem.endswith(mark) else path.stem + mark
    return path.with_name(stem + suffix)


def write_rejects(table: Table, report: ImportReport) -> Path:
    """The heading row and each rejected row as it came, with its reason."""
    layout = report.layout
    headings = list(layout.headings)
    column = layout.reason_column
    if column is None:
        column = len(headings)
        headings.append(REASON_HEADING)
    rows = []
    for index in sorted(report.rejected):
        row = list(table.rows[index]) + [""] * max(0, len(headings) - len(table.rows[index]))
        row[column] = report.rejected[index]
        rows.append(row)
    path = rejects_path(table)
    write_table(path, headings, rows, like=table)
    return path


def _when_long(progress: Progress) -> Progress:
    """A progress bar for the stages of a long file only."""
    def shown(done: int, total: int, label: str) -> None:
        if total >= PROGRESS_FROM:
            progress(done, total, label)
    return shown


def _has_heading(kind: Kind, overrides: dict[str, str]) -> Callable[[list[list[str]]], bool]:
    def check(top: list[list[str]]) -> bool:
        try:
            find_layout(top, kind.columns, kind.required, overrides)
        except ValidationError:
            return False
        return True
    return check


def summary(table: Table, report: ImportReport, rejects: Path | None) -> list[str]:
    source = (t("import.source.xlsx", sheet=table.sheet) if table.kind == "xlsx"
              else t("import.source.csv", encoding=table.encoding_name))
    lines = [t("import.read", path=table.path, source=source,
               heading_row=report.layout.heading_row + 1),
             t("import.counts", added=report.added, updated=report.updated,
               unchanged=report.unchanged, rejected=len(report.rejected))]
    if report.kinds:
        lines.append(t("import.reasons", reasons=t("import.list_separator").join(
            t("import.reason_count", kind=t(f"import.kind.{kind}"), count=count)
            for kind, count in report.kinds.most_common())))
    lines += report.notes
    if report.layout.unused:
        lines.append(t("import.unused", headings=t("import.list_separator").join(
            report.layout.unused)))
    if rejects is not None:
        lines.append(t("import.rejects_written", path=rejects))
    if report.dry_run:
        lines.append(t("import.dry_run"))
    return lines


def run_import(what: str, file: str, overrides: dict[str, str], sheet: str | None,
               dry_run: bool, progress: Progress) -> int:
    """`kiosk import`, on the database the shell has opened."""
    kind = KINDS[what]
    table = None
    try:
        with database.connection_context():
            actor = signed_in()
            shown = _when_long(progress)
            table = read_table(Path(file).expanduser(), sheet,
                               _has_heading(kind, overrides), shown)
            report = kind.load(table.rows, actor, overrides, dry_run, shown,
                               source=str(table.path.resolve()))
    except (SignInRefused, TableError, ValidationError) as refused:
        _say(str(refused) + _sheet_hint(table, refused))
        return REFUSED
    rejects, unwritten = None, None
    if report.rejected:
        try:
            rejects = write_rejects(table, report)
        except TableError as exc:  # the import stands: say what it did, then this
            unwritten = str(exc)
    for line in summary(table, report, rejects):
        _say(line)
    if unwritten:
        _say(unwritten)
    return SOME_REJECTED if report.rejected else OK


def _sheet_hint(table: Table | None, refused: Exception) -> str:
    """A heading not found in a workbook of several sheets: perhaps the wrong one."""
    if (table is None or len(table.sheets) < 2
            or getattr(refused, "code", None) != "import.no_heading"):
        return ""
    others = [name for name in table.sheets if name != table.sheet]
    return t("table.sheets_hint", sheet=table.sheet,
             sheets=t("import.list_separator").join(others))


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
    except (SignInRefused, TableError, ValidationError) as refused:
        _say(str(refused))
        return REFUSED
    _say(t("export.table_done", rows=len(rows), path=path))
    return OK
