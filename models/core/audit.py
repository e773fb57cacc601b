"""The station head's audit (操作记录): every change anyone made and every time a
villager's full ID number or phone was shown, newest first, a page at a time.

Narrowed by cadre, by person (found the way the person search finds them), by
errand number and by days. Only the station head may read it: the rule is here,
the screens only leave the key out for the others.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from peewee import JOIN, Value

from models.core.entities import Cadre, Event
from models.core.session import Session
from models.core.validation import fail, written_day
from models.errands.entities import Errand
from models.people.entities import Resident
from models.people.residents import matching_resident_ids
from models.village.entities import Dispute

PAGE = 50
# "11-01~11-30", "11-01 至 11-30", "2025-11-01 2025-11-30"; ～ is the IME's tilde
_SPAN = re.compile(r"\s*(?:~|～|至|到)\s*|\s+")


@dataclass(frozen=True)
class AuditFilter:
    cadre_id: int | None = None
    person: str = ""  # a name, pinyin, initials, phone or ID digits
    errand_number: str = ""  # the whole number or its last digits
    days: str = ""  # one day or a span, as `parse_days` reads it


@dataclass
class AuditRow:
    event: Event  # with .actor joined
    subject: str  # whom or what it concerns: 张三, 2025-0012 张三, "" (the station)
    mode: str | None = None  # an errand's way of handling, which words its statuses


@dataclass
class AuditPage:
    rows: list[AuditRow] = field(default_factory=list)
    more: bool = False
    cadres: dict[int, str] = field(default_factory=dict)  # the station's, by id


def parse_days(raw: str, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """(first, last) from "11-25" or "11-01~11-30" (this year unless written);
    None when nothing is written; ValidationError when it cannot be read."""
    text = raw.strip()
    if not text:
        return None
    parts = _SPAN.split(text)
    try:
        if len(parts) > 2:
            raise ValueError(text)
        days = [written_day(part, today or dt.date.today()) for part in parts]
    except (TypeError, ValueError):
        raise fail("days", "audit.bad_days", given=raw) from None
    return min(days), max(days)


def _detail_holds(text: str):
    """An event's detail (JSON text) holds `text`, as written there."""
    # the pattern as it is: through the column's converter it would become JSON
    return Event.detail ** Value(f"%{text}%", converter=str)


def _conditions(session: Session, f: AuditFilter, today: dt.date | None) -> list:
    station_cadres = Cadre.select(Cadre.id).where(Cadre.station == session.station_id)
    # the hall's public screen names no cadre: its lookups are the station's
    conditions = [Event.actor.in_(station_cadres)
                  | ((Event.entity == "public") & (Event.entity_id == session.station_id))]
    if f.cadre_id is not None:
        conditions.append(Event.actor == f.cadre_id)
    days = parse_days(f.days, today)
    if days is not None:
        first, last = days
        conditions += [Event.at >= dt.datetime.combine(first, dt.time()),
                       Event.at < dt.datetime.combine(last + dt.timedelta(days=1),
                                                      dt.time())]
    number = f.errand_number.strip()
    if number:
        errands = Errand.select(Errand.id).where(
            (Errand.station == session.station_id)
            & ((Errand.number == number) | Errand.number.endswith(number)))
        conditions.append(((Event.entity == "errand") & Event.entity_id.in_(errands))
                          | ((Event.entity == "public") & _detail_holds(number)))
    if f.person.strip():
        people = matching_resident_ids(f.person, session.station_id)
        theirs = Errand.select(Errand.id).where(Errand.resident.in_(people))
        conditions.append(((Event.entity == "resident") & Event.entity_id.in_(people))
                          | ((Event.entity == "errand") & Event.entity_id.in_(theirs)))
    return conditions


def _subjects(events: list[Event]) -> dict[tuple[str, int], tuple[str, str | None]]:
    """Whom each event is about, named, with an errand's way of handling: a query
    per kind of subject for the whole page."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        wanted.setdefault(event.entity, set()).add(event.entity_id)
    names = {}
    if wanted.get("resident"):
        names |= {("resident", rid): (name, None) for rid, name in
                  Resident.select(Resident.id, Resident.name)
                  .where(Resident.id.in_(list(wanted["resident"]))).tuples()}
    if wanted.get("errand"):
        names |= {("errand", eid): (f"{number} {name}", mode) for eid, number, name, mode in
                  Errand.select(Errand.id, Errand.number, Resident.name, Errand.mode)
                  .join(Resident)
                  .where(Errand.id.in_(list(wanted["errand"]))).tuples()}
    if wanted.get("dispute"):
        names |= {("dispute", did): (f"{number} {title}", None) for did, number, title in
                  Dispute.select(Dispute.id, Dispute.number, Dispute.title)
                  .where(Dispute.id.in_(list(wanted["dispute"]))).tuples()}
    if wanted.get("cadre"):
        names |= {("cadre", cid): (name, None) for cid, name in
                  Cadre.select(Cadre.id, Cadre.name)
                  .where(Cadre.id.in_(list(wanted["cadre"]))).tuples()}
    return names


def audit_page(session: Session, f: AuditFilter,
               after: tuple[dt.datetime, int] | None = None, limit: int = PAGE,
               today: dt.date | None = None) -> AuditPage:
    """The next page of the station's trail, newest first (keyset on time and id:
    as fast on the millionth event as on the first)."""
    if not session.is_head:
        raise fail("audit", "audit.head_only")
    query = (Event.select(Event, Cadre).join(Cadre, JOIN.LEFT_OUTER)
             .where(*_conditions(session, f, today)))
    if after is not None:
        at, last_id = after
        query = query.where((Event.at < at) | ((Event.at == at) & (Event.id < last_id)))
    events = list(query.order_by(Event.at.desc(), Event.id.desc()).limit(limit + 1))
    subjects = _subjects(events[:limit])
    cadres = dict(Cadre.select(Cadre.id, Cadre.name)
                  .where(Cadre.station == session.station_id).order_by(Cadre.id).tuples())
    return AuditPage([AuditRow(e, *subjects.get((e.entity, e.entity_id), ("", None)))
                      for e in events[:limit]], more=len(events) > limit, cadres=cadres)
