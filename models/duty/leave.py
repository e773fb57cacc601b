"""Leave (请假, training, sick): whole days a cadre is away. Recording it frees
the cadre's shifts in it."""
from __future__ import annotations

import datetime as dt

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, now
from models.core.guard import require_own, require_station
from models.core.session import Session
from models.core.validation import fail
from models.duty.calendar import read_day_span
from models.duty.entities import Leave, Shift
from models.duty.planning import touches_leave

MAX_LEAVE_DAYS = 366


def leave_days(cadre_ids, first: dt.date, last: dt.date) -> dict[int, set[dt.date]]:
    """Each cadre's days of leave within [first, last]."""
    days: dict[int, set[dt.date]] = {cid: set() for cid in cadre_ids}
    if not days:
        return days
    for leave in (Leave.select().where(Leave.cadre.in_(list(days)) & (Leave.first_day <= last)
                                       & (Leave.last_day >= first)).order_by(Leave.id)):
        day = max(leave.first_day, first)
        while day <= min(leave.last_day, last):
            days[leave.cadre_id].add(day)
            day += dt.timedelta(days=1)
    return days


def leaves_between(station_id: int, first: dt.date, last: dt.date) -> list[Leave]:
    """Leave of the station's cadres overlapping [first, last], with the cadre loaded."""
    return list(Leave.select(Leave, Cadre).join(Cadre)
                .where((Cadre.station == station_id) & (Leave.first_day <= last)
                       & (Leave.last_day >= first))
                .order_by(Leave.first_day, Cadre.id, Leave.id))


def parse_leave(text: str, year: int) -> tuple[dt.date, dt.date, str]:
    """"12-01 12-07 培训" -> (first, last, reason); "12-30至01-02" runs over the new
    year (models.duty.calendar.read_day_span)."""
    try:
        first, last, words = read_day_span(text, year)
    except ValueError:
        raise fail("leave", "roster.leave_bad_dates", given=text) from None
    return first, last, " ".join(words)


@writes
def add_leave(cadre_id: int, first_day: dt.date, last_day: dt.date, reason: str,
              actor: Session, at: dt.datetime | None = None) -> Leave:
    """Record a cadre's leave (a duty cadre their own, the head anyone's). Their
    shifts in it that have not started yet are freed (they show as gaps until
    someone is put on them), so the grid never pretends someone is on duty who is
    away."""
    require_own(actor, cadre_id)
    if last_day < first_day:
        raise fail("leave", "roster.leave_order")
    if (last_day - first_day).days + 1 > MAX_LEAVE_DAYS:
        raise fail("leave", "roster.leave_too_long", days=MAX_LEAVE_DAYS)
    reason = " ".join((reason or "").split())
    if len(reason) > 60:
        raise fail("leave", "roster.leave_reason_long", given=len(reason))
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise fail("leave", "roster.unknown_cadre")
    require_station(actor, cadre.station_id)
    at = at or now()
    leave = Leave.create(cadre=cadre, first_day=first_day, last_day=last_day, reason=reason)
    days = leave_days([cadre.id], first_day - dt.timedelta(days=1), last_day)[cadre.id]
    freed = [s for s in Shift.select().where(
                 (Shift.cadre == cadre.id) & Shift.checked_in_at.is_null()
                 & (Shift.starts_at > at)
                 & (Shift.day >= first_day - dt.timedelta(days=1)) & (Shift.day <= last_day))
             .order_by(Shift.starts_at) if touches_leave(days, s.starts_at, s.ends_at)]
    for shift in freed:
        Shift.update(cadre=None, version=Shift.version + 1).where(Shift.id == shift.id).execute()
        history.record("shift", shift.id, "leave", actor, cadre=cadre.id, leave=leave.id)
    history.record("leave", leave.id, "create", actor, cadre=cadre.id, first_day=first_day,
                   last_day=last_day, reason=reason, freed=[s.id for s in freed])
    leave.freed = [s.id for s in freed]
    return leave
