"""The handover (交接班).

Check-out writes it: the cadre's note plus the lines the desk listed (errands
registered, advanced or due during the shift, originals the cadre holds),
addressed to the cadre of the next shift. The incoming cadre acknowledges it;
acknowledging an unaddressed one makes it theirs.
"""
from __future__ import annotations

import datetime as dt

from peewee import JOIN

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Event
from models.core.guard import require_cadre, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.text import contains, inert
from models.core.validation import fail
from models.duty.checkin import (
    current_shift,
    my_shift,
    own_shift,
    shift_after,
    shift_detail,
)
from models.duty.entities import Handover, Shift, ShiftTemplate
from models.duty.hours import when
from models.errands.entities import (
    OPEN_STATUSES,
    Errand,
    ErrandMaterial,
    ServiceItem,
    status_label,
)
from models.people.entities import Resident

NOTE_MAX = 4000
ERRAND_ACTIONS = ("status", "callback", "merge")  # what counts as "advanced"


def _errand_line(kind: str, errand: Errand, **extra) -> dict:
    line = dict(kind=kind, errand_id=errand.id, number=errand.number,
                resident=errand.resident.name, item=errand.item.name,
                status=errand.status, due_date=errand.due_date.isoformat(), **extra)
    label = t(f"duty.kind.{kind}")
    if kind == "original":
        line["text"] = t("duty.line.original", kind=label, material=extra["material"],
                         number=errand.number, resident=line["resident"], item=line["item"])
    else:
        line["text"] = t("duty.line.errand", kind=label, number=errand.number,
                         resident=line["resident"], item=line["item"],
                         status=status_label(errand.status, errand.mode),
                                 due=line["due_date"])
    return line


def _errands():
    return Errand.select(Errand, Resident, ServiceItem).join(Resident).switch(Errand) \
        .join(ServiceItem)


def handover_items(shift_id: int, now: dt.datetime | None = None, *, station_id: int
                   ) -> list[dict]:
    """What the desk lists for the handover, one line per errand (registered >
    advanced > due, the first that applies) plus one per original the outgoing
    cadre holds (custody given to them, or taken in at intake on an errand they
    own and not handed on since). The shift's window runs from its start (or an earlier check-in)
    to now (or its check-out)."""
    shift = shift_detail(shift_id, station_id=station_id)
    start = min(shift.starts_at, shift.checked_in_at or shift.starts_at)
    end = shift.checked_out_at or when(now)
    station = Errand.station == shift.station_id
    lines: list[dict] = []
    seen: set[int] = set()

    registered = _errands().where(station & (Errand.created_at >= start)
                                  & (Errand.created_at <= end)).order_by(Errand.id)
    for errand in registered:
        seen.add(errand.id)
        lines.append(_errand_line("registered", errand))

    moved = (Event.select(Event.entity_id).distinct()
             .where((Event.entity == "errand")
                    & Event.action.in_(ERRAND_ACTIONS) & (Event.at >= start)
                    & (Event.at <= end)))
    ids = [row.entity_id for row in moved if row.entity_id not in seen]
    if ids:
        for errand in _errands().where(station & Errand.id.in_(ids)).order_by(Errand.id):
            seen.add(errand.id)
            lines.append(_errand_line("advanced", errand))

    due = _errands().where(station & Errand.status.in_(OPEN_STATUSES)
                           & (Errand.due_date >= shift.starts_at.date())
                           & (Errand.due_date <= shift.ends_at.date())) \
        .order_by(Errand.due_date, Errand.id)
    for errand in due:
        if errand.id not in seen:
            seen.add(errand.id)
            lines.append(_errand_line("due", errand))

    if shift.cadre_id:
        held = (ErrandMaterial.select(ErrandMaterial, Errand, Resident, ServiceItem)
                .join(Errand).join(Resident).switch(Errand).join(ServiceItem)
                .where(station & ErrandMaterial.original & ErrandMaterial.received
                       & ErrandMaterial.returned_at.is_null() & ~ErrandMaterial.at_township
                       & ((ErrandMaterial.holder == shift.cadre_id)
                          # taken in before custody was recorded at intake: the owner's
                          | (ErrandMaterial.holder.is_null()
                             & (Errand.owner == shift.cadre_id))))
                .order_by(Errand.id, ErrandMaterial.id))
        for material in held:
            lines.append(_errand_line("original", material.errand, material=material.name))
    return lines


@writes
def check_out(shift_id: int, actor: Session, note: str,
              now: dt.datetime | None = None) -> Handover:
    """The signed-in cadre checks out of their own shift and writes the handover."""
    now = when(now)
    shift = own_shift(shift_id, actor)
    if shift.checked_in_at is None:
        raise fail("shift", "duty.not_in")
    if shift.checked_out_at is not None:
        raise fail("shift", "duty.already_out", at=f"{shift.checked_out_at:%H:%M}")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise fail("note", "invalid.text_too_long", label=t("duty.note"),
                   max_len=NOTE_MAX, given=len(note))
    items = handover_items(shift_id, now, station_id=actor.station_id)
    following = shift_after(shift.station_id, shift.ends_at, exclude=shift.id)
    history.save_versioned(shift, shift.version, {"checked_out_at": now}, actor,
                           "shift", action="check_out")
    handover = Handover.create(shift=shift.id, from_cadre=actor.cadre_id,
                               to_cadre=following.cadre_id if following else None,
                               note=note, items=items, written_at=now)
    history.record("handover", handover.id, "create", actor, shift=shift.id,
                   to=handover.to_cadre_id, lines=len(items))
    return handover_detail(handover.id, station_id=actor.station_id)


