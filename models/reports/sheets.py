"""Tables to hand over as files: what the township receives each month (the report,
the errand list, the visit log), described as sheets of typed columns. The domain
fills them; kiosk/ writes them as a workbook or a csv file.

A value stays what it is (a number, a ratio, a date) and its column says how it
reads, so a spreadsheet can still add it up.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from models.core.guard import is_head, require_cadre
from models.core.session import Session
from models.core.text import inert
from models.core.validation import fail

# Excel's limits on a sheet's name: 31 characters, none of these
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


class Kind(StrEnum):
    """How a column's values read."""
    TEXT = "text"
    COUNT = "count"  # a whole number
    RATIO = "ratio"  # 0.5 reads 50.0%
    DAYS = "days"  # 2.5 reads 2.5天
    DATE = "date"
    TIME = "time"  # a date and a time of day


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Cell:
    """A value that reads otherwise than its column says (a table of mixed
    figures: counts, a rate, days)."""
    value: object
    kind: Kind


@dataclass
class Sheet:
    """A titled table: the title line, the heading row, the rows, and lines under
    it (the signatures of a form to sign)."""
    name: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    landscape: bool = False  # printed across the page: a wide table

    def __post_init__(self) -> None:
        self.name = sheet_name(self.name)

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]


def sheet_name(text: str) -> str:
    """A name Excel accepts: a cadre's name may hold any of []:*?/\\ or run long."""
    return (text.translate(SHEET_NAME_FORBIDDEN).strip("'") or "_")[:SHEET_NAME_MAX]


def unique_names(names: list[str]) -> list[str]:
    """Sheet names made distinct (two cadres of one name): 张伟, 张伟(2)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = sheet_name(name)
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count > 1:
            suffix = f"({count})"
            name = name[:SHEET_NAME_MAX - len(suffix)] + suffix
        out.append(name)
    return out


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def require_head_export(actor: Session) -> None:
    """Files with villagers' names and the cadres' appraisal leave the desk on the
    station head's word only."""
    cadre = require_cadre(actor)
    if not is_head(actor, cadre):
        raise fail("actor", "report.head_only", name=cadre.name)


def as_text(value, kind: Kind) -> str:
    """A value as a csv cell: numbers as they read, a ratio in percent."""
    if isinstance(value, Cell):
        value, kind = value.value, value.kind
    if value is None:
        return ""
    if isinstance(value, str):
        return inert(value, multiline=True)
    if kind is Kind.RATIO:
        return f"{value * 100:.1f}%"
    if kind is Kind.DAYS:
        return f"{value:.1f}"
    if kind is Kind.TIME and isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if kind is Kind.DATE and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
