"""Nights in the village (住村).

A night is the evening's date. Checking in to a night shift records it; the
signed-in cadre can also mark "stayed tonight", from NIGHT_FROM in the evening to
NIGHT_UNTIL the next morning. The station head corrects a cadre's nights — adds
one or strikes one off — with a reason; a struck-off night stays struck off.

What a resident cadre (Cadre.stays_in_village) must reach in a month is
`required_nights`: Station.nights_required nights under the "count" rule, or under
"weekdays" (lodging Monday to Friday) every night between two working days. The
month summary counts nights as they stand; the home screen names only those who
can no longer make it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Station
from models.core.entities import now as _now
from models.core.guard import require_cadre, require_head, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import fail, require_text
from models.duty.calendar import is_working_day, read_day_span
from models.duty.entities import Leave, NightStay
from models.duty.holidays import day_sets
from models.duty.hours import month_bounds, when
from models.duty.leave import leave_days

NIGHT_FROM = dt.time(18, 0)  # "stayed tonight" can be marked from this hour
NIGHT_UNTIL = dt.time(6, 0)  # ... to this hour the next morning


def record_night(cadre_id: int, night: dt.date, source: str, actor: Session
                 ) -> NightStay:
    """Record the night once: a night shift and a mark may both say so. A night the
    head struck off stays so."""
    row = NightStay.get_or_none((NightStay.cadre == cadre_id) & (NightStay.night == night))
    if row is None:
        NightStay.insert(cadre=cadre_id, night=night, source=source) \
            .on_conflict_ignore().execute()
        row = NightStay.get((NightStay.cadre == cadre_id) & (NightStay.night == night))
        history.record("night", row.id, "create", actor, cadre=cadre_id, night=night,
                       source=source)
    return row


@writes
def mark_night(actor: Session, now: dt.datetime | None = None) -> NightStay:
    """"Stayed tonight": the signed-in cadre records their own night (once; a night
    shift may have already), only from NIGHT_FROM to NIGHT_UNTIL the next morning."""
    require_cadre(actor)
    now = when(now)
    if now.time() >= NIGHT_FROM:
        night = now.date()
    elif now.time() < NIGHT_UNTIL:
        night = now.date() - dt.timedelta(days=1)
    else:
        raise fail("night", "duty.night_too_early", starts=f"{NIGHT_FROM:%H:%M}")
    return record_night(actor.cadre_id, night, "mark", actor)


def parse_night_correction(text: str, year: int) -> tuple[dt.date, str]:
    """"12-03 在村开会到深夜" -> (the night, the reason)."""
    try:
        first, last, words = read_day_span(text, year)
    except ValueError:
        raise fail("night", "duty.correction_bad", given=text) from None
    if first != last:
        raise fail("night", "duty.correction_bad", given=text)
    return first, " ".join(words)


@writes
def correct_night(cadre_id: int, night: dt.date, counted: bool, reason: str,
                  actor: Session, today: dt.date | None = None) -> NightStay:
    """The head adds a night (counted) or strikes one off, with a reason."""
    require_head(actor)
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise fail("cadre", "duty.no_cadre")
    require_station(actor, cadre.station_id)
    reason = require_text("reason", reason, t("duty.correction_reason"), 60)
    if night > (today or _now().date()):
        raise fail("night", "duty.night_future", night=night.isoformat())
    row = NightStay.get_or_none((NightStay.cadre == cadre_id) & (NightStay.night == night))
    if counted and row is not None and row.counted:
        raise fail("night", "duty.night_already", night=f"{night:%m-%d}")
    if not counted and (row is None or not row.counted):
        raise fail("night", "duty.night_none", night=f"{night:%m-%d}")
    before = None if row is None else row.source
    if row is None:
        row = NightStay.create(cadre=cadre_id, night=night, source="correction",
                               reason=reason)
    else:
        NightStay.update(counted=counted, reason=reason,
                         source="correction" if counted else row.source) \
            .where(NightStay.id == row.id).execute()
        row = NightStay.get_by_id(row.id)
    history.record("night", row.id, "correct", actor, cadre=cadre_id, night=night,
                   counted=counted, before=before, reason=reason)
    return row


def _working_days(first: dt.date, after: dt.date):
    holidays, workdays = day_sets({first.year, after.year})
    return lambda day: is_working_day(day, holidays, workdays)


def lodging_nights(year: int, month: int, away: set[dt.date]) -> list[dt.date]:
    """Under "lodge Monday to Friday": the month's nights between two working days
    (Monday to Thursday evenings, holidays and 调休 counted in), leave and the eve of
    leave aside."""
    first, after = month_bounds(year, month)
    working = _working_days(first, after)
    nights = []
    day = first
    while day < after:
        following = day + dt.timedelta(days=1)
        if working(day) and working(following) and day not in away \
                and following not in away:
            nights.append(day)
        day = following
    return nights


def required_nights(station: Station, cadre_ids: list[int], year: int, month: int
                    ) -> dict[int, int]:
    """The nights each cadre must reach in the month under the station's rule."""
    return _required(year, month, [(cadre_id, station) for cadre_id in cadre_ids])


