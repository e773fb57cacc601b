"""The station head's spreadsheets in and out, as files: the register (户籍花名册)
and the service catalogue. `kiosk import` / `kiosk export` and the import box of
the head's screens both work through here.

A file is read (`read_file`), may be looked at before anything is written
(`preview`: the heading row found, which column becomes which field, the first
rows), then imported (`import_file`): the domain takes the good rows in one
transaction, and the rejected rows go next to the input, in its own format, with
a 原因 column; corrected, that file can be imported on its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.core.i18n import t
from models.core.session import Session
from models.core.table_import import (
    REASON_HEADING,
    Column,
    ImportReport,
    Layout,
    Progress,
    find_layout,
    no_progress,
    require_head,
)
from models.core.tables import Table, TableError, read_table, write_table
from models.core.validation import ValidationError, fail
from models.errands import catalogue_import
from models.people import register_import, register_rows

PREVIEW_ROWS = 5


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


def read_file(what: str, file: str, sheet: str | None = None,
              overrides: dict[str, str] | None = None,
              progress: Progress = no_progress) -> Table:
    """The rows of `file` (a workbook: `sheet`, else the first with the headings
    of `what`); TableError saying in one line why it cannot be read."""
    if not file.strip():
        raise fail("file", "import.no_file")
    kind = KINDS[what]

    def has_heading(top: list[list[str]]) -> bool:
        try:
            find_layout(top, kind.columns, kind.required, overrides)
        except ValidationError:
            return False
        return True
    return read_table(Path(file.strip()).expanduser(), sheet or None, has_heading, progress)


@dataclass
class Preview:
    """What an import of a file would read, before anything is written."""
    table: Table
    layout: Layout
    mapping: list[tuple[str, str]]  # (heading as in the file, the field it goes to)
    rows: list[list[str]]  # the first rows below the headings, as the file has them
    count: int  # rows below the headings that hold anything


def preview(what: str, file: str, actor: Session, sheet: str | None = None,
            overrides: dict[str, str] | None = None) -> Preview:
    """`file` read (see `read_file`): its heading row and the column -> field
    mapping the import will use, with the first rows; ValidationError when the
    file cannot be read or no heading is found. The station head's, as the import."""
    require_head(actor)
    kind = KINDS[what]
    table = read_file(what, file, sheet, overrides)
    layout = _with_sheet_hint(table, lambda: find_layout(table.rows, kind.columns,
                                                          kind.required, overrides))
    names = {column.field: column.headings[0] for column in kind.columns}
    mapping = [(layout.headings[index].strip(), names[field])
               for index, field in sorted(layout.fields.items())]
    records = [row for _, row in layout.records(table.rows)]
    return Preview(table, layout, mapping, records[:PREVIEW_ROWS], len(records))


@dataclass
class Outcome:
    """What an import of a file did."""
    table: Table
    report: ImportReport
    rejects: Path | None  # where the rejected rows were written
    unwritten: str  # why they could not be (the import stands all the same)

    def lines(self) -> list[str]:
        """The summary, a line each: what was read, the counts, the reasons, the
        rejects file."""
        return summary(self.table, self.report, self.rejects) + (
            [self.unwritten] if self.unwritten else [])


def import_file(what: str, table: Table, actor: Session,
                overrides: dict[str, str] | None = None, dry_run: bool = False,
                progress: Progress = no_progress) -> Outcome:
    """Import a table read by `read_file` as the station head `actor`, and write
    its rejected rows beside it."""
    report = _with_sheet_hint(table, lambda: KINDS[what].load(
        table.rows, actor, overrides, dry_run, progress, source=str(table.path.resolve())))
    rejects, unwritten = None, ""
    if report.rejected:
        try:
            rejects = write_rejects(table, report)
        except TableError as exc:
            unwritten = str(exc)
    return Outcome(table, report, rejects, unwritten)


def _with_sheet_hint(table: Table, step: Callable):
    """A heading not found in a workbook of several sheets: perhaps the wrong one."""
    try:
        return step()
    except ValidationError as refused:
        if len(table.sheets) < 2 or refused.code != "import.no_heading":
            raise
        others = [name for name in table.sheets if name != table.sheet]
        raise ValidationError(refused.field, refused.message + t(
            "table.sheets_hint", sheet=table.sheet,
            sheets=t("import.list_separator").join(others)), refused.code) from None


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


def source_text(table: Table) -> str:
    """"CSV，GBK/GB18030 编码" or "Excel 工作表“花名册”"."""
    return (t("import.source.xlsx", sheet=table.sheet) if table.kind == "xlsx"
            else t("import.source.csv", encoding=table.encoding_name))


def summary(table: Table, report: ImportReport, rejects: Path | None) -> list[str]:
    lines = [t("import.read", path=table.path, source=source_text(table),
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
