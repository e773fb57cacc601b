"""Spreadsheets as villages keep them: .xlsx from Excel or WPS, or .csv saved by
Excel in UTF-8 or, on a Chinese Windows, GBK. Read into rows of text; written back
in the same shape (the rejects file of an import goes out as its input came in).

Every way a file can be unreadable ends in a `TableError` carrying one line for
the terminal or the screen, never a traceback.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models.core.i18n import t
from models.core.table_import import Progress, no_progress
from models.core.validation import ValidationError

# A village register of 20,000 people is 2–3 MB as csv, about 1 MB as xlsx:
# anything far bigger is the wrong file, and would not fit a 1 GB machine as rows.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
TOP_ROWS = 10  # where a sheet's headings are looked for

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the .xls / .et of Excel 97–2003 and WPS
# Cells a spreadsheet would run as formulas (CSV injection): kept text with a
# leading apostrophe, which reading takes off again
FORMULA_STARTS = ("=", "+", "-", "@")


class TableError(ValidationError):
    """The file cannot be read (or written) as a table; str() says why, in one line.
    A refusal of the file as a whole, as a form's is of a field."""

    def __init__(self, message: str) -> None:
        super().__init__("file", message)


@dataclass
class Table:
    path: Path
    rows: list[list[str]]
    kind: str = "csv"  # or "xlsx"
    encoding: str = "utf-8"  # csv: as decoded, and as a rejects file is written
    delimiter: str = ","
    sheet: str = ""  # xlsx: the sheet read
    sheets: list[str] = field(default_factory=list)  # xlsx: every sheet it has

    @property
    def encoding_name(self) -> str:
        return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030",
                "utf-16": "UTF-16"}.get(self.encoding, self.encoding)


def read_table(path: Path, sheet: str | None = None,
               has_heading: Callable[[list[list[str]]], bool] = lambda top: True,
               progress: Progress = no_progress) -> Table:
    """The rows of a csv file, or of an xlsx sheet: `sheet`, else the first whose
    top rows `has_heading`, else the first. Reading a big sheet takes seconds:
    `progress` hears of it (a csv file is read in a moment)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise TableError(t("table.not_a_file", path=path))
        if size > MAX_BYTES:
            raise TableError(t("table.too_big", path=path, size=size / 2 ** 20,
                               max=MAX_BYTES // 2 ** 20))
        with path.open("rb") as file:
            start = file.read(8)
        if start.startswith(OLE_MAGIC):
            raise TableError(t("table.old_excel", path=path))
        if start.startswith(ZIP_MAGIC):
            return _read_xlsx(path, sheet, has_heading, progress)
        return _read_csv(path)
    except FileNotFoundError:
        raise TableError(t("table.missing", path=path)) from None
    except OSError as exc:
        raise TableError(t("table.unreadable", path=path, error=exc.strerror or exc)) from None


def _decode(data: bytes) -> tuple[str, str] | None:
    """(encoding, text), or None. A byte order mark says which; else UTF-8, which
    GBK text practically never passes for; else GB18030, the superset of GBK and
    GB2312 (so a rejects file written back in it is GBK again where the input was)."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]  # Excel's "Unicode text": UTF-16 with tabs
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return encoding, data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(path: Path) -> Table:
    decoded = _decode(path.read_bytes())
    if decoded is None:
        raise TableError(t("table.encoding", path=path))
    encoding, text = decoded
    # the separator of the top lines (a title line may have none); a tie is a comma
    top = text[:TOP_ROWS * 2000].splitlines()[:TOP_ROWS]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in top))
    rows = []
    csv.field_size_limit(MAX_BYTES)  # a huge cell is the row's problem, not the file's
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([_unquoted(cell) for cell in row])
            _count(rows)
    except csv.Error as exc:
        raise TableError(t("table.bad_csv", path=path, line=len(rows) + 1, error=exc)) from None
    return Table(path, rows, "csv", encoding, delimiter)


