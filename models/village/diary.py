"""The 民情日记: what a cadre saw and heard on a day, in their own words.

Any active cadre of the station writes entries (each is the author's own), dated
a day up to today, optionally about one household, errand or dispute of the station
(named by its number: whatever another station has is not found here).
An entry is corrected by its author or by the head. Everyone at the station reads
and searches them: by words (in the text or the author's name), by days, a page
at a time, newest first.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from peewee import JOIN, fn

from models.core import history
from models.core.audit import parse_days
from models.core.db import writes
from models.core.entities import Cadre, now
from models.core.guard import require_cadre, require_own, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.text import contains, inert
from models.core.validation import fail, written_day
from models.errands.entities import Errand
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident
from models.village.entities import DiaryEntry, Dispute

TEXT_MAX = 4000
PAGE = 50


@dataclass
class DiaryForm:
    """An entry as the cadre wrote it."""
    text: str
    day: str = ""  # "2026-11-25", "11-25" (this year); empty: today
    about: str = ""  # a household number or an errand number; empty: nobody


def _day(raw: str) -> dt.date:
    text = unicodedata.normalize("NFKC", inert(raw))
    today = now().date()
    if not text:
        return today
    try:
        day = written_day(text, today)
    except (TypeError, ValueError, OverflowError):
        raise fail("day", "visit.bad_day", given=text) from None
    if day > today:
        raise fail("day", "diary.future", day=day.isoformat())
    return day


def _about(raw: str, station_id: int) -> dict[str, int | None]:
    """{household, errand, dispute}: the one the number names at the station (an
    errand's 2026-000123, a dispute's JF2026-0001, else a household's 03012)."""
    about = dict(household=None, errand=None, dispute=None)
    number = unicodedata.normalize("NFKC", inert(raw)).strip()
    if not number:
        return about
    for kind, query in (
            ("errand", Errand.select(Errand.id).where(
                (Errand.number == number) & (Errand.station == station_id))),
            ("dispute", Dispute.select(Dispute.id).where(
                (fn.UPPER(Dispute.number) == number.upper())
                & (Dispute.station == station_id))),
            ("household", Household.select(Household.id).where(
                (Household.number == number) & (Household.station == station_id)))):
        found = query.scalar()
        if found is not None:
            return about | {kind: found}
    raise fail("about", "diary.bad_about", given=number)


def _values(form: DiaryForm, actor: Session) -> dict:
    """The columns of an entry as the form has them, or ValidationError."""
    text = inert(form.text, multiline=True)
    if not text:
        raise fail("text", "invalid.text_empty", label=t("diary.text"))
    if len(text) > TEXT_MAX:
        raise fail("text", "invalid.text_too_long", label=t("diary.text"),
                   max_len=TEXT_MAX, given=len(text))
    return dict(day=_day(form.day), text=text, **_about(form.about, actor.station_id))


@writes
def add_diary_entry(form: DiaryForm, actor: Session) -> DiaryEntry:
    cadre = require_cadre(actor)
    values = _values(form, actor)
    entry = DiaryEntry.create(station=actor.station_id, cadre=cadre, **values)
    history.record("diary", entry.id, "create", actor, day=values["day"],
                   household=values["household"], errand=values["errand"],
                   dispute=values["dispute"])
    return entry


@writes
def edit_diary_entry(entry_id: int, expected_version: int, form: DiaryForm,
                     actor: Session) -> DiaryEntry:
    """Correct an entry: its author, or the head. Raises StaleEdit when someone
    saved it meanwhile."""
    entry = DiaryEntry.get_or_none(DiaryEntry.id == entry_id)
    if entry is None:
        raise fail("entry", "diary.gone")
    require_own(actor, entry.cadre_id)
    require_station(actor, entry.station_id)
    return history.save_versioned(entry, expected_version, _values(form, actor), actor,
                                  "diary")


# ---- reading ----

@dataclass
class DiaryRow:
    entry: DiaryEntry  # with .cadre joined
    about: str  # "03012 张大山", "2026-000123 李四" or "JF2026-0001 院墙", "" when about nobody
    about_number: str  # "03012", "2026-000123" or "JF2026-0001": what the form's field holds


@dataclass
class DiaryPage:
    rows: list[DiaryRow] = field(default_factory=list)
    more: bool = False


def _households_named(ids: set[int]) -> dict[int, tuple[str, str]]:
    """Household id -> (number, "number head")."""
    if not ids:
        return {}
    head = (Resident.select(fn.MIN(Resident.name))
            .where((Resident.household == Household.id)
                   & (Resident.relation == HEAD_OF_HOUSEHOLD)))
    return {household_id: (number, f"{number} {name or ''}".strip())
            for household_id, number, name in
            Household.select(Household.id, Household.number, head)
            .where(Household.id.in_(list(ids))).tuples()}


def _errands_named(ids: set[int]) -> dict[int, tuple[str, str]]:
    """Errand id -> (number, "number person")."""
    if not ids:
        return {}
    return {errand_id: (number, f"{number} {name}") for errand_id, number, name in
            Errand.select(Errand.id, Errand.number, Resident.name).join(Resident)
            .where(Errand.id.in_(list(ids))).tuples()}


def _disputes_named(ids: set[int]) -> dict[int, tuple[str, str]]:
    """Dispute id -> (number, "number title")."""
    if not ids:
        return {}
    return {dispute_id: (number, f"{number} {title}") for dispute_id, number, title in
            Dispute.select(Dispute.id, Dispute.number, Dispute.title)
            .where(Dispute.id.in_(list(ids))).tuples()}


def diary_page(station_id: int, text: str = "", days: str = "",
               after: tuple[dt.date, int] | None = None, limit: int = PAGE,
               today: dt.date | None = None) -> DiaryPage:
    """The station's entries whose text or author contains `text`, on the days
    `days` names ("11-25", "11-01~11-30"; see parse_days), newest first: the page
    after `after` (the last row's day and id)."""
    query = (DiaryEntry.select(DiaryEntry, Cadre).join(Cadre, JOIN.LEFT_OUTER)
             .where(DiaryEntry.station == station_id))
    words = inert(text)  # no NUL or lone surrogate into the LIKE pattern
    if words:
        query = query.where(contains(DiaryEntry.text, words) | contains(Cadre.name, words))
    span = parse_days(days, today)
    if span is not None:
        query = query.where((DiaryEntry.day >= span[0]) & (DiaryEntry.day <= span[1]))
    if after is not None:
        day, last_id = after
        query = query.where((DiaryEntry.day < day)
                            | ((DiaryEntry.day == day) & (DiaryEntry.id < last_id)))
    entries = list(query.order_by(DiaryEntry.day.desc(), DiaryEntry.id.desc())
                   .limit(limit + 1))
    page = entries[:limit]
    households = _households_named({e.household_id for e in page if e.household_id})
    errands = _errands_named({e.errand_id for e in page if e.errand_id})
    disputes = _disputes_named({e.dispute_id for e in page if e.dispute_id})
    nobody = ("", "")
    rows = []
    for entry in page:
        number, about = (errands.get(entry.errand_id, nobody) if entry.errand_id
                         else disputes.get(entry.dispute_id, nobody) if entry.dispute_id
                         else households.get(entry.household_id, nobody))
        rows.append(DiaryRow(entry, about, number))
    return DiaryPage(rows, more=len(entries) > limit)
