"""The duty roster (值班表): a month of shifts, generated fairly, swapped with a record.

models.duty.planning decides who takes which shift; this module reads the month
for it (cadres, leave, saved shifts) and saves the plan.

Regenerating keeps the past: every saved shift of a day before `today`, and every
shift already checked in, is kept exactly as it is; the planner counts it toward
the spread and keeps the holders of the others where it can.
"""
from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, field

from peewee import JOIN

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, now
from models.core.i18n import t
from models.core.validation import ValidationError
from models.duty.entities import Leave, Shift, ShiftSwap, ShiftTemplate
from models.duty.holidays import unofficial_years, year_calendar
from models.duty.planning import REST, Slot, Spread, assign, touches_leave

MAX_LEAVE_DAYS = 366

# ---- shifts and their hours ----

def _clock(text: str) -> dt.time:
    hour, _, minute = text.strip().partition(":")
    return dt.time(int(hour) % 24, int(minute or 0))


def shift_window(template, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When the template's shift on `day` starts and ends; an end at or before the
    start is on the next day (夜班 20:00–08:00)."""
    starts = dt.datetime.combine(day, _clock(template.starts))
    ends = dt.datetime.combine(day, _clock(template.ends))
    if ends <= starts:
        ends += dt.timedelta(days=1)
    return starts, ends


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, monthrange(year, month)[1] + 1)]


def next_month(year: int, month: int, step: int = 1) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def month_span(templates, year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The hours the month's own shifts are meant to cover: from the first shift of
    the 1st to the end of the last one of the last day (with the usual templates
    08:00 on the 1st to 08:00 on the 1st of the next month — the small hours of the
    1st belong to the previous month's last night shift)."""
    days = month_days(year, month)
    if not templates:
        return (dt.datetime.combine(days[0], dt.time()),
                dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time()))
    return (min(shift_window(tp, days[0])[0] for tp in templates),
            max(shift_window(tp, days[-1])[1] for tp in templates))


def templates_of(station_id: int) -> list[ShiftTemplate]:
    """The station's shift templates in the order of the day."""
    rows = list(ShiftTemplate.select().where(ShiftTemplate.station == station_id))
    return sorted(rows, key=lambda r: (r.position, _clock(r.starts), r.id))


# ---- leave ----

def _leave_days(cadre_ids, first: dt.date, last: dt.date) -> dict[int, set[dt.date]]:
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


def _fail(field_name: str, key: str, **values) -> ValidationError:
    return ValidationError(field_name, t(key, **values), key)


def parse_leave(text: str, year: int) -> tuple[dt.date, dt.date, str]:
    """"12-01 12-07 培训" -> (first, last, reason). Dates as MM-DD (in `year`, the
    last one rolling into the next year when it comes before the first) or
    YYYY-MM-DD; one date alone is one day."""
    words = text.replace("～", " ").replace("~", " ").replace("至", " ").replace("/", "-") \
        .replace("－", "-").split()
    dates: list[dt.date] = []
    while words and len(dates) < 2 and words[0][:1].isdigit():
        pieces = words.pop(0).split("-")
        try:
            if len(pieces) == 2:
                pieces = [str(year), *pieces]
            dates.append(dt.date(*(int(p) for p in pieces)))
        except (TypeError, ValueError):
            raise _fail("leave", "roster.leave_bad_dates", given=text) from None
    if not dates:
        raise _fail("leave", "roster.leave_bad_dates", given=text)
    first, last = dates[0], dates[-1]
    if len(dates) == 2 and last < first and text.split()[1].count("-") == 1:
        last = last.replace(year=last.year + 1)
    return first, last, " ".join(words)