def _unquoted(cell: str) -> str:
    """Excel's mark for "this is text": a leading apostrophe."""
    return cell[1:] if cell.startswith("'") else cell


def _count(rows: list[list[str]]) -> None:
    if len(rows) > MAX_ROWS:
        raise TableError(t("table.too_many_rows", max=MAX_ROWS))


def _read_xlsx(path: Path, sheet: str | None,
               has_heading: Callable[[list[list[str]]], bool], progress: Progress) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    broken = (zipfile.BadZipFile, KeyError, ValueError, TypeError, InvalidFileException)
    with path.open("rb") as file:  # a file, not a name: openpyxl would refuse a .csv name
        try:
            book = load_workbook(file, read_only=True, data_only=True)
        except broken as exc:
            raise TableError(t("table.bad_xlsx", path=path, error=exc)) from None
        return _read_book(path, book, sheet, has_heading, progress, broken)


def _read_book(path: Path, book, sheet: str | None,
               has_heading: Callable[[list[list[str]]], bool], progress: Progress,
               broken: tuple) -> Table:
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise TableError(t("table.no_sheet", sheet=sheet,
                               sheets=t("import.list_separator").join(names)))
        size = {name: book[name].max_row or 0 for name in names}  # as the file says
        if sheet is None:
            sheet = next((name for name in names
                          if has_heading(_sheet_rows(book[name], TOP_ROWS))), names[0])
        rows = _sheet_rows(book[sheet], progress=progress, expected=size[sheet])
    except TableError:  # a ValueError too: said already
        raise
    except broken as exc:
        raise TableError(t("table.bad_xlsx", path=path, error=exc)) from None
    finally:
        book.close()
    return Table(path, rows, "xlsx", sheet=sheet, sheets=names)


def _sheet_rows(sheet, limit: int | None = None, progress: Progress = no_progress,
                expected: int = 0) -> list[list[str]]:
    """The rows, `expected` of them if the file's own size is right: it is only
    believed for the progress bar, as some tools write a size that would cut rows off."""
    sheet.reset_dimensions()
    rows = []
    for values in sheet.iter_rows(max_row=limit, values_only=True):
        rows.append([_cell_text(value) for value in values])
        _count(rows)
        if expected and len(rows) % 500 == 0:  # a bar ends at the end, whatever it said
            progress(len(rows), max(expected, len(rows) + 1), t("import.progress.read"))
    progress(len(rows), len(rows), t("import.progress.read"))
    return rows


def _cell_text(value) -> str:
    """A cell as the clerk sees it. A number of 16 digits or more has lost digits
    in Excel (it keeps 15): shown as Excel shows it, so the import can say so."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 15:
        return f"{value:.5E}"
    return _unquoted(str(value))


def write_table(path: Path, headings: list[str], rows: list[list[str]],
                like: Table | None = None) -> None:
    """Headings and rows into `path`: shaped `like` a table read, else by the
    suffix (.xlsx, or csv in UTF-8 with the byte order mark Excel wants)."""
    kind = like.kind if like else ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    try:
        if kind == "xlsx":
            _write_xlsx(path, headings, rows, like.sheet if like else "")
        else:
            encoding = like.encoding if like else "utf-8-sig"
            with path.open("w", encoding=encoding, newline="") as file:
                writer = csv.writer(file, delimiter=like.delimiter if like else ",")
                writer.writerow(headings)
                writer.writerows([_inert_cell(cell) for cell in row] for row in rows)
    except OSError as exc:
        raise TableError(t("table.unwritable", path=path, error=exc.strerror or exc)) from None


def _inert_cell(cell: str) -> str:
    if cell.startswith(FORMULA_STARTS) and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write_xlsx(path: Path, headings: list[str], rows: list[list[str]], sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    book = Workbook(write_only=True)
    out = book.create_sheet(sheet or None)

    def text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(out, value=value)
        cell.data_type = "s"  # text, never a formula, and ID numbers keep every digit
        return cell

    out.append([text(h) for h in headings])
    for row in rows:
        out.append([text(value) for value in row])
    book.save(path)