def _handovers():
    giver, taker = Cadre.alias("giver"), Cadre.alias("taker")
    return (Handover.select(Handover, Shift, ShiftTemplate, giver, taker)
            .join(Shift).join(ShiftTemplate).switch(Handover)
            .join(giver, JOIN.LEFT_OUTER, on=(Handover.from_cadre == giver.id),
                  attr="from_cadre").switch(Handover)
            .join(taker, JOIN.LEFT_OUTER, on=(Handover.to_cadre == taker.id),
                  attr="to_cadre")), giver, taker


def _any_handover(handover_id: int) -> Handover:
    """The handover with its shift (and template) and both cadres loaded, so a
    screen can show it without going back to the database; whatever its station
    (for the write guard, which refuses another station's by name)."""
    query, _, _ = _handovers()
    handover = query.where(Handover.id == handover_id).first()
    if handover is None:
        raise fail("handover", "duty.no_handover")
    return handover


def handover_detail(handover_id: int, *, station_id: int) -> Handover:
    handover = _any_handover(handover_id)
    if handover.shift.station_id != station_id:
        raise fail("handover", "duty.no_handover")
    return handover


def pending_handover(station_id: int, cadre_id: int, now: dt.datetime | None = None
                     ) -> Handover | None:
    """The newest unacknowledged handover addressed to this cadre, or one addressed
    to nobody (no next shift, or nobody on it) when this cadre is on duty now."""
    now = when(now)
    query, _, _ = _handovers()
    addressed = Handover.to_cadre == cadre_id
    on_duty = my_shift(station_id, cadre_id, now) is not None
    if not on_duty:
        current = current_shift(station_id, now)
        on_duty = current is not None and current.cadre_id == cadre_id
    if on_duty:
        addressed = addressed | Handover.to_cadre.is_null()
    return (query.where((Shift.station == station_id) & Handover.acknowledged_at.is_null()
                        & addressed
                        & (Handover.from_cadre.is_null() | (Handover.from_cadre != cadre_id)))
            .order_by(Handover.written_at.desc(), Handover.id.desc()).first())


@writes
def acknowledge(handover_id: int, actor: Session, now: dt.datetime | None = None
                ) -> Handover:
    """The signed-in cadre takes over a handover addressed to them (or to nobody)."""
    require_cadre(actor)
    cadre_id = actor.cadre_id
    now = when(now)
    handover = _any_handover(handover_id)
    require_station(actor, handover.shift.station_id)
    if handover.acknowledged_at is not None:
        raise fail("handover", "duty.ack_already",
                   at=f"{handover.acknowledged_at:%m-%d %H:%M}")
    if handover.from_cadre_id == cadre_id:
        raise fail("handover", "duty.ack_own")
    if handover.to_cadre_id is not None and handover.to_cadre_id != cadre_id:
        raise fail("handover", "duty.ack_not_yours", name=handover.to_cadre.name)
    updated = (Handover.update(acknowledged_at=now, to_cadre=cadre_id)
               .where((Handover.id == handover_id) & Handover.acknowledged_at.is_null())
               .execute())
    if updated != 1:  # someone acknowledged it a moment ago
        raise fail("handover", "duty.ack_already", at="")
    history.record("handover", handover_id, "acknowledge", actor)
    return handover_detail(handover_id, station_id=actor.station_id)


def search_handovers(station_id: int, text: str = "", limit: int = 50) -> list[Handover]:
    """Handovers whose note, listed lines or cadres' names contain `text`, newest
    first (all of them, newest first, for an empty text).

    The database narrows the rows with LIKE; the listed lines are JSON, whose key
    names and quoting would match too, so each candidate is then checked on the
    words a person reads."""
    query, giver, taker = _handovers()
    query = query.where(Shift.station == station_id) \
        .order_by(Handover.written_at.desc(), Handover.id.desc())
    text = inert(text)  # no NUL or lone surrogate into the LIKE pattern
    if not text:
        return list(query.limit(limit))
    query = query.where(contains(Handover.note, text) | contains(Handover.items, text)
                        | contains(giver.name, text) | contains(taker.name, text))
    needle = text.casefold()
    found = []
    for handover in query.iterator():
        if needle in handover_words(handover).casefold():
            found.append(handover)
            if len(found) >= limit:
                break
    return found


def handover_words(handover: Handover) -> str:
    """What a search looks in: the cadres, the note, the listed lines."""
    names = [cadre.name for cadre in (handover.from_cadre, handover.to_cadre) if cadre]
    return "\n".join([*names, handover_text(handover)])


def handover_text(handover: Handover) -> str:
    """The handover as plain lines (for a search hit, a print, the log)."""
    lines = [handover.note] if handover.note else []
    lines += [item.get("text", "") for item in handover.items or []]
    return "\n".join(lines)
