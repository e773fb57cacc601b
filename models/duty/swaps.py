"""Swaps and substitutions (换班/顶班): shifts change hands with a record, and
only to someone on hand and rested."""
from __future__ import annotations

import datetime as dt

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, now
from models.core.guard import is_head, require_head, require_own, require_station
from models.core.session import Session
from models.core.validation import fail
from models.duty.entities import Shift, ShiftSwap, ShiftTemplate
from models.duty.hours import shift_window
from models.duty.leave import leave_days
from models.duty.planning import REST, touches_leave


def _changeable(shift: Shift, at: dt.datetime) -> None:
    if shift.checked_in_at is not None or shift.starts_at <= at:
        raise fail("shift", "roster.shift_started", day=shift.day.isoformat())


def _check_fit(cadre_id: int, shift: Shift, ignore: tuple[int, ...]) -> None:
    """The cadre can take the shift: not on leave then, rested before and after."""
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None or not cadre.active or cadre.station_id != shift.station_id:
        raise fail("shift", "roster.unknown_cadre")
    leave = leave_days([cadre_id], shift.day - dt.timedelta(days=1),
                       shift.day + dt.timedelta(days=2))[cadre_id]
    if touches_leave(leave, shift.starts_at, shift.ends_at):
        raise fail("shift", "roster.on_leave", name=cadre.name, day=shift.day.isoformat())
    near = (Shift.select().where((Shift.cadre == cadre_id) & Shift.id.not_in(list(ignore))
                                 & (Shift.starts_at < shift.ends_at + REST)
                                 & (Shift.ends_at > shift.starts_at - REST)).first())
    if near is not None:
        raise fail("shift", "roster.too_close", name=cadre.name, day=near.day.isoformat())


def _reassign(shift: Shift, cadre_id: int | None, expected: int | None) -> None:
    version = shift.version if expected is None else expected
    updated = (Shift.update(cadre=cadre_id, version=version + 1)
               .where((Shift.id == shift.id) & (Shift.version == version)).execute())
    if updated != 1:
        raise history.StaleEdit(Shift.get_or_none(Shift.id == shift.id))


def _shift(shift_id: int, actor: Session) -> Shift:
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        raise fail("shift", "roster.unknown_shift")
    require_station(actor, shift.station_id)
    return shift


def _asked(actor: Session, cadre: Cadre, holder: int | None) -> dict:
    """Who asked for a change and who approved it: the head records what a cadre
    (the shift's holder) asked and approves it; a duty cadre's change of their own
    shift is asked by them and approved by nobody (the head sees it in the trail)."""
    if is_head(actor, cadre):
        return {"requested_by": holder or cadre.id, "approved_by": cadre.id}
    return {"requested_by": cadre.id, "approved_by": None}


@writes
def swap_shifts(shift_id: int, other_shift_id: int, actor: Session, note: str = "",
                versions: tuple[int, int] | None = None,
                at: dt.datetime | None = None) -> ShiftSwap:
    """Two cadres trade shifts (a duty cadre one of their own for another).
    `versions` are the shifts' versions the person saw; if either changed since,
    the swap is refused (StaleEdit)."""
    at = at or now()
    shift, other = _shift(shift_id, actor), _shift(other_shift_id, actor)
    cadre = require_own(actor, shift.cadre_id, other.cadre_id)
    if shift.id == other.id or shift.cadre_id == other.cadre_id:
        raise fail("shift", "roster.swap_same")
    for row in (shift, other):
        _changeable(row, at)
    ignore = (shift.id, other.id)
    if other.cadre_id is not None:
        _check_fit(other.cadre_id, shift, ignore)
    if shift.cadre_id is not None:
        _check_fit(shift.cadre_id, other, ignore)
    first, second = versions or (None, None)
    _reassign(shift, other.cadre_id, first)
    _reassign(other, shift.cadre_id, second)
    asked = _asked(actor, cadre, shift.cadre_id)
    swap = ShiftSwap.create(shift=shift, other=other, at=at, note=(note or "")[:200],
                            **asked)
    history.record("shift", shift.id, "swap", actor, other=other.id,
                   cadres=[shift.cadre_id, other.cadre_id], note=note, swap=swap.id,
                   **asked)
    return swap


@writes
def substitute(shift_id: int, cadre_id: int, actor: Session, note: str = "",
               version: int | None = None, at: dt.datetime | None = None) -> ShiftSwap:
    """Another cadre takes the shift (顶班), or someone is put on a gap. A duty
    cadre may have their own shift covered; anything else is the head's."""
    at = at or now()
    shift = _shift(shift_id, actor)
    actor_cadre = require_own(actor, shift.cadre_id)
    if shift.cadre_id == cadre_id:
        raise fail("shift", "roster.swap_same")
    _changeable(shift, at)
    _check_fit(cadre_id, shift, (shift.id,))
    before = shift.cadre_id
    _reassign(shift, cadre_id, version)
    asked = _asked(actor, actor_cadre, before)
    swap = ShiftSwap.create(shift=shift, other=None, at=at, note=(note or "")[:200],
                            **asked)
    history.record("shift", shift.id, "substitute", actor, cadre=[before, cadre_id],
                   note=note, swap=swap.id, **asked)
    return swap


@writes
def fill_slot(station_id: int, day: dt.date, template_id: int, cadre_id: int,
              actor: Session, note: str = "", at: dt.datetime | None = None) -> ShiftSwap:
    """The head puts a cadre on a shift that has no saved row yet (a month never
    generated)."""
    require_head(actor)
    require_station(actor, station_id)
    row = Shift.get_or_none((Shift.template == template_id) & (Shift.day == day))
    if row is None:
        template = ShiftTemplate.get_or_none((ShiftTemplate.id == template_id)
                                             & (ShiftTemplate.station == station_id))
        if template is None:
            raise fail("shift", "roster.unknown_shift")
        starts, ends = shift_window(template, day)
        row = Shift.create(station=station_id, template=template, day=day,
                           starts_at=starts, ends_at=ends, cadre=None)
        history.record("shift", row.id, "create", actor, day=day, template=template_id)
    return substitute(row.id, cadre_id, actor, note, at=at)
