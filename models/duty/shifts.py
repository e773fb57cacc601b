"""The duty desk's day: check-in and check-out (签到/签退), the handover (交接班)
and the nights resident cadres spend in the village (住村).

Rules, in one place:
- A cadre checks in to their own shift from EARLY_BEFORE before it starts until
  it ends; later than LATE_AFTER after the start is *late*. A shift that started
  more than LATE_AFTER ago with nobody checked in is a *missed* check-in (it stays
  listed for a day after it ended).
- Check-out writes the handover: the cadre's note plus the lines the desk listed
  (errands registered, advanced or due during the shift, originals the cadre
  holds), addressed to the cadre of the next shift. The incoming cadre
  acknowledges it; acknowledging an unaddressed one makes it theirs.
- A night is the evening's date. Checking in to a night shift records it; a
  cadre can also mark "stayed tonight". Each resident cadre (Cadre.stays_in_village)
  needs Station.nights_required nights a month.

All times are the station's local wall-clock time, like the rest of the desk.
Functions take `now` so tests (and a late check-out) can say when "now" is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, SQL, NodeList, Value, fn

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Event, Station
from models.core.entities import now as _now
from models.core.i18n import t
from models.core.validation import fail
from models.duty.entities import Handover, NightStay, Shift, ShiftTemplate
from models.errands.entities import OPEN_STATUSES, Errand, ErrandMaterial, ServiceItem
from models.people.entities import Resident

LATE_AFTER = dt.timedelta(minutes=15)
EARLY_BEFORE = dt.timedelta(hours=1)
MISSED_KEPT = dt.timedelta(hours=24)  # an ended, never checked-in shift stays listed
OPEN_CHECKOUT = dt.timedelta(hours=12)  # forgot to check out: still possible this long
NOTE_MAX = 4000
ERRAND_ACTIONS = ("status", "callback", "merge")  # what counts as "advanced"


def _when(now: dt.datetime | None) -> dt.datetime:
    return now or _now()


def _hm(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def _like(column, text: str):
    """`column` contains `text`, literally (no wildcards from the user, and no
    field converter: a JSON column would quote the pattern)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column ** NodeList((Value(f"%{escaped}%", converter=False), SQL("ESCAPE"),
                               Value("\\", converter=False)))


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, after


# ---- who is on duty ----

def _shifts():
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
    now = _when(now)
    return (_shifts().where((Shift.station == station_id) & (Shift.starts_at <= now)
                            & (Shift.ends_at > now))
            .order_by(Shift.starts_at, Shift.id).first())


def shift_after(station_id: int, moment: dt.datetime, exclude: int | None = None
                ) -> Shift | None:
    query = _shifts().where((Shift.station == station_id) & (Shift.starts_at >= moment))
    if exclude is not None:
        query = query.where(Shift.id != exclude)
    return query.order_by(Shift.starts_at, Shift.id).first()


def duty_now(station_id: int, now: dt.datetime | None = None) -> DutyNow:
    now = _when(now)
    current = current_shift(station_id, now)
    if current is not None:
        following = shift_after(station_id, current.ends_at, exclude=current.id)
    else:
        following = (_shifts().where((Shift.station == station_id) & (Shift.starts_at > now))
                     .order_by(Shift.starts_at, Shift.id).first())
    state = check_in_state(current, now) if current is not None else ""
    return DutyNow(current, following, _name(current), _name(following),
                   late=state == "late", missed=state == "missed")


def check_in_state(shift: Shift, now: dt.datetime | None = None) -> str:
    """"on_time" | "late" (checked in after LATE_AFTER) | "missed" (not checked in,
    started more than LATE_AFTER ago) | "due" (not checked in, not late yet)."""
    now = _when(now)
    if shift.checked_in_at is not None:
        return "late" if shift.checked_in_at > shift.starts_at + LATE_AFTER else "on_time"
    return "missed" if now > shift.starts_at + LATE_AFTER else "due"


def my_shift(station_id: int, cadre_id: int, now: dt.datetime | None = None
             ) -> Shift | None:
    """The shift this cadre can check in to or out of now: one checked in and not
    out yet (up to OPEN_CHECKOUT after its end), else one running or starting
    within EARLY_BEFORE that is not checked in."""
    now = _when(now)
    mine = (Shift.station == station_id) & (Shift.cadre == cadre_id) \
        & Shift.checked_out_at.is_null()
    open_one = (_shifts().where(mine & Shift.checked_in_at.is_null(False)
                                & (Shift.ends_at > now - OPEN_CHECKOUT))
                .order_by(Shift.starts_at, Shift.id).first())
    if open_one is not None:
        return open_one
    return (_shifts().where(mine & Shift.checked_in_at.is_null()
                            & (Shift.starts_at <= now + EARLY_BEFORE) & (Shift.ends_at > now))
            .order_by(Shift.starts_at, Shift.id).first())


def shift_detail(shift_id: int) -> Shift:
    shift = _shifts().where(Shift.id == shift_id).first()
    if shift is None:
        raise fail("shift", "duty.no_shift")
    return shift