@writes
def add_leave(cadre_id: int, first_day: dt.date, last_day: dt.date, reason: str,
              actor, at: dt.datetime | None = None) -> Leave:
    """Record a cadre's leave. Their shifts in it that have not started yet are
    freed (they show as gaps until someone is put on them), so the grid never
    pretends someone is on duty who is away."""
    if last_day < first_day:
        raise _fail("leave", "roster.leave_order")
    if (last_day - first_day).days + 1 > MAX_LEAVE_DAYS:
        raise _fail("leave", "roster.leave_too_long", days=MAX_LEAVE_DAYS)
    reason = " ".join((reason or "").split())
    if len(reason) > 60:
        raise _fail("leave", "roster.leave_reason_long", given=len(reason))
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise _fail("leave", "roster.unknown_cadre")
    at = at or now()
    leave = Leave.create(cadre=cadre, first_day=first_day, last_day=last_day, reason=reason)
    days = _leave_days([cadre.id], first_day - dt.timedelta(days=1), last_day)[cadre.id]
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


# ---- the month's plan ----

@dataclass
class PlannedShift(Slot):
    cadre_id: int | None = None  # who the plan puts on it
    shift_id: int | None = None  # the saved row, if any
    version: int | None = None  # its version when planned: a later change is not overwritten


@dataclass
class RosterPlan:
    station_id: int
    year: int
    month: int
    shifts: list[PlannedShift]
    spread: dict[int, Spread]
    changes: list[tuple[dt.date, int, int | None, int | None]]
    gaps: list[PlannedShift]
    names: dict[int, str] = field(default_factory=dict)
    fair: dict[int, float] = field(default_factory=dict)  # each cadre's share of shifts
    templates: dict[int, str] = field(default_factory=dict)


def _saved_shifts(station_id: int, first: dt.date, last: dt.date) -> list[Shift]:
    return list(Shift.select().where((Shift.station == station_id) & (Shift.day >= first)
                                     & (Shift.day <= last)).order_by(Shift.starts_at, Shift.id))


def _rostered(station_id: int, cadre_ids: list[int] | None) -> list[Cadre]:
    if cadre_ids is None:
        return list(Cadre.select().where((Cadre.station == station_id) & Cadre.active)
                    .order_by(Cadre.id))
    return list(Cadre.select().where(Cadre.id.in_(list(cadre_ids))).order_by(Cadre.id))


def _month_shifts(templates: list[ShiftTemplate], days: list[dt.date], saved: list[Shift],
                  today: dt.date) -> list[PlannedShift]:
    """The month's shifts in the order of the grid, each with who is on it as saved.
    Shifts of a day before `today` and checked-in ones are kept, with the hours
    they were saved with."""
    rows = {(row.day, row.template_id): row for row in saved}
    holidays = year_calendar(days[0].year).holidays
    shifts = []
    for day in days:
        for template in templates:
            starts, ends = shift_window(template, day)
            row = rows.get((day, template.id))
            kept = day < today or (row is not None and row.checked_in_at is not None)
            if kept and row is not None:
                starts, ends = row.starts_at, row.ends_at
            shifts.append(PlannedShift(
                day=day, template_id=template.id, starts_at=starts, ends_at=ends,
                night=bool(template.night), holiday=day in holidays, kept=kept,
                holder=row.cadre_id if row else None, shift_id=row.id if row else None,
                version=row.version if row else None))
    return shifts


def plan_month(station_id: int, year: int, month: int, today: dt.date | None = None,
               cadre_ids: list[int] | None = None) -> RosterPlan:
    """A roster for the month (not saved: see save_plan)."""
    today = today or dt.date.today()
    days = month_days(year, month)
    templates = templates_of(station_id)
    cadres = _rostered(station_id, cadre_ids)
    ids = [c.id for c in cadres]
    first, last = days[0] - dt.timedelta(days=1), days[-1] + dt.timedelta(days=1)
    saved = _saved_shifts(station_id, first, last)
    shifts = _month_shifts(templates, days, [s for s in saved if s.day in days], today)
    worked: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for row in saved:  # the neighbouring months' shifts count for rest
        if row.day not in days and row.cadre_id is not None:
            worked.setdefault(row.cadre_id, []).append((row.starts_at, row.ends_at))
    planned = assign(shifts, ids, _leave_days(ids, first, last), worked)
    for shift, cadre_id in zip(shifts, planned.cadres):
        shift.cadre_id = cadre_id
    changes = [(s.day, s.template_id, s.holder, s.cadre_id) for s in shifts
               if not s.kept and s.holder != s.cadre_id]
    names = {c.id: c.name for c in cadres}
    missing = [cid for cid in [*planned.spread, *(old for _, _, old, _ in changes)]
               if cid is not None and cid not in names]
    if missing:
        names.update({c.id: c.name for c in Cadre.select().where(Cadre.id.in_(missing))})
    return RosterPlan(station_id=station_id, year=year, month=month, shifts=shifts,
                      spread=planned.spread, changes=changes,
                      gaps=[s for s in shifts if s.cadre_id is None], names=names,
                      fair=planned.fair, templates={tp.id: tp.name for tp in templates})


