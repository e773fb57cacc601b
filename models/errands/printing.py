"""Printable pages: the receipt (回执) for the villager and the carry list for the trip.

Each is one HTML page with print CSS for A4 (a `Printout`). The desk in a terminal
writes it beside the SQLite database (in `printouts/`), or in the user's data
directory when the database is a server, and says where; the desk in a browser
opens it in a new tab instead (screens/printout.py). Every value is HTML-escaped:
names and materials are data.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import NamedTuple

from models.core.db_url import APP_NAME
from models.core.entities import Station, now
from models.core.i18n import t
from models.core.text import inert
from models.errands.queue import CarryEntry, carry_list
from models.errands.records import Receipt, errand_receipt

PRINT_CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "SimSun", sans-serif;
       font-size: 12pt; color: #000; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 8mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 2mm 3mm; text-align: left; vertical-align: top; }
th { white-space: nowrap; }
tr { page-break-inside: avoid; }
.foot { margin-top: 6mm; font-size: 10pt; }
@media screen { body { max-width: 180mm; margin: 10mm auto; } }
"""


def escaped(value: object) -> str:
    return html.escape(inert(value), quote=True)


def page_html(title: str, body: str, css: str = "") -> str:
    """An A4 page: the title on top, the time printed at the foot; `css` adds to
    (or overrides) the print CSS."""
    printed = t("print.printed_at", when=f"{now():%Y-%m-%d %H:%M}")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escaped(title)}</title><style>{PRINT_CSS}{css}</style></head>"
            f"<body><h1>{escaped(title)}</h1>{body}"
            f'<p class="foot">{escaped(printed)}</p></body></html>\n')


def receipt_html(receipt: Receipt) -> str:
    rows = [(t("receipt.number"), receipt.number), *receipt.lines()]
    body = "".join(f"<tr><th>{escaped(label.rstrip('：'))}</th>"
                   f"<td>{escaped(value)}</td></tr>" for label, value in rows)
    return page_html(t("receipt.title"), f"<table>{body}</table>")


def carry_html(entries: list[CarryEntry], station_name: str, day: dt.date) -> str:
    columns = ("number", "person", "item", "due", "missing", "take")
    head = "".join(f"<th>{escaped(t(f'carry.col.{c}'))}</th>" for c in columns)
    rows = []
    for entry in entries:
        take = "、".join(name + (t("carry.original_mark") if name in entry.originals else "")
                        for name in entry.materials)
        cells = (entry.row.number, entry.row.resident, entry.row.item,
                 entry.row.due_text(), "、".join(entry.missing), take)
        rows.append("<tr>" + "".join(f"<td>{escaped(c)}</td>" for c in cells) + "</tr>")
    title = t("print.carry_title", station=station_name, date=day.isoformat())
    return page_html(title, f"<table><thead><tr>{head}</tr></thead>"
                            f"<tbody>{''.join(rows)}</tbody></table>")


def print_dir() -> Path:
    """`printouts/` beside the SQLite database; the user's data directory otherwise."""
    from models.core.db import database, is_sqlite
    db = database.obj
    if db is not None and is_sqlite(db) and db.database != ":memory:":
        return Path(db.database).resolve().parent / "printouts"
    from platformdirs import user_data_dir
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "printouts"


class Printout(NamedTuple):
    """A page to print: its file name (without `.html`) and its HTML."""
    name: str
    html: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.html"


def write_printout(printout: Printout) -> Path:
    folder = print_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / printout.file_name
    path.write_text(printout.html, encoding="utf-8")
    return path


def receipt_printout(errand_id: int, *, station_id: int) -> Printout:
    receipt = errand_receipt(errand_id, station_id=station_id)
    return Printout(t("print.receipt_file", number=receipt.number), receipt_html(receipt))


def carry_printout(station_id: int) -> Printout:
    today = dt.date.today()
    page = carry_html(carry_list(station_id), Station.get_by_id(station_id).name, today)
    return Printout(t("print.carry_file", date=today.isoformat()), page)
