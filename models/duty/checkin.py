"""Who is on duty, and check-in (签到).

A cadre checks in to their own shift from EARLY_BEFORE before it starts until it
ends; later than LATE_AFTER after the start is *late*. A shift that started more
than LATE_AFTER ago with nobody checked in is a *missed* check-in (it stays
listed for a day after it ended); the station head records why
(`explain_missed`), and the roster and the month summary show it. Checking out writes the handover
(models.duty.handover); checking in to a night shift records the night
(models.duty.nights).

All times are the station's local wall-clock time, like the rest of the desk.
Functions take `now` so tests (and a late check-out) can say when "now" is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre
from models.core.guard import require_cadre, require_head, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import fail, require_text
from models.duty.entities import Shift, ShiftTemplate
from models.duty.hours import when
from models.duty.nights import record_night

LATE_AFTER = dt.timedelta(minutes=15)
EARLY_BEFORE = dt.timedelta(hours=1)
MISSED_KEPT = dt.timedelta(hours=24)  # an ended, never checked-in shift stays listed
OPEN_CHECKOUT = dt.timedelta(hours=12)  # forgot to check out: still possible this long


def shift_rows():
    """Shifts with their template and cadre loaded."""
    return (Shift.select(Shift, ShiftTemplate, Cadre).join(ShiftTemplate).switch(Shift)
            .join(Cadre, JOIN.LEFT_OUTER, on=(Shift.cadre == Cadre.id), attr="cadre"))


def _name(shift: Shift | None) -> str:
    return shift.cadre.name if shift is not None and shift.cadre_id else ""


@dataclass
class DutyNow:
    current: Shift | None
    next: Shift | None
    current_name: str  # "" when no shift now or nobody on it
    next_name: str
    late: bool  # the current cadre checked in late
    missed: bool  # the current shift started > LATE_AFTER ago, nobody checked in


def current_shift(station_id: int, now: dt.datetime | None = None) -> Shift | None:
    now = when(now)
    return (shift_rows().where((Shift.station == station_id) & (Shift.starts_at <= now)
                            & (Shift.ends_at > now))
            .order_by(Shift.starts_at, Shift.id).first())


def shift_after(station_id: int, moment: dt.datetime, exclude: int | None = None
                ) -> Shift | None:
    query = shift_rows().where((Shift.station == station_id) & (Shift.starts_at >= moment))
    if exclude is not None:
        query = query.where(Shift.id != exclude)
    return query.order_by(Shift.starts_at, Shift.id).first()


def duty_now(station_id: int, now: dt.datetime | None = None) -> DutyNow:
    now = when(now)
    current = current_shift(station_id, now)
    if current is not None:
        following = shift_after(station_id, current.ends_at, exclude=current.id)
    else:
        following = (shift_rows().where((Shift.station == station_id) & (Shift.starts_at > now))
                     .order_by(Shift.starts_at, Shift.id).first())
    state = check_in_state(current, now) if current is not None else ""
    return DutyNow(current, following, _name(current), _name(following),
                   late=state == "late", missed=state == "missed")


def check_in_state(shift: Shift, now: dt.datetime | None = None) -> str:
    """"on_time" | "late" (checked in after LATE_AFTER) | "missed" (not checked in,
    started more than LATE_AFTER ago) | "due" (not checked in, not late yet)."""
    now = when(now)
    if shift.checked_in_at is not None:
        return "late" if shift.checked_in_at > shift.starts_at + LATE_AFTER else "on_time"
    return "missed" if now > shift.starts_at + LATE_AFTER else "due"


def my_shift(station_id: int, cadre_id: int, now: dt.datetime | None = None
             ) -> Shift | None:
    """The shift this cadre can check in to or out of now: one checked in and not
    out yet (up to OPEN_CHECKOUT after its end), else one running or starting
    within EARLY_BEFORE that is not checked in."""
    now = when(now)
    mine = (Shift.station == station_id) & (Shift.cadre == cadre_id) \
        & Shift.checked_out_at.is_null()
    open_one = (shift_rows().where(mine & Shift.checked_in_at.is_null(False)
                                & (Shift.ends_at > now - OPEN_CHECKOUT))
                .order_by(Shift.starts_at, Shift.id).first())
    if open_one is not None:
        return open_one
    return (shift_rows().where(mine & Shift.checked_in_at.is_null()
                            & (Shift.starts_at <= now + EARLY_BEFORE) & (Shift.ends_at > now))
            .order_by(Shift.starts_at, Shift.id).first())


def _any_shift(shift_id: int) -> Shift:
    """The shift whatever its station: for the writes, whose guard refuses another
    station's by name."""
    shift = shift_rows().where(Shift.id == shift_id).first()
    if shift is None:
        raise fail("shift", "duty.no_shift")
    return shift


def shift_detail(shift_id: int, *, station_id: int) -> Shift:
    shift = _any_shift(shift_id)
    if shift.station_id != station_id:
        raise fail("shift", "duty.no_shift")
    return shift


def own_shift(shift_id: int, actor: Session) -> Shift:
    """The shift, if it is the signed-in cadre's to check in to or out of."""
    require_cadre(actor)
    shift = _any_shift(shift_id)
    require_station(actor, shift.station_id)
    if shift.cadre_id != actor.cadre_id:
        raise fail("shift", "duty.not_yours", name=_name(shift) or t("duty.nobody"))
    return shift


@writes
def check_in(shift_id: int, actor: Session, now: dt.datetime | None = None) -> Shift:
    """The signed-in cadre checks in to their own shift."""
    now = when(now)
    shift = own_shift(shift_id, actor)
    if shift.checked_in_at is not None:
        raise fail("shift", "duty.already_in", at=f"{shift.checked_in_at:%H:%M}")
    if now < shift.starts_at - EARLY_BEFORE:
        raise fail("shift", "duty.too_early", starts=f"{shift.starts_at:%m-%d %H:%M}",
                   minutes=int(EARLY_BEFORE.total_seconds() // 60))
    if now >= shift.ends_at:
        raise fail("shift", "duty.over", ends=f"{shift.ends_at:%m-%d %H:%M}")
    history.save_versioned(shift, shift.version, {"checked_in_at": now}, actor,
                           "shift", action="check_in")
    if shift.template.night:
        record_night(actor.cadre_id, shift.starts_at.date(), "shift", actor)
    return _any_shift(shift_id)


def missed_check_ins(station_id: int, now: dt.datetime | None = None) -> list[Shift]:
    """Shifts with a cadre on them that started more than LATE_AFTER ago and nobody
    checked in: running ones, and ended ones of the last MISSED_KEPT."""
    now = when(now)
    return list(shift_rows().where((Shift.station == station_id) & Shift.cadre.is_null(False)
                                & Shift.checked_in_at.is_null()
                                & (Shift.starts_at < now - LATE_AFTER)
                                & (Shift.ends_at > now - MISSED_KEPT))
                .order_by(Shift.starts_at, Shift.id))


@writes
def explain_missed(shift_id: int, reason: str, expected_version: int, actor: Session,
                   now: dt.datetime | None = None) -> Shift:
    """The head records why nobody checked in to a missed shift."""
    require_head(actor)
    shift = _any_shift(shift_id)
    require_station(actor, shift.station_id)
    if shift.cadre_id is None or check_in_state(shift, now) != "missed":
        raise fail("shift", "duty.not_missed")
    reason = require_text("reason", reason, t("duty.missed_reason"), 100)
    history.save_versioned(shift, expected_version, {"missed_reason": reason}, actor,
                           "shift", action="missed_reason")
    return _any_shift(shift_id)