def spread_lines(plan: RosterPlan) -> list[tuple[str, Spread, float | None]]:
    """(name, spread, fair share of shifts) per cadre, in id order."""
    return [(plan.names.get(cid, str(cid)), plan.spread[cid], plan.fair.get(cid))
            for cid in sorted(plan.spread)]


def spread_text(plan: RosterPlan) -> str:
    """The spread as plain lines, e.g. for an export or a notice."""
    lines = []
    for name, s, fair in spread_lines(plan):
        lines.append(t("roster.spread_line", name=name, day=s.day, night=s.night,
                       holiday=s.holiday, total=s.total,
                       fair="-" if fair is None else f"{fair:.1f}"))
    return "\n".join(lines)


@writes
def save_plan(plan: RosterPlan, actor) -> int:
    """Save the plan's changes; returns how many shifts changed. A shift someone
    changed (or checked in) since the plan was made is not overwritten: StaleEdit."""
    templates = {tp.id: tp for tp in templates_of(plan.station_id)}
    by_key = {(s.day, s.template_id): s for s in plan.shifts}
    changed = 0
    for day, template_id, old, new in plan.changes:
        slot = by_key[(day, template_id)]
        row = Shift.get_or_none((Shift.template == template_id) & (Shift.day == day))
        if row is None and slot.shift_id is None:
            starts, ends = shift_window(templates[template_id], day)
            row = Shift.create(station=plan.station_id, template=template_id, day=day,
                               starts_at=starts, ends_at=ends, cadre=new)
        elif (row is None or row.id != slot.shift_id or row.version != slot.version
              or row.checked_in_at is not None):
            raise history.StaleEdit(row)
        else:
            starts, ends = shift_window(templates[template_id], day)
            updated = (Shift.update(cadre=new, starts_at=starts, ends_at=ends,
                                    version=Shift.version + 1)
                       .where((Shift.id == row.id) & (Shift.version == slot.version))
                       .execute())
            if updated != 1:
                raise history.StaleEdit(Shift.get_or_none(Shift.id == row.id))
        changed += 1
    history.record("roster", plan.station_id, "generate", actor,
                   month=f"{plan.year}-{plan.month:02d}", changed=changed,
                   changes=[[d.isoformat(), tid, old, new] for d, tid, old, new in plan.changes],
                   gaps=len(plan.gaps))
    return changed


# ---- coverage ----

def coverage_gaps(station_id: int, start: dt.datetime, end: dt.datetime
                  ) -> list[tuple[dt.datetime, dt.datetime]]:
    """The hours in [start, end) with nobody on duty: no shift, a shift nobody is
    on, or hours the station's templates do not cover."""
    covered = (Shift.select(Shift.starts_at, Shift.ends_at)
               .where((Shift.station == station_id) & Shift.cadre.is_null(False)
                      & (Shift.starts_at < end) & (Shift.ends_at > start))
               .order_by(Shift.starts_at).tuples())
    gaps = []
    cursor = start
    for starts, ends in covered:
        if starts > cursor:
            gaps.append((cursor, min(starts, end)))
        cursor = max(cursor, ends)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def gaps_ahead(station_id: int, at: dt.datetime | None = None
               ) -> list[tuple[dt.datetime, dt.datetime]]:
    """Gaps from now to the end of next month (what the desk flags)."""
    at = at or now()
    year, month = next_month(at.year, at.month, 2)
    return coverage_gaps(station_id, at, dt.datetime(year, month, 1))


