"""Importing a table a station keeps in Excel: finding its heading row, matching the
headings to fields, one transaction for the good rows, and the report of what an
import did. The register and the service catalogue both import through this; what
a row means is theirs.

Rows come in as lists of text cells, as the sheet has them (a title row and blank
rows may come before the headings). A row is referred to by its index in that list;
the sheet shows it as row index + 1.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from models.core import guard, history
from models.core.db import retrying
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import ValidationError, fail

# The column a rejects file adds; read back, it is ignored.
REASON_HEADING = "原因"
HEADING_SEARCH_ROWS = 10  # a title and a blank row or two may come before the headings
# Longer than any field takes: refused whole, rather than cut without a word.
MAX_CELL = 2000

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, label: str) -> None:
    pass


@dataclass(frozen=True)
class Column:
    field: str
    headings: tuple[str, ...]  # the ways clerks head it; exports write the first


def compact(text: str) -> str:
    """A cell as a word is compared: full-width folded, no spaces ('３ 组' -> '3组')."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def heading_key(text: str) -> str:
    """A heading as compared: '身份证号码（18位）*' -> '身份证号码'."""
    return re.sub(r"\([^)]*\)|[*:]", "", compact(text))  # （）： are ASCII after NFKC


@dataclass
class Layout:
    """Where a sheet's data is: the heading row, and which column holds which field."""
    heading_row: int
    headings: list[str]
    fields: dict[int, str]  # column index -> field
    reason_column: int | None  # a rejects file read back: its 原因 column
    unused: list[str]  # headings read past

    def values(self, row: list[str]) -> dict[str, str]:
        """A row's text by field; ValidationError for a cell no field would take."""
        values = {}
        for index, name in self.fields.items():
            text = row[index].strip() if index < len(row) else ""
            if len(text) > MAX_CELL:
                raise fail("cell", "import.reason.cell_too_long",
                           heading=self.headings[index], given=len(text), max_len=MAX_CELL)
            values[name] = text
        return values

    def records(self, rows: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
        """(index, row) for the rows below the headings that hold anything."""
        for index in range(self.heading_row + 1, len(rows)):
            if any(cell.strip() for cell in rows[index]):
                yield index, rows[index]


def _targets(columns: tuple[Column, ...]) -> dict[str, str]:
    """What `--map` may name, and every heading a column is known by -> its field."""
    targets = {column.field: column.field for column in columns}
    for column in columns:
        targets.update((heading_key(h), column.field) for h in column.headings)
    return targets


def _fields_of(headings: list[str], columns: tuple[Column, ...],
               overrides: dict[str, str]) -> dict[int, str]:
    known = _targets(columns)
    fields: dict[int, str] = {}
    for index, heading in enumerate(headings):
        key = heading_key(heading)
        name = overrides[key] if key in overrides else known.get(key)
        if not name:
            continue
        if name in fields.values():
            first = next(i for i, f in fields.items() if f == name)
            raise fail("file", "import.two_columns", first=headings[first].strip(),
                       second=heading.strip(), heading=_heading_of(columns, name))
        fields[index] = name
    return fields


def _heading_of(columns: tuple[Column, ...], name: str) -> str:
    return next(c.headings[0] for c in columns if c.field == name)


def _check_overrides(raw: dict[str, str], columns: tuple[Column, ...]) -> dict[str, str]:
    """`--map 原列名=字段`: the field by name or by any of its headings; empty to skip
    a column."""
    known = _targets(columns)
    overrides = {}
    for heading, target in raw.items():
        if target and heading_key(target) not in known:
            raise fail("map", "import.map.bad_field", given=target,
                       fields=t("import.list_separator").join(c.headings[0] for c in columns))
        overrides[heading_key(heading)] = known.get(heading_key(target), "")
    return overrides


def find_layout(rows: list[list[str]], columns: tuple[Column, ...],
                required: tuple[tuple[str, ...], ...],
                overrides: dict[str, str] | None = None) -> Layout:
    """The first of the top rows that heads every `required` field (each entry: one
    of these fields), or ValidationError saying what a heading row needs."""
    mapped = _check_overrides(overrides or {}, columns)
    for index, row in enumerate(rows[:HEADING_SEARCH_ROWS]):
        fields = _fields_of(row, columns, mapped)
        have = set(fields.values())
        if all(have & set(any_of) for any_of in required):
            return _layout(index, row, fields, mapped)
    wanted = ["/".join(_heading_of(columns, f) for f in any_of) for any_of in required]
    raise fail("file", "import.no_heading", rows=HEADING_SEARCH_ROWS,
               wanted=t("import.list_separator").join(wanted))


def _layout(index: int, row: list[str], fields: dict[int, str],
            mapped: dict[str, str]) -> Layout:
    keys = [heading_key(h) for h in row]
    absent = [h for h in mapped if h not in keys]
    if absent:
        raise fail("map", "import.map.no_column", heading=absent[0])
    reason = keys.index(REASON_HEADING) if REASON_HEADING in keys else None
    unused = [h.strip() for i, h in enumerate(row)
              if i not in fields and i != reason and h.strip()]
    return Layout(index, row, fields, reason, unused)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""
    layout: Layout
    dry_run: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: dict[int, str] = field(default_factory=dict)  # row index -> reason
    kinds: Counter = field(default_factory=Counter)  # rejections by kind (the field)
    notes: list[str] = field(default_factory=list)  # more lines for the summary

    def reject(self, index: int, error: ValidationError) -> None:
        self.rejected[index] = error.message
        self.kinds[error.field] += 1


class _DryRun(Exception):
    """Ends a dry run's transaction: everything rolls back, the report is kept."""


def import_table(table: str, rows: list[list[str]], actor: Session,
                 columns: tuple[Column, ...], required: tuple[tuple[str, ...], ...], *,
                 parse: Callable[[Layout, list[list[str]]], tuple[Any, dict]],
                 apply: Callable[[Any, ImportReport], None],
                 overrides: dict[str, str] | None, dry_run: bool, source: str) -> ImportReport:
    """An import as the station head `actor`: the headings found, every row read by
    `parse` (outside the transaction: it may take seconds) into what it gives and,
    by row index, why the others were refused; then `apply` writes the good rows
    as one write transaction, rolled back at the end of a dry run. The event log
    names the `table` and the `source` file."""
    require_head(actor)
    layout = find_layout(rows, columns, required, overrides)
    parsed, refused = parse(layout, rows)

    def attempt() -> ImportReport:  # again from the start if the database was busy
        report = ImportReport(layout, dry_run)
        for index, error in refused.items():
            report.reject(index, error)
        apply(parsed, report)
        history.record("station", actor.station_id, "import", actor, table=table,
                       source=source, added=report.added, updated=report.updated,
                       unchanged=report.unchanged, rejected=len(report.rejected))
        if dry_run:
            raise _DryRun(report)
        return report
    try:
        return retrying(attempt)
    except _DryRun as rolled_back:
        return rolled_back.args[0]


def require_head(actor: Session) -> None:
    """Imports and full exports are the station head's (said in the import's words)."""
    try:
        guard.require_head(actor)
    except ValidationError:
        raise fail("actor", "import.not_head", name=actor.cadre_name) from None
