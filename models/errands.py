"""Errands (代办事项): intake, numbering, and what the desk needs to see of them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, fn

from . import history
from .calendar import add_working_days
from .db import writes
from .entities import (MODES, OPEN_STATUSES, Cadre, Counter, Errand, ErrandMaterial,
                       Resident, ServiceItem, now)
from .holidays import calendar_around, unofficial_years
from .i18n import t
from .people import load_resident
from .validation import ValidationError


@dataclass
class IntakeForm:
    """One walk-in visit as the cadre filled it in at the desk."""
    resident_id: int
    item_id: int
    mode: str
    received: list[str] = field(default_factory=list)  # materials handed over
    originals: list[str] = field(default_factory=list)  # of those, originals kept
    note: str = ""


def reserve_numbers(year: int, count: int = 1) -> list[str]:
    """The next `count` errand numbers of the year, e.g. 2026-000123, in one bump.

    Must run inside a write transaction: the UPDATE takes the row (PostgreSQL) or
    database (SQLite, BEGIN IMMEDIATE) lock, so two sessions never get one number.
    """
    name = f"errand-{year}"
    Counter.insert(name=name, value=0).on_conflict_ignore().execute()
    Counter.update(value=Counter.value + count).where(Counter.name == name).execute()
    last = Counter.select(Counter.value).where(Counter.name == name).scalar()
    return [f"{year}-{value:06d}" for value in range(last - count + 1, last + 1)]


@dataclass
class DueDate:
    """A promised date, and the years in its span whose holiday schedule is not
    published yet (the screen says so: those days were counted without 调休)."""
    date: dt.date
    unofficial_years: list[int]


def due_date_info(item: ServiceItem, start: dt.date) -> DueDate:
    due = due_date_for(item, start)
    return DueDate(due, unofficial_years(start, due))


def due_date_for(item: ServiceItem, start: dt.date) -> dt.date:
    """Intake day + the item's time limit in working days (weekends, statutory
    holidays and 调休 as the calendar has them)."""
    return add_working_days(start, item.time_limit_days, *calendar_around(start))


@writes
def register_errand(form: IntakeForm, station_id: int, actor: Cadre | None) -> Errand:
    if form.mode not in MODES:
        raise ValidationError("mode", t("intake.bad_mode"))
    item = ServiceItem.get_or_none(ServiceItem.id == form.item_id)
    if item is None:
        raise ValidationError("item", t("intake.bad_item"))
    if Resident.get_or_none(Resident.id == form.resident_id) is None:
        raise ValidationError("resident", t("intake.bad_person"))
    unknown = set(form.received) - set(item.materials)
    if unknown:
        raise ValidationError("materials", t("intake.bad_materials"))
    created = now()
    errand = Errand.create(
        number=reserve_numbers(created.year)[0], station=station_id,
        resident=form.resident_id, item=item, mode=form.mode, owner=actor,
        created_by=actor, created_at=created, updated_at=created,
        due_date=due_date_for(item, created.date()), note=form.note.strip()[:2000])
    ErrandMaterial.insert_many(
        [dict(errand=errand, name=name, received=name in form.received,
              original=name in form.originals and name in form.received,
              # an original taken at the desk is in the intake cadre's keeping
              holder=actor if name in form.originals and name in form.received else None)
         for name in item.materials]).execute()
    history.record("errand", errand.id, "create", actor, number=errand.number,
                   mode=form.mode, item=item.name, received=form.received)
    return errand


def resident_errands(resident_id: int, limit: int = 200) -> list[Errand]:
    return list(Errand.select(Errand, ServiceItem, Cadre)
                .join(ServiceItem).switch(Errand)
                .join(Cadre, JOIN.LEFT_OUTER, on=(Errand.owner == Cadre.id))
                .where(Errand.resident == resident_id)
                .order_by(Errand.created_at.desc(), Errand.id.desc())
                .limit(limit))


def errand_materials(errand_id: int) -> list[ErrandMaterial]:
    return list(ErrandMaterial.select().where(ErrandMaterial.errand == errand_id)
                .order_by(ErrandMaterial.id))


@dataclass
class DeskFigures:
    today_intake: int
    open_count: int
    overdue: int
    due_today: int


def desk_figures(station_id: int, today: dt.date | None = None) -> DeskFigures:
    """The counts on the home screen: indexed counts, no table scans."""
    today = today or dt.date.today()
    start = dt.datetime.combine(today, dt.time())
    mine = Errand.station == station_id
    is_open = Errand.status.in_(OPEN_STATUSES)

    def count(*conditions) -> int:
        return Errand.select(fn.COUNT(Errand.id)).where(mine, *conditions).scalar()

    return DeskFigures(
        today_intake=count(Errand.created_at >= start),
        open_count=count(is_open),
        overdue=count(is_open, Errand.due_date < today),
        due_today=count(is_open, Errand.due_date == today),
    )


@dataclass
class Receipt:
    """What the villager is told at the end of intake (and can be shown again)."""
    number: str
    resident_name: str
    item_name: str
    mode: str
    created_at: dt.datetime
    due_date: dt.date
    received: list[str]
    missing: list[str]
    cadre_name: str
    cadre_phone: str
    station_name: str


def errand_receipt(errand_id: int) -> Receipt:
    errand = (Errand.select(Errand, Resident, ServiceItem)
              .join(Resident).switch(Errand).join(ServiceItem)
              .where(Errand.id == errand_id).get())
    materials = errand_materials(errand_id)
    owner = Cadre.get_or_none(Cadre.id == errand.owner_id)
    return Receipt(
        number=errand.number, resident_name=errand.resident.name,
        item_name=errand.item.name, mode=errand.mode, created_at=errand.created_at,
        due_date=errand.due_date,
        received=[m.name for m in materials if m.received],
        missing=[m.name for m in materials if not m.received],
        cadre_name=owner.name if owner else "", cadre_phone=owner.phone if owner else "",
        station_name=errand.station.name)


def open_duplicates(resident_id: int, item_id: int) -> list[Errand]:
    """Open errands the person already has for this item: intake offers them first."""
    return list(Errand.select().where((Errand.resident == resident_id)
                                      & (Errand.item == item_id)
                                      & Errand.status.in_(OPEN_STATUSES))
                .order_by(Errand.id))


@dataclass
class MaterialLine:
    id: int
    name: str
    received: bool
    original: bool
    holder: str  # who has the original now: a cadre, the township, or "" once returned
    returned_at: dt.datetime | None


@dataclass
class ErrandDetail:
    """Everything the errand screen shows, read in one go."""
    errand: Errand
    resident: Resident
    item: ServiceItem
    owner: str
    materials: list[MaterialLine]
    events: list  # of history.Event, oldest first, with .actor joined
    links: list[Errand]
    moves: tuple[str, ...]
    merged_into: str
    cadres: dict[int, str]  # names for the ids in the history


def errand_detail(errand_id: int) -> ErrandDetail:
    from .lifecycle import allowed_moves, linked_errands
    errand = (Errand.select(Errand, Resident, ServiceItem)
              .join(Resident).switch(Errand).join(ServiceItem)
              .where(Errand.id == errand_id).get())
    cadres = {c.id: c.name for c in Cadre.select(Cadre.id, Cadre.name)}
    materials = [MaterialLine(m.id, m.name, m.received, m.original,
                              t("custody.township") if m.at_township else cadres.get(m.holder_id, ""),
                              m.returned_at)
                 for m in errand_materials(errand_id)]
    merged_into = (Errand.get_by_id(errand.merged_into_id).number
                   if errand.merged_into_id else "")
    return ErrandDetail(errand, errand.resident, errand.item,
                        cadres.get(errand.owner_id, ""), materials,
                        history.history("errand", errand_id), linked_errands(errand_id),
                        allowed_moves(errand), merged_into, cadres)


def errand_by_number(number: str) -> Errand | None:
    return Errand.get_or_none(Errand.number == number.strip())


def restore_intake(data: dict) -> tuple[Resident | None, ServiceItem | None, dict]:
    """The person and item an intake draft named (either may be gone since)."""
    resident = item = None
    if data.get("resident_id"):
        try:
            resident = load_resident(data["resident_id"])
        except Resident.DoesNotExist:
            resident = None
    if data.get("item_id"):
        item = ServiceItem.get_or_none(ServiceItem.id == data["item_id"])
    return resident, item, data
