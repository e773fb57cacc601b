"""Nights in the village (住村).

A night is the evening's date. Checking in to a night shift records it; a cadre
can also mark "stayed tonight". Each resident cadre (Cadre.stays_in_village)
needs Station.nights_required nights a month. The month summary counts them as
they stand; the home screen names only those who can no longer make it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Station
from models.core.entities import now as _now
from models.core.guard import require_cadre
from models.core.session import Session
from models.core.validation import fail
from models.duty.entities import Leave, NightStay
from models.duty.hours import month_bounds, when


def tonight(now: dt.datetime | None = None) -> dt.date:
    """The night "tonight" means: the evening's date; before noon, last night."""
    now = when(now)
    return now.date() if now.hour >= 12 else now.date() - dt.timedelta(days=1)


def record_night(cadre_id: int, night: dt.date, source: str, actor: Session
                 ) -> NightStay:
    """Record the night once: a night shift and a mark may both say so."""
    row = NightStay.get_or_none((NightStay.cadre == cadre_id) & (NightStay.night == night))
    if row is None:
        NightStay.insert(cadre=cadre_id, night=night, source=source) \
            .on_conflict_ignore().execute()
        row = NightStay.get((NightStay.cadre == cadre_id) & (NightStay.night == night))
        history.record("night", row.id, "create", actor, cadre=cadre_id, night=night,
                       source=source)
    return row


@writes
def mark_night(night: dt.date, actor: Session, today: dt.date | None = None
               ) -> NightStay:
    """"Stayed tonight": the signed-in cadre records their night (once; a night
    shift may have already)."""
    require_cadre(actor)
    today = today or _now().date()
    if night > today:
        raise fail("night", "duty.night_future", night=night.isoformat())
    return record_night(actor.cadre_id, night, "mark", actor)


@dataclass
class NightsRow:
    cadre_id: int
    name: str
    nights: int
    required: int
    short: bool

    @property
    def missing(self) -> int:
        return max(0, self.required - self.nights)


def nights_by_cadre(cadre_ids: list[int], year: int, month: int) -> dict[int, int]:
    """Nights in the month per cadre; a cadre with none is left out."""
    if not cadre_ids:
        return {}
    first, after = month_bounds(year, month)
    rows = (NightStay.select(NightStay.cadre, fn.COUNT(NightStay.id).alias("n"))
            .where(NightStay.cadre.in_(cadre_ids) & (NightStay.night >= first)
                   & (NightStay.night < after))
            .group_by(NightStay.cadre).tuples())
    return {cadre: count for cadre, count in rows}


def nights_summary(station_id: int, year: int, month: int) -> list[NightsRow]:
    """Nights in the month of every active resident cadre, against the rule."""
    required = Station.get_by_id(station_id).nights_required
    cadres = list(Cadre.select().where((Cadre.station == station_id) & Cadre.active
                                       & Cadre.stays_in_village).order_by(Cadre.id))
    nights = nights_by_cadre([c.id for c in cadres], year, month)
    return [NightsRow(c.id, c.name, nights.get(c.id, 0), required,
                      nights.get(c.id, 0) < required) for c in cadres]


def nights_out_of_reach(station_id: int, today: dt.date) -> list[NightsRow]:
    """Resident cadres who can no longer reach this month's rule: their nights so far
    and every night still to come (tonight to the month's last, leave aside) fall
    short of it. On the 1st hardly anyone; on the 30th whoever is short."""
    short = [row for row in nights_summary(station_id, today.year, today.month)
             if row.short]
    if not short:
        return []
    _, after = month_bounds(today.year, today.month)
    to_come = [today + dt.timedelta(days=n) for n in range((after - today).days)]
    ids = [row.cadre_id for row in short]
    spent = set(NightStay.select(NightStay.cadre, NightStay.night)
                .where(NightStay.cadre.in_(ids) & (NightStay.night >= today)).tuples())
    away = list(Leave.select(Leave.cadre, Leave.first_day, Leave.last_day)
                .where(Leave.cadre.in_(ids) & (Leave.last_day >= today)
                       & (Leave.first_day < after)).tuples())

    def possible(cadre_id: int) -> int:
        return sum(1 for night in to_come if (cadre_id, night) not in spent
                   and not any(who == cadre_id and first <= night <= last
                               for who, first, last in away))
    return [row for row in short if row.nights + possible(row.cadre_id) < row.required]