# ---- the month as the grid shows it ----

@dataclass
class Cell:
    shift_id: int | None
    cadre_id: int | None
    cadre_name: str
    version: int | None
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    @property
    def gap(self) -> bool:
        return self.cadre_id is None


@dataclass
class TemplateInfo:
    id: int
    name: str
    starts: str
    ends: str
    night: bool


@dataclass
class MonthRoster:
    station_id: int
    year: int
    month: int
    today: dt.date
    templates: list[TemplateInfo]
    days: list[dt.date]
    cells: dict[tuple[dt.date, int], Cell]
    holidays: dict[dt.date, str]  # 休: statutory holidays of the month, with names
    workdays: set[dt.date]  # 班: weekend days that are working days (调休)
    unofficial: bool
    gaps: list[tuple[dt.datetime, dt.datetime]]
    leave: dict[dt.date, list[tuple[int, str]]]  # who is away each day
    cadres: list[tuple[int, str]] = field(default_factory=list)  # active, for pickers

    def cell(self, day: dt.date, template_id: int) -> Cell:
        return self.cells.get((day, template_id)) or Cell(None, None, "", None, None, None)


def month_roster(station_id: int, year: int, month: int,
                 today: dt.date | None = None) -> MonthRoster:
    today = today or dt.date.today()
    days = month_days(year, month)
    templates = templates_of(station_id)
    cells: dict[tuple[dt.date, int], Cell] = {}
    for row in (Shift.select(Shift, Cadre.name.alias("cadre_name"))
                .join(Cadre, JOIN.LEFT_OUTER, on=(Shift.cadre == Cadre.id))
                .where((Shift.station == station_id) & (Shift.day >= days[0])
                       & (Shift.day <= days[-1])).objects()):
        cells[(row.day, row.template_id)] = Cell(
            row.id, row.cadre_id, row.cadre_name or "", row.version, row.checked_in_at,
            row.checked_out_at, row.starts_at, row.ends_at)
    calendar = year_calendar(year)
    leave: dict[dt.date, list[tuple[int, str]]] = {}
    for entry in leaves_between(station_id, days[0], days[-1]):
        day = max(entry.first_day, days[0])
        while day <= min(entry.last_day, days[-1]):
            names = leave.setdefault(day, [])
            if (entry.cadre.id, entry.cadre.name) not in names:
                names.append((entry.cadre.id, entry.cadre.name))
            day += dt.timedelta(days=1)
    start, end = month_span(templates, year, month)
    return MonthRoster(
        station_id=station_id, year=year, month=month, today=today,
        templates=[TemplateInfo(tp.id, tp.name, tp.starts, tp.ends, bool(tp.night))
                   for tp in templates],
        days=days, cells=cells,
        holidays={d: calendar.names.get(d, "") for d in days if d in calendar.holidays},
        workdays={d for d in days if d in calendar.workdays},
        unofficial=bool(unofficial_years(days[0], days[-1])),
        gaps=coverage_gaps(station_id, start, end), leave=leave,
        cadres=[(c.id, c.name) for c in Cadre.select(Cadre.id, Cadre.name).where(
            (Cadre.station == station_id) & Cadre.active).order_by(Cadre.id)])


# ---- swaps and substitutions ----

def _changeable(shift: Shift, at: dt.datetime) -> None:
    if shift.checked_in_at is not None or shift.starts_at <= at:
        raise _fail("shift", "roster.shift_started", day=shift.day.isoformat())


def _check_fit(cadre_id: int, shift: Shift, ignore: tuple[int, ...]) -> None:
    """The cadre can take the shift: not on leave then, rested before and after."""
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None or not cadre.active or cadre.station_id != shift.station_id:
        raise _fail("shift", "roster.unknown_cadre")
    leave = _leave_days([cadre_id], shift.day - dt.timedelta(days=1),
                        shift.day + dt.timedelta(days=2))[cadre_id]
    if touches_leave(leave, shift.starts_at, shift.ends_at):
        raise _fail("shift", "roster.on_leave", name=cadre.name, day=shift.day.isoformat())
    near = (Shift.select().where((Shift.cadre == cadre_id) & Shift.id.not_in(list(ignore))
                                 & (Shift.starts_at < shift.ends_at + REST)
                                 & (Shift.ends_at > shift.starts_at - REST)).first())
    if near is not None:
        raise _fail("shift", "roster.too_close", name=cadre.name,
                    day=near.day.isoformat())


