"""`kiosk export report|errands|visits|cards|policy-cards`: the files the township
asks for — the month's report with the appraisal form, the errands of a span of
days, the month's visit log — and the cards households keep: contact cards, and
policy cards (any cadre's); the others are the station head's.

The domain reads and checks (models.reports, models.village); this writes the file
and says where, in one line. Exit status: 0 written, 1 refused (not the station
head), 2 the command is wrong (a month, a day, a group, the file's name or folder)
or the machine is (main() says a file that cannot be written in one line).
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from models.core.db import database
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import ValidationError
from models.people import register_import
from models.reports.errand_list import errand_list
from models.reports.figures import Period, read_period
from models.reports.township import month_report, note_township_export
from models.station.team import SignInRefused
from models.village.visit_export import visit_sheets

from .importing import OK, REFUSED, USAGE, signed_in
from .workbook import write_csv, write_workbook

# refusals of what the command said: the days, the group, a csv file not writable
ARGUMENT_FIELDS = ("period", "group", "file")


def _say(line: str) -> None:
    print(line, file=sys.stderr)


def read_month(text: str | None, today: dt.date, step: int = -1) -> tuple[int, int]:
    """"2026-11" as (2026, 11); None: the month `step` months from today's.
    ValueError when it is no month."""
    if not text:
        first = today.replace(day=1)
        if step < 0:
            first = (first - dt.timedelta(days=1)).replace(day=1)
        else:
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return first.year, first.month
    year, month = (int(part) for part in text.split("-"))
    dt.date(year, month, 1)
    return year, month


def _month(text: str | None) -> Period | None:
    try:
        return Period.month(*read_month(text, dt.date.today()))
    except ValueError:
        _say(t("cli.export.bad_month", given=text))
        return None


def _written(out: Path, suffixes: tuple[str, ...],
             make: Callable[[Session], tuple[int, Callable[[Path], None]]],
             table: str) -> int:
    """`make` reads what the signed-in head exports: (rows, how to write them).
    Written to `out`, noted in the event log (villagers' names leave the desk)."""
    if out.suffix.lower() not in suffixes:
        _say(t("cli.export.suffix", suffixes=t("import.list_separator").join(suffixes),
               path=out))
        return USAGE
    if not out.parent.is_dir():
        _say(t("error.not_found", where=out.parent))
        return USAGE
    try:
        with database.connection_context():
            actor = signed_in()
            rows, write = make(actor)
            write(out)
            note = note_township_export if actor.is_township else register_import.note_export
            note(actor, table, str(out.resolve()), rows)
    except (SignInRefused, ValidationError) as refused:
        _say(str(refused))
        return USAGE if getattr(refused, "field", None) in ARGUMENT_FIELDS else REFUSED
    _say(t("cli.export.written", what=t(f"cli.export.what.{table}"), path=out))
    return OK


def _sheets(sheets) -> tuple[int, Callable[[Path], None]]:
    return sum(len(sheet.rows) for sheet in sheets), lambda out: write_workbook(out, sheets)


MONTHLY = {"report": month_report, "visits": visit_sheets}


def export_month(what: str, month: str | None, out: Path) -> int:
    """The month's report or visit log (`MONTHLY`), as a workbook."""
    period = _month(month)
    if period is None:
        return USAGE
    return _written(out, (".xlsx",), lambda actor: _sheets(MONTHLY[what](actor, period)),
                    what)


def export_errands(first: str, last: str | None, out: Path) -> int:
    today = dt.date.today()
    try:
        period = read_period(f"{first}~{last or today.isoformat()}", today)
    except ValidationError as refused:
        _say(str(refused))
        return USAGE

    def make(actor: Session):
        sheet = errand_list(actor, period)
        if out.suffix.lower() == ".csv":
            return len(sheet.rows), lambda path: write_csv(path, sheet)
        return _sheets([sheet])
    return _written(out, (".xlsx", ".csv"), make, "errands")


def export_cards(group: int, out: Path) -> int:
    # the cards' modules are a good part of this one's imports: loaded when asked for
    from models.village.cards import cards_html, contact_cards

    def make(actor: Session):
        page = contact_cards(actor, group)
        if not page.duty_phone:
            _say(t("cards.no_duty_phone"))
        return len(page.cards), lambda path: path.write_text(cards_html(page),
                                                             encoding="utf-8")
    return _written(out, (".html",), make, "cards")


def export_policy_cards(group: int, out: Path) -> int:
    """惠农政策知情卡 of a villager group: any cadre of the station may print them
    (they go to the households on visits)."""
    from models.public.cards import policy_cards, policy_cards_html

    def make(actor: Session):
        page = policy_cards(actor.station_id, group)
        return len(page.cards), lambda path: path.write_text(policy_cards_html(page),
                                                             encoding="utf-8")
    return _written(out, (".html",), make, "policy_cards")