def _record_night(cadre_id: int, night: dt.date, source: str, actor) -> NightStay:
    row = NightStay.get_or_none((NightStay.cadre == cadre_id) & (NightStay.night == night))
    if row is None:
        NightStay.insert(cadre=cadre_id, night=night, source=source) \
            .on_conflict_ignore().execute()
        row = NightStay.get((NightStay.cadre == cadre_id) & (NightStay.night == night))
        history.record("night", row.id, "create", actor, cadre=cadre_id, night=night,
                       source=source)
    return row


@writes
def check_in(shift_id: int, cadre_id: int, now: dt.datetime | None = None) -> Shift:
    now = _when(now)
    shift = shift_detail(shift_id)
    if shift.cadre_id != cadre_id:
        raise fail("shift", "duty.not_yours", name=_name(shift) or t("duty.nobody"))
    if shift.checked_in_at is not None:
        raise fail("shift", "duty.already_in", at=_hm(shift.checked_in_at))
    if now < shift.starts_at - EARLY_BEFORE:
        raise fail("shift", "duty.too_early", starts=f"{shift.starts_at:%m-%d %H:%M}",
                    minutes=int(EARLY_BEFORE.total_seconds() // 60))
    if now >= shift.ends_at:
        raise fail("shift", "duty.over", ends=f"{shift.ends_at:%m-%d %H:%M}")
    history.save_versioned(shift, shift.version, {"checked_in_at": now}, cadre_id,
                           "shift", action="check_in")
    if shift.template.night:
        _record_night(cadre_id, shift.starts_at.date(), "shift", cadre_id)
    return shift_detail(shift_id)


def missed_check_ins(station_id: int, now: dt.datetime | None = None) -> list[Shift]:
    """Shifts with a cadre on them that started more than LATE_AFTER ago and nobody
    checked in: running ones, and ended ones of the last MISSED_KEPT."""
    now = _when(now)
    return list(_shifts().where((Shift.station == station_id) & Shift.cadre.is_null(False)
                                & Shift.checked_in_at.is_null()
                                & (Shift.starts_at < now - LATE_AFTER)
                                & (Shift.ends_at > now - MISSED_KEPT))
                .order_by(Shift.starts_at, Shift.id))


# ---- the handover ----

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
                         status=t(f"status.{errand.status}"), due=line["due_date"])
    return line


def _errands():
    return Errand.select(Errand, Resident, ServiceItem).join(Resident).switch(Errand) \
        .join(ServiceItem)


def handover_items(shift_id: int, now: dt.datetime | None = None) -> list[dict]:
    """What the desk lists for the handover, one line per errand (registered >
    advanced > due, the first that applies) plus one per original the outgoing
    cadre holds (custody given to them, or taken in at intake on an errand they
    own and not handed on since). The shift's window runs from its start (or an earlier check-in)
    to now (or its check-out)."""
    shift = shift_detail(shift_id)
    start = min(shift.starts_at, shift.checked_in_at or shift.starts_at)
    end = shift.checked_out_at or _when(now)
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
def check_out(shift_id: int, cadre_id: int, note: str,
              now: dt.datetime | None = None) -> Handover:
    now = _when(now)
    shift = shift_detail(shift_id)
    if shift.cadre_id != cadre_id:
        raise fail("shift", "duty.not_yours", name=_name(shift) or t("duty.nobody"))
    if shift.checked_in_at is None:
        raise fail("shift", "duty.not_in")
    if shift.checked_out_at is not None:
        raise fail("shift", "duty.already_out", at=_hm(shift.checked_out_at))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise fail("note", "invalid.text_too_long", label=t("duty.note"),
                    max_len=NOTE_MAX, given=len(note))
    items = handover_items(shift_id, now)
    following = shift_after(shift.station_id, shift.ends_at, exclude=shift.id)
    history.save_versioned(shift, shift.version, {"checked_out_at": now}, cadre_id,
                           "shift", action="check_out")
    handover = Handover.create(shift=shift.id, from_cadre=cadre_id,
                               to_cadre=following.cadre_id if following else None,
                               note=note, items=items, written_at=now)
    history.record("handover", handover.id, "create", cadre_id, shift=shift.id,
                   to=handover.to_cadre_id, lines=len(items))
    return handover_detail(handover.id)


def _handovers():
    giver, taker = Cadre.alias("giver"), Cadre.alias("taker")
    return (Handover.select(Handover, Shift, ShiftTemplate, giver, taker)
            .join(Shift).join(ShiftTemplate).switch(Handover)
            .join(giver, JOIN.LEFT_OUTER, on=(Handover.from_cadre == giver.id),
                  attr="from_cadre").switch(Handover)
            .join(taker, JOIN.LEFT_OUTER, on=(Handover.to_cadre == taker.id),
                  attr="to_cadre")), giver, taker


def handover_detail(handover_id: int) -> Handover:
    """The handover with its shift (and template) and both cadres loaded, so a
    screen can show it without going back to the database."""
    query, _, _ = _handovers()
    handover = query.where(Handover.id == handover_id).first()
    if handover is None:
        raise fail("handover", "duty.no_handover")
    return handover


def pending_handover(station_id: int, cadre_id: int, now: dt.datetime | None = None
                     ) -> Handover | None:
    """The newest unacknowledged handover addressed to this cadre, or one addressed
    to nobody (no next shift, or nobody on it) when this cadre is on duty now."""
    now = _when(now)
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
def acknowledge(handover_id: int, cadre_id: int, now: dt.datetime | None = None
                ) -> Handover:
    now = _when(now)
    handover = handover_detail(handover_id)
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
    history.record("handover", handover_id, "acknowledge", cadre_id)
    return handover_detail(handover_id)


def search_handovers(station_id: int, text: str = "", limit: int = 50) -> list[Handover]:
    """Handovers whose note, listed lines or cadres' names contain `text`, newest
    first (all of them, newest first, for an empty text).

    The database narrows the rows with LIKE; the listed lines are JSON, whose key
    names and quoting would match too, so each candidate is then checked on the
    words a person reads."""
    query, giver, taker = _handovers()
    query = query.where(Shift.station == station_id) \
        .order_by(Handover.written_at.desc(), Handover.id.desc())
    text = text.strip()
    if not text:
        return list(query.limit(limit))
    query = query.where(_like(Handover.note, text) | _like(Handover.items, text)
                        | _like(giver.name, text) | _like(taker.name, text))
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


# ---- nights in the village ----

def tonight(now: dt.datetime | None = None) -> dt.date:
    """The night "tonight" means: the evening's date; before noon, last night."""
    now = _when(now)
    return now.date() if now.hour >= 12 else now.date() - dt.timedelta(days=1)


@writes
def mark_night(cadre_id: int, night: dt.date, actor, today: dt.date | None = None
               ) -> NightStay:
    """"Stayed tonight": record the night (once; a night shift may have already)."""
    today = today or _now().date()
    if night > today:
        raise fail("night", "duty.night_future", night=night.isoformat())
    if Cadre.get_or_none(Cadre.id == cadre_id) is None:
        raise fail("cadre", "duty.no_cadre")
    return _record_night(cadre_id, night, "mark", actor)


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


def _nights_by_cadre(cadre_ids: list[int], year: int, month: int) -> dict[int, int]:
    if not cadre_ids:
        return {}
    first, after = _month_bounds(year, month)
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
    nights = _nights_by_cadre([c.id for c in cadres], year, month)
    return [NightsRow(c.id, c.name, nights.get(c.id, 0), required,
                      nights.get(c.id, 0) < required) for c in cadres]


def nights_short(station_id: int, year: int, month: int) -> list[NightsRow]:
    return [row for row in nights_summary(station_id, year, month) if row.short]


# ---- a cadre's month ----

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

    @property
    def short(self) -> bool:
        return self.stays_in_village and self.nights < self.required

    @property
    def missing_nights(self) -> int:
        return max(0, self.required - self.nights) if self.stays_in_village else 0


def cadre_month_summary(station_id: int, year: int, month: int,
                        now: dt.datetime | None = None) -> list[CadreMonth]:
    now = _when(now)
    first, after = _month_bounds(year, month)
    required = Station.get_by_id(station_id).nights_required
    shifts = list(Shift.select().where((Shift.station == station_id)
                                       & Shift.cadre.is_null(False)
                                       & (Shift.day >= first) & (Shift.day < after)))
    cadre_ids = {s.cadre_id for s in shifts}
    cadres = list(Cadre.select().where((Cadre.station == station_id)
                                       & (Cadre.active | Cadre.id.in_(list(cadre_ids) or [0])))
                  .order_by(Cadre.id))
    ids = [c.id for c in cadres]
    rows = {c.id: CadreMonth(c.id, c.name, 0, 0, 0, 0, 0, 0,
                             required if c.stays_in_village else 0, c.stays_in_village)
            for c in cadres}
    for shift in shifts:
        row = rows.get(shift.cadre_id)
        if row is None:
            continue
        row.shifts += 1
        state = check_in_state(shift, now)
        if state in ("on_time", "late", "missed"):
            setattr(row, state, getattr(row, state) + 1)
    for cadre_id, count in _nights_by_cadre(ids, year, month).items():
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
    return list(rows.values())


# ---- what the home screen shows ----

@dataclass
class HomeDuty:
    """Everything the home screen's duty lines need, read in one worker call."""
    duty: DutyNow
    mine: Shift | None  # the shift the signed-in cadre can check in to / out of
    pending: Handover | None  # a handover waiting for the signed-in cadre
    short: list[NightsRow] = field(default_factory=list)  # this month, below the rule
    missed: list[Shift] = field(default_factory=list)


def home_duty(station_id: int, cadre_id: int | None, now: dt.datetime | None = None
              ) -> HomeDuty:
    now = _when(now)
    return HomeDuty(
        duty=duty_now(station_id, now),
        mine=my_shift(station_id, cadre_id, now) if cadre_id else None,
        pending=pending_handover(station_id, cadre_id, now) if cadre_id else None,
        short=nights_short(station_id, now.year, now.month),
        missed=missed_check_ins(station_id, now))
