"""Sheets (models.reports.sheets) written as an Excel workbook the township can read
and print, or one sheet as a csv file.

Every sheet of a workbook: a title line, the heading row (bold, frozen with the
title above it, repeated on every printed page), columns as wide as their text (a
Chinese character counts as two), numbers, rates, days and dates in their own
formats, A4 fitted to the page width (across the page when the table is wide).

Written with XlsxWriter, row by row: a month of errands is 7,500 rows of 16 cells,
which openpyxl takes over twice as long to write (the report's budget is 2 s).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from models.core.i18n import t
from models.core.tables import write_table
from models.core.text import inert
from models.reports.sheets import Cell, Kind, Sheet, as_text

FORMATS = {Kind.COUNT: "0", Kind.RATIO: "0.0%", Kind.DAYS: t("report.days_format"),
           Kind.DATE: "yyyy-mm-dd", Kind.TIME: "yyyy-mm-dd hh:mm", Kind.TEXT: "@"}
FIXED_WIDTH = {Kind.RATIO: 7, Kind.DAYS: 7, Kind.DATE: 10, Kind.TIME: 16}
MIN_WIDTH, MAX_WIDTH = 6, 48  # characters; longer text wraps within its column
MEASURED_ROWS = 2000  # enough to find a column's width
HEADING_LINE = 12  # a longer heading wraps onto a second line
GLYPH_ROOM = 1.1  # a Chinese glyph is a little wider than two digits
PADDING = 2
TITLE_SIZE = 14 / 11  # the title's font against the body's
TWO_LINES = 30  # points: a wrapped heading, or a row with room to sign
HEADING_ROW = 1  # below the title line (rows count from 0)
A4 = 9  # the paper size code of the spreadsheet format
STREAM_FROM = 300_000  # cells: a larger workbook is written row by row (a 1 GB machine)


def text_width(text: str) -> int:
    """Columns `text` takes on screen: CJK and full-width characters count two."""
    if text.isascii():  # numbers, masked phones, dates: most cells
        return max(map(len, text.split("\n"))) if "\n" in text else len(text)
    longest = 0
    for line in text.split("\n"):
        wide = sum(1 for char in line
                   if char >= "\u1100" and unicodedata.east_asian_width(char) in "WF")
        longest = max(longest, len(line) + wide)
    return longest


def _widths(sheet: Sheet) -> list[int]:
    """Each column as wide as its widest value (a long heading wraps), a little
    more for Chinese glyphs; together at least as wide as the title."""
    widths = []
    step = max(1, len(sheet.rows) // MEASURED_ROWS)  # a long sheet: rows spread over it
    for index, column in enumerate(sheet.columns):
        width = min(text_width(column.heading), HEADING_LINE)
        fixed = FIXED_WIDTH.get(column.kind)
        for row in sheet.rows[::step]:
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


class _Formats:
    """The workbook's cell formats, each made once: a kind's, boxed or not
    (a form to sign is drawn with borders), and wrapped for long text."""

    def __init__(self, book) -> None:
        self.book, self.made = book, {}
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.heading = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1,
                                        "align": "center", "valign": "vcenter",
                                        "text_wrap": True})
        self.line = book.add_format({"bold": True})

    def of(self, kind: Kind, boxed: bool, wrapped: bool = False):
        key = (kind, boxed, wrapped)
        if key not in self.made:
            spec = {"num_format": FORMATS[kind]} if kind is not Kind.TEXT else {}
            if boxed:
                spec["border"] = 1
            if wrapped:
                spec.update(text_wrap=True, valign="top")
            self.made[key] = self.book.add_format(spec) if spec else None
        return self.made[key]


def _write_rows(out, formats: _Formats, sheet: Sheet, limits: list[int], boxed: bool) -> int:
    """The sheet's rows under its heading; the number of the last row written.
    The innermost loop of a month's report (a hundred thousand cells): each
    column's format is looked up once, and a value's type decides its write."""
    plain, wrapped = formats.of(Kind.TEXT, boxed), formats.of(Kind.TEXT, boxed, True)
    by_kind = {kind: formats.of(kind, boxed) for kind in Kind}
    column_formats = [by_kind[column.kind] for column in sheet.columns]
    write_string, write_number, write_datetime = (out.write_string, out.write_number,
                                                  out.write_datetime)
    number = HEADING_ROW
    for number, values in enumerate(sheet.rows, HEADING_ROW + 1):
        if boxed:  # room for a signature
            out.set_row(number, TWO_LINES)
        for col, value in enumerate(values):
            cell_format = column_formats[col]
            if isinstance(value, Cell):
                value, cell_format = value.value, by_kind[value.kind]
            if value is None:
                if boxed:
                    out.write_blank(number, col, None, plain)
            elif isinstance(value, str):
                # text stays text (never a formula or a link), control characters
                # out (a file with them would not open); twice its length bounds its
                # width, so most cells need no measuring before deciding to wrap
                value = inert(value, multiline=True)
                if value or boxed:  # else no cell at all: a month of visits has many blanks
                    limit = limits[col]
                    write_string(number, col, value, wrapped if 2 * len(value) > limit
                                 and text_width(value) > limit else plain)
            elif isinstance(value, dt.date):
                write_datetime(number, col, value, cell_format)
            else:
                write_number(number, col, value, cell_format)
    return number


def _write_sheet(book, formats: _Formats, sheet: Sheet) -> None:
    out = book.add_worksheet(sheet.name)
    widths = _widths(sheet)
    for index, width in enumerate(widths):
        out.set_column(index, index, width)
    out.freeze_panes(HEADING_ROW + 1, 0)
    out.repeat_rows(HEADING_ROW)
    out.set_paper(A4)
    if sheet.landscape:
        out.set_landscape()
    out.fit_to_pages(1, 0)
    out.center_horizontally()
    boxed = bool(sheet.footer)
    if not boxed:
        out.hide_gridlines(0)  # a list prints with the grid
    out.write_string(0, 0, sheet.title, formats.title)
    if any(text_width(heading) > HEADING_LINE for heading in sheet.headings):
        out.set_row(HEADING_ROW, TWO_LINES)
    for col, heading in enumerate(sheet.headings):
        out.write_string(HEADING_ROW, col, heading, formats.heading)
    number = _write_rows(out, formats, sheet, [width - PADDING for width in widths], boxed)
    for line in sheet.footer:  # a line each, with room to sign between them
        number += 2
        out.write_string(number, 0, line, formats.line)
    out.print_area(0, 0, number, len(sheet.columns) - 1)


def write_workbook(path: Path, sheets: list[Sheet]) -> None:
    """The sheets into `path` (.xlsx), in their order. The file is opened first:
    one that cannot be written fails before anything is made."""
    import xlsxwriter
    cells = sum(len(sheet.rows) * len(sheet.columns) for sheet in sheets)
    with path.open("wb") as file:
        # a month's errands are kept in memory, their repeated words written once
        # (a third faster); a month of visits is streamed row by row
        book = xlsxwriter.Workbook(file, {"constant_memory": cells > STREAM_FROM})
        formats = _Formats(book)
        for sheet in sheets:
            _write_sheet(book, formats, sheet)
        book.close()


def write_csv(path: Path, sheet: Sheet) -> None:
    """The sheet's heading row and rows (no title) as csv in UTF-8 with the byte
    order mark Excel and WPS need to read Chinese; cells a spreadsheet would run as
    formulas are kept as text. TableError when the file cannot be written."""
    kinds = [column.kind for column in sheet.columns]
    write_table(path, sheet.headings,
                [[as_text(value, kind) for value, kind in zip(row, kinds)]
                 for row in sheet.rows])
