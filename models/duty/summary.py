"""A cadre's month at a glance, and the duty lines of the home screen."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import fn

from models.core.entities import Cadre, Event
from models.core.figures import percent
from models.core.scope import of_station
from models.duty.checkin import (
    DutyNow,
    shift_rows,
    check_in_state,
    duty_now,
    missed_check_ins,
    my_shift,
)
from models.duty.entities import Handover, Shift
from models.duty.handover import pending_handover
from models.duty.hours import month_bounds, when
from models.duty.nights import (
    NightCorrection,
    NightsRow,
    night_corrections,
    nights_by_cadre,
    nights_out_of_reach,
    required_nights_of,
)
from models.village.coverage import visits_by_cadre
from models.village.dispute_lists import DisputeCounts, dispute_counts


@dataclass
class CadreMonth:
    cadre_id: int
    name: str
    shifts: int  # shifts on the roster in the month
    nights: int
    on_time: int
    late: int
    missed: int  # started more than LATE_AFTER ago and never checked in
    errands_handled: int  # distinct errands the cadre changed in the month
    required: int = 0  # nights the rule asks; 0 when it does not apply
    stays_in_village: bool = False
    disputes: DisputeCounts = field(default_factory=DisputeCounts)  # found, settled, escalated
    visits: int = 0  # household visits the cadre made in the month
    households_visited: int = 0  # distinct households among them

    @property
    def short(self) -> bool:
        return self.stays_in_village and self.nights < self.required

    @property
    def missing_nights(self) -> int:
        return max(0, self.required - self.nights) if self.stays_in_village else 0

    @property
    def punctuality(self) -> int | None:
        """Shifts checked in on time, in percent of those due to be checked in."""
        return percent(self.on_time, self.on_time + self.late + self.missed)


def cadre_month_summary(station_id: int | None, year: int, month: int,
                        now: dt.datetime | None = None) -> list[CadreMonth]:
    """Each cadre's month; None: the cadres of every station (the township's), in
    station order, each station's rule for nights counted for its own cadres."""
    now = when(now)
    first, after = month_bounds(year, month)
    shifts = list(Shift.select().where(of_station(Shift.station, station_id)
                                       & Shift.cadre.is_null(False)
                                       & (Shift.day >= first) & (Shift.day < after)))
    cadre_ids = {s.cadre_id for s in shifts}
    cadres = list(Cadre.select().where(of_station(Cadre.station, station_id)
                                       & (Cadre.active | Cadre.id.in_(list(cadre_ids) or [0])))
                  .order_by(Cadre.station, Cadre.id))
    ids = [c.id for c in cadres]
    required = required_nights_of([c for c in cadres if c.stays_in_village], year, month)
    rows = {c.id: CadreMonth(c.id, c.name, 0, 0, 0, 0, 0, 0,
                             required.get(c.id, 0), c.stays_in_village)
            for c in cadres}
    for shift in shifts:
        row = rows.get(shift.cadre_id)
        if row is None:
            continue
        row.shifts += 1
        state = check_in_state(shift, now)
        if state in ("on_time", "late", "missed"):
            setattr(row, state, getattr(row, state) + 1)
    for cadre_id, count in nights_by_cadre(ids, year, month).items():
        rows[cadre_id].nights = count
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(after, dt.time())
    if ids:
        handled = (Event.select(Event.actor, fn.COUNT(fn.DISTINCT(Event.entity_id)))
                   .where((Event.entity == "errand") & Event.actor.in_(ids)
                          & (Event.at >= start) & (Event.at < end))
                   .group_by(Event.actor).tuples())
        for cadre_id, count in handled:
            rows[cadre_id].errands_handled = count
    for cadre_id, counts in dispute_counts(station_id, first, after).items():
        if cadre_id in rows:
            rows[cadre_id].disputes = counts
    for cadre_id, (visits, households) in visits_by_cadre(ids, first, after).items():
        rows[cadre_id].visits, rows[cadre_id].households_visited = visits, households
    return list(rows.values())


def missed_shifts(station_id: int, year: int, month: int,
                  now: dt.datetime | None = None) -> list[Shift]:
    """The month's shifts someone was on and nobody checked in to (started more
    than LATE_AFTER ago),
    with the template and cadre loaded and the head's reason, if any."""
    now = when(now)
    first, after = month_bounds(year, month)
    return [shift for shift in shift_rows().where(
        (Shift.station == station_id) & (Shift.day >= first) & (Shift.day < after)
        & Shift.cadre.is_null(False) & Shift.checked_in_at.is_null()
        & (Shift.starts_at < now))
        .order_by(Shift.starts_at, Shift.id)
        if check_in_state(shift, now) == "missed"]


@dataclass
class MonthNotes:
    """Below the month summary: the head's night corrections and the missed shifts."""
    corrections: list[NightCorrection]
    missed: list[Shift]


def month_notes(station_id: int, year: int, month: int, now: dt.datetime | None = None
                ) -> MonthNotes:
    return MonthNotes(night_corrections(station_id, year, month),
                      missed_shifts(station_id, year, month, now))


@dataclass
class HomeDuty:
    """Everything the home screen's duty lines need, read in one worker call."""
    duty: DutyNow
    mine: Shift | None  # the shift the signed-in cadre can check in to / out of
    pending: Handover | None  # a handover waiting for the signed-in cadre
    # this month, who can no longer reach the rule
    short: list[NightsRow] = field(default_factory=list)
    missed: list[Shift] = field(default_factory=list)


def home_duty(station_id: int, cadre_id: int | None, now: dt.datetime | None = None
              ) -> HomeDuty:
    now = when(now)
    return HomeDuty(
        duty=duty_now(station_id, now),
        mine=my_shift(station_id, cadre_id, now) if cadre_id else None,
        pending=pending_handover(station_id, cadre_id, now) if cadre_id else None,
        short=nights_out_of_reach(station_id, now.date()),
        missed=missed_check_ins(station_id, now))
