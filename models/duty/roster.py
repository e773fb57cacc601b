"""The duty roster (值班表): a month of shifts, generated fairly, and the month as
the grid shows it, gaps included.

models.duty.planning decides who takes which shift; this module reads the month
for it (cadres, leave, saved shifts) and saves the plan. Leave is in
models.duty.leave, swaps and substitutions in models.duty.swaps.

Regenerating keeps the past: every saved shift of a day before `today`, and every
shift already checked in, is kept exactly as it is; the planner counts it toward
the spread and keeps the holders of the others where it can.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, now
from models.core.guard import require_head, require_station
from models.core.i18n import t
from models.core.session import Session
from models.duty.checkin import check_in_state
from models.duty.entities import Shift, ShiftTemplate
from models.duty.holidays import unofficial_years, year_calendar
from models.duty.hours import (
    month_days,
    month_span,
    month_templates,
    next_month,
    shift_window,
    templates_of,
)
from models.duty.leave import leave_days, leaves_between
from models.duty.planning import Slot, Spread, assign

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
            if row is None and (template.retired or day < today):
                continue  # past days and retired templates: only the shifts there were
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
    templates = month_templates(station_id, days[0], days[-1])
    cadres = _rostered(station_id, cadre_ids)
    ids = [c.id for c in cadres]
    first, last = days[0] - dt.timedelta(days=1), days[-1] + dt.timedelta(days=1)
    saved = _saved_shifts(station_id, first, last)
    shifts = _month_shifts(templates, days, [s for s in saved if s.day in days], today)
    worked: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for row in saved:  # the neighbouring months' shifts count for rest
        if row.day not in days and row.cadre_id is not None:
            worked.setdefault(row.cadre_id, []).append((row.starts_at, row.ends_at))
    planned = assign(shifts, ids, leave_days(ids, first, last), worked)
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
def save_plan(plan: RosterPlan, actor: Session) -> int:
    """Save the plan's changes; returns how many shifts changed. A shift someone
    changed (or checked in) since the plan was made is not overwritten: StaleEdit."""
    require_head(actor)
    require_station(actor, plan.station_id)
    templates = {tp.id: tp for tp in templates_of(plan.station_id)}
    by_key = {(s.day, s.template_id): s for s in plan.shifts}
    changed = 0
    for day, template_id, old, new in plan.changes:
        slot = by_key[(day, template_id)]
        row = Shift.get_or_none((Shift.template == template_id) & (Shift.day == day))
        if template_id not in templates:  # removed from the settings since the plan
            raise history.StaleEdit(row)
        if row is not None:  # a plan whose templates are of another station
            require_station(actor, row.station_id)
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
    missed: bool = False  # someone was on it, nobody checked in (LATE_AFTER passed)
    missed_reason: str = ""  # why, as the head recorded it

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
    retired: bool = False  # removed from the day: a column only for the shifts it had


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


def month_roster(station_id: int, year: int, month: int, today: dt.date | None = None,
                 at: dt.datetime | None = None) -> MonthRoster:
    at = at or now()
    today = today or at.date()
    days = month_days(year, month)
    templates = month_templates(station_id, days[0], days[-1])
    cells: dict[tuple[dt.date, int], Cell] = {}
    for row in (Shift.select(Shift, Cadre.name.alias("cadre_name"))
                .join(Cadre, JOIN.LEFT_OUTER, on=(Shift.cadre == Cadre.id))
                .where((Shift.station == station_id) & (Shift.day >= days[0])
                       & (Shift.day <= days[-1])).objects()):
        cells[(row.day, row.template_id)] = Cell(
            row.id, row.cadre_id, row.cadre_name or "", row.version, row.checked_in_at,
            row.checked_out_at, row.starts_at, row.ends_at,
            missed=row.cadre_id is not None and check_in_state(row, at) == "missed",
            missed_reason=row.missed_reason)
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
        templates=[TemplateInfo(tp.id, tp.name, tp.starts, tp.ends, bool(tp.night),
                                bool(tp.retired)) for tp in templates],
        days=days, cells=cells,
        holidays={d: calendar.names.get(d, "") for d in days if d in calendar.holidays},
        workdays={d for d in days if d in calendar.workdays},
        unofficial=bool(unofficial_years(days[0], days[-1])),
        gaps=coverage_gaps(station_id, start, end), leave=leave,
        cadres=[(c.id, c.name) for c in Cadre.select(Cadre.id, Cadre.name).where(
            (Cadre.station == station_id) & Cadre.active).order_by(Cadre.id)])