def required_nights_of(cadres: list[Cadre], year: int, month: int) -> dict[int, int]:
    """As `required_nights`, for cadres of one station or of many, each under their
    own station's rule: the stations and the leave are read once for all of them."""
    if not cadres:
        return {}
    stations = {station.id: station for station in Station.select().where(
        Station.id.in_(list({cadre.station_id for cadre in cadres})))}
    return _required(year, month, [(cadre.id, stations[cadre.station_id])
                                   for cadre in cadres])


def _required(year: int, month: int, cadres: list[tuple[int, Station]]) -> dict[int, int]:
    """(cadre id, their station) -> the nights the station's rule asks of them: so
    many a month, or Monday to Friday's lodging nights, their leave aside."""
    first, after = month_bounds(year, month)
    away = leave_days([cadre_id for cadre_id, station in cadres
                       if station.nights_rule == "weekdays"], first, after)
    return {cadre_id: len(lodging_nights(year, month, away[cadre_id])) if cadre_id in away
            else station.nights_required for cadre_id, station in cadres}


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
            .where(NightStay.cadre.in_(cadre_ids) & NightStay.counted
                   & (NightStay.night >= first)
                   & (NightStay.night < after))
            .group_by(NightStay.cadre).tuples())
    return {cadre: count for cadre, count in rows}


def nights_summary(station_id: int, year: int, month: int) -> list[NightsRow]:
    """Nights in the month of every active resident cadre, against the rule."""
    cadres = list(Cadre.select().where((Cadre.station == station_id) & Cadre.active
                                       & Cadre.stays_in_village).order_by(Cadre.id))
    ids = [c.id for c in cadres]
    required = required_nights(Station.get_by_id(station_id), ids, year, month)
    nights = nights_by_cadre(ids, year, month)
    return [NightsRow(c.id, c.name, nights.get(c.id, 0), required[c.id],
                      nights.get(c.id, 0) < required[c.id]) for c in cadres]


def nights_out_of_reach(station_id: int, today: dt.date) -> list[NightsRow]:
    """Resident cadres who can no longer reach this month's rule: their nights so far
    and every night still to come (tonight to the month's last, leave aside) fall
    short of it. On the 1st hardly anyone; on the 30th whoever is short. A night
    recorded from today on is not to come again (counted already, or struck off)."""
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



@dataclass
class NightCorrection:
    cadre_name: str
    night: dt.date
    counted: bool  # added (True) or struck off
    reason: str


def night_corrections(station_id: int, year: int, month: int) -> list[NightCorrection]:
    """The head's corrections of the month's nights, for the month summary."""
    first, after = month_bounds(year, month)
    rows = (NightStay.select(NightStay, Cadre.name.alias("cadre_name")).join(Cadre)
            .where((Cadre.station == station_id) & (NightStay.night >= first)
                   & (NightStay.night < after)
                   & ((NightStay.source == "correction") | ~NightStay.counted))
            .order_by(NightStay.night, Cadre.id).objects())
    return [NightCorrection(row.cadre_name, row.night, row.counted, row.reason)
            for row in rows]