def _reassign(shift: Shift, cadre_id: int | None, expected: int | None) -> None:
    version = shift.version if expected is None else expected
    updated = (Shift.update(cadre=cadre_id, version=version + 1)
               .where((Shift.id == shift.id) & (Shift.version == version)).execute())
    if updated != 1:
        raise history.StaleEdit(Shift.get_or_none(Shift.id == shift.id))


def _shift(shift_id: int) -> Shift:
    shift = Shift.get_or_none(Shift.id == shift_id)
    if shift is None:
        raise _fail("shift", "roster.unknown_shift")
    return shift


@writes
def swap_shifts(shift_id: int, other_shift_id: int, requested_by, approved_by,
                note: str = "", versions: tuple[int, int] | None = None,
                at: dt.datetime | None = None) -> ShiftSwap:
    """Two cadres trade shifts. `versions` are the shifts' versions the person saw;
    if either changed since, the swap is refused (StaleEdit)."""
    at = at or now()
    shift, other = _shift(shift_id), _shift(other_shift_id)
    if shift.id == other.id or shift.cadre_id == other.cadre_id:
        raise _fail("shift", "roster.swap_same")
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
    swap = ShiftSwap.create(shift=shift, other=other, requested_by=requested_by,
                            approved_by=approved_by, at=at, note=(note or "")[:200])
    history.record("shift", shift.id, "swap", approved_by, other=other.id,
                   requested_by=requested_by, approved_by=approved_by,
                   cadres=[shift.cadre_id, other.cadre_id], note=note, swap=swap.id)
    return swap


@writes
def substitute(shift_id: int, cadre_id: int, requested_by, approved_by, note: str = "",
               version: int | None = None, at: dt.datetime | None = None) -> ShiftSwap:
    """Another cadre takes the shift (顶班), or someone is put on a gap."""
    at = at or now()
    shift = _shift(shift_id)
    if shift.cadre_id == cadre_id:
        raise _fail("shift", "roster.swap_same")
    _changeable(shift, at)
    _check_fit(cadre_id, shift, (shift.id,))
    before = shift.cadre_id
    _reassign(shift, cadre_id, version)
    swap = ShiftSwap.create(shift=shift, other=None, requested_by=requested_by,
                            approved_by=approved_by, at=at, note=(note or "")[:200])
    history.record("shift", shift.id, "substitute", approved_by, cadre=[before, cadre_id],
                   requested_by=requested_by, approved_by=approved_by, note=note,
                   swap=swap.id)
    return swap


@writes
def fill_slot(station_id: int, day: dt.date, template_id: int, cadre_id: int,
              requested_by, approved_by, note: str = "",
              at: dt.datetime | None = None) -> ShiftSwap:
    """Put a cadre on a shift that has no saved row yet (a month never generated)."""
    row = Shift.get_or_none((Shift.template == template_id) & (Shift.day == day))
    if row is None:
        template = ShiftTemplate.get_or_none((ShiftTemplate.id == template_id)
                                             & (ShiftTemplate.station == station_id))
        if template is None:
            raise _fail("shift", "roster.unknown_shift")
        starts, ends = shift_window(template, day)
        row = Shift.create(station=station_id, template=template, day=day,
                           starts_at=starts, ends_at=ends, cadre=None)
        history.record("shift", row.id, "create", approved_by, day=day,
                       template=template_id)
    return substitute(row.id, cadre_id, requested_by, approved_by, note, at=at)


def swaps_of(shift_id: int) -> list[ShiftSwap]:
    return list(ShiftSwap.select().where((ShiftSwap.shift == shift_id)
                                         | (ShiftSwap.other == shift_id))
                .order_by(ShiftSwap.id))
