"""Intake (接待登记): registering an errand, its number and its due date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models.core import history
from models.core.db import writes
from models.core.entities import Counter, now
from models.core.guard import require_cadre, require_station
from models.core.session import Session
from models.core.validation import ValidationError, fail
from models.duty.calendar import add_working_days
from models.duty.holidays import calendar_around, unofficial_years
from models.errands.catalogue import require_way
from models.errands.entities import (
    MODES,
    OPEN_STATUSES,
    Errand,
    ErrandMaterial,
    ServiceItem,
)
from models.people.entities import Resident, ResidentStatus
from models.people.residents import load_resident, resident_station


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


def person_refusal(resident: Resident) -> ValidationError | None:
    """Why no errand can be registered for this person, or None. Someone who has
    died stays in the register but asks for nothing more; someone who moved away may
    still have papers to settle here (their 迁出 is marked on screen)."""
    if resident.status == ResidentStatus.DECEASED:
        return fail("resident", "intake.deceased", name=resident.name)
    return None


@writes
def register_errand(form: IntakeForm, station_id: int, actor: Session) -> Errand:
    require_cadre(actor)
    require_station(actor, station_id)
    if form.mode not in MODES:
        raise fail("mode", "intake.bad_mode")
    item = ServiceItem.get_or_none((ServiceItem.id == form.item_id)
                                   & (ServiceItem.station == station_id))
    if item is None:
        raise fail("item", "intake.bad_item")
    require_way(item, form.mode)
    resident = Resident.get_or_none(Resident.id == form.resident_id)
    if resident is None:
        raise fail("resident", "intake.bad_person")
    refused = person_refusal(resident)
    if refused is not None:
        raise refused
    require_station(actor, resident_station(form.resident_id))
    unknown = set(form.received) - set(item.materials)
    if unknown:
        raise fail("materials", "intake.bad_materials")
    created = now()
    errand = Errand.create(
        number=reserve_numbers(created.year)[0], station=station_id,
        resident=form.resident_id, item=item, mode=form.mode, owner=actor.cadre_id,
        created_by=actor.cadre_id, created_at=created, updated_at=created,
        due_date=due_date_for(item, created.date()), note=form.note.strip()[:2000])
    held = set(held_originals(item, form.received, form.originals))
    ErrandMaterial.insert_many(
        [dict(errand=errand, name=name, received=name in form.received,
              original=name in held,
              # an original taken at the desk is in the intake cadre's keeping
              holder=actor.cadre_id if name in held else None)
         for name in item.materials]).execute()
    history.record("errand", errand.id, "create", actor, number=errand.number,
                   mode=form.mode, item=item.name, received=form.received)
    return errand


def held_originals(item: ServiceItem, received: list[str], marked: list[str]
                   ) -> list[str]:
    """Of the materials received, the originals the desk holds: those the catalogue
    says it keeps, and any other the cadre marked as an original at the desk."""
    return [name for name in item.materials if name in received
            and (name in item.originals or name in marked)]


def open_duplicates(resident_id: int, item_id: int, *, station_id: int) -> list[Errand]:
    """Open errands the person already has for this item: intake offers them first."""
    return list(Errand.select().where((Errand.resident == resident_id)
                                      & (Errand.item == item_id)
                                      & (Errand.station == station_id)
                                      & Errand.status.in_(OPEN_STATUSES))
                .order_by(Errand.id))


def restore_intake(data: dict, *, station_id: int
                   ) -> tuple[Resident | None, ServiceItem | None, dict]:
    """The person and item an intake draft named (either may be gone since, or be
    another station's: a draft belongs to a login, and a township cadre switches)."""
    resident = item = None
    if data.get("resident_id"):
        try:
            resident = load_resident(data["resident_id"], station_id=station_id)
        except ValidationError:
            resident = None
    if data.get("item_id"):
        item = ServiceItem.get_or_none((ServiceItem.id == data["item_id"])
                                       & (ServiceItem.station == station_id))
    return resident, item, data
