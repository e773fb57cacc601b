"""Sheets (models.reports.sheets) written as an Excel workbook the township can read
and print, or one sheet as a csv file.

Every sheet of a workbook: a title line, the heading row (bold, frozen with the
title above it, repeated on every printed page), columns as wide as their text (a
Chinese character counts as two), numbers, rates, days and dates in their own
formats, A4 fitted to the page width (across the page when the table is wide).
Written in openpyxl's streaming mode: a month of errands is thousands of rows.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from models.core.i18n import t
from models.core.tables import write_table
from models.core.text import inert
from models.reports.sheets import Cell, Kind, Sheet, as_text

FORMATS = {Kind.COUNT: "0", Kind.RATIO: "0.0%", Kind.DAYS: t("report.days_format"),
           Kind.DATE: "yyyy-mm-dd", Kind.TIME: "yyyy-mm-dd hh:mm", Kind.TEXT: "@"}
STYLED = (Kind.RATIO, Kind.DAYS, Kind.TIME)  # the others read right as they are
FIXED_WIDTH = {Kind.RATIO: 7, Kind.DAYS: 7, Kind.DATE: 10, Kind.TIME: 16}
MIN_WIDTH, MAX_WIDTH = 6, 48  # characters; longer text wraps within its column
HEADING_LINE = 12  # a longer heading wraps onto a second line
GLYPH_ROOM = 1.1
PADDING = 2
TITLE_SIZE = 14 / 11  # the title's font against the body's
TWO_LINES = 30  # points: a wrapped heading, or a row with room to sign
HEADING_ROWS = 2  # the title line and the heading row
A4 = 9  # the paper size code of the spreadsheet format


def text_width(text: str) -> int:
    """Columns `text` takes on screen: CJK and full-width characters count two."""
    longest = 0
    for line in text.split("\n"):
        wide = sum(1 for char in line
                   if ord(char) >= 0x1100 and unicodedata.east_asian_width(char) in "WF")
        longest = max(longest, len(line) + wide)
    return longest


def _widths(sheet: Sheet) -> list[int]:
    """Each column as wide as its widest value (a long heading wraps), a little
    more for the space a Chinese glyph takes beyond two digits; together at least
    as wide as the title."""
    widths = []
    for index, column in enumerate(sheet.columns):
        width = min(text_width(column.heading), HEADING_LINE)
        fixed = FIXED_WIDTH.get(column.kind)
        for row in sheet.rows:
            value = row[index]
            if isinstance(value, Cell):
                value = as_text(value.value, value.kind)
            if value is None:
                continue
            width = max(width, fixed or (text_width(value) if isinstance(value, str)
                                         else len(str(value))))
        widths.append(round(min(MAX_WIDTH, max(MIN_WIDTH, width)) * GLYPH_ROOM) + PADDING)
    short = round(text_width(sheet.title) * TITLE_SIZE) - sum(widths)
    if short > 0:
        widths[widths.index(max(widths))] += short
    return widths


class _Cells:
    """Cells of one streamed sheet, the styles made once."""

    def __init__(self, out) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        self.out, self.make = out, WriteOnlyCell
        self.title_font = Font(bold=True, size=14)
        self.heading_font = Font(bold=True)
        self.heading_fill = PatternFill("solid", fgColor="DDE4EE")
        thin = Side(style="thin", color="808080")
        self.box = Border(top=thin, bottom=thin, left=thin, right=thin)
        self.centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.wrapped = Alignment(vertical="top", wrap_text=True)

    def cell(self, value, **style):
        cell = self.make(self.out, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def text(self, value: str, limit: int):
        """Text as text: never a formula, control characters left out (a file
        with them would not open), long text wrapped in its column."""
        value = inert(value, multiline=True)
        if value.startswith("=") or text_width(value) > limit:
            cell = self.cell(value, alignment=self.wrapped)
            cell.data_type = "s"
            return cell
        return value

    def value(self, value, kind: Kind, limit: int, border=None):
        if isinstance(value, Cell):
            value, kind = value.value, value.kind
        if isinstance(value, str):
            value = self.text(value, limit)
        elif value is not None and kind in STYLED:
            value = self.cell(value, number_format=FORMATS[kind])
        if border is None:
            return value
        if not hasattr(value, "border"):
            value = self.cell(value)
        value.border = border
        return value


def _write_sheet(book, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter
    out = book.create_sheet(sheet.name)
    widths = _widths(sheet)
    for index, width in enumerate(widths, 1):
        out.column_dimensions[get_column_letter(index)].width = width
    out.freeze_panes = f"A{HEADING_ROWS + 1}"
    out.print_title_rows = f"{HEADING_ROWS}:{HEADING_ROWS}"
    out.page_setup.paperSize = A4
    out.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    out.page_setup.fitToWidth, out.page_setup.fitToHeight = 1, 0
    out.sheet_properties.pageSetUpPr.fitToPage = True
    out.print_options.horizontalCentered = True
    cells = _Cells(out)
    out.append([cells.cell(sheet.title, font=cells.title_font)])
    if any(text_width(heading) > HEADING_LINE for heading in sheet.headings):
        out.row_dimensions[HEADING_ROWS].height = TWO_LINES
    out.append([cells.cell(heading, font=cells.heading_font, fill=cells.heading_fill,
                           border=cells.box, alignment=cells.centred)
                for heading in sheet.headings])
    kinds = [column.kind for column in sheet.columns]
    limits = [width - PADDING for width in widths]
    # a form to sign is drawn with borders; a list prints with the grid
    out.print_options.gridLines = not sheet.footer
    boxed = cells.box if sheet.footer else None
    for number, row in enumerate(sheet.rows, HEADING_ROWS + 1):
        if sheet.footer:  # room for a signature (set before the row is streamed)
            out.row_dimensions[number].height = TWO_LINES
        out.append([cells.value(value, kind, limit, boxed)
                    for value, kind, limit in zip(row, kinds, limits)])
    last = HEADING_ROWS + len(sheet.rows)
    for line in sheet.footer:  # a line each, with room to sign between them
        out.append([])
        out.append([cells.cell(line, font=cells.heading_font)])
        last += 2
    out.print_area = f"A1:{get_column_letter(len(sheet.columns))}{last}"


def write_workbook(path: Path, sheets: list[Sheet]) -> None:
    """The sheets into `path` (.xlsx), in their order. The file is opened first:
    one that cannot be written fails before a sheet is streamed."""
    from openpyxl import Workbook
    with path.open("wb") as file:
        book = Workbook(write_only=True)
        for sheet in sheets:
            _write_sheet(book, sheet)
        book.save(file)


def write_csv(path: Path, sheet: Sheet) -> None:
    """The sheet's heading row and rows (no title) as csv in UTF-8 with the byte
    order mark Excel and WPS need to read Chinese; cells a spreadsheet would run as
    formulas are kept as text. TableError when the file cannot be written."""
    kinds = [column.kind for column in sheet.columns]
    write_table(path, sheet.headings,
                [[as_text(value, kind) for value, kind in zip(row, kinds)]
                 for row in sheet.rows])
