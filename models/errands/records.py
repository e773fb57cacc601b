"""What the desk reads of errands: a person's errands, receipts, details, figures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from models.core import history
from models.core.entities import Cadre
from models.core.i18n import t
from models.core.scope import found
from models.core.text import inert
from models.duty.holidays import unofficial_note, unofficial_years
from models.errands.entities import (
    OPEN_STATUSES,
    Errand,
    ErrandMaterial,
    Satisfaction,
    ServiceItem,
)
from models.errands.lifecycle import (
    allowed_moves,
    linked_errands,
    missing_materials,
    unreturned_originals,
)
from models.errands.queue import preset_filter, queue_count
from models.people.entities import Resident
from models.people.residents import household_members, load_resident


def resident_errands(resident_id: int, station_id: int, limit: int = 200) -> list[Errand]:
    return list(Errand.select(Errand, ServiceItem, Cadre)
                .join(ServiceItem).switch(Errand)
                .join(Cadre, JOIN.LEFT_OUTER, on=(Errand.owner == Cadre.id))
                .where((Errand.resident == resident_id) & (Errand.station == station_id))
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
    """The counts on the home screen: indexed counts, no table scans. Open, overdue
    and due today are what the queue's filters of those names find."""
    today = today or dt.date.today()
    start = dt.datetime.combine(today, dt.time())

    def found(preset: str) -> int:
        return queue_count(preset_filter(preset, station_id, None), today)

    return DeskFigures(
        # walk-ins: a batch registers errands nobody came in for
        today_intake=Errand.select(fn.COUNT(Errand.id))
        .where(Errand.station == station_id, Errand.created_at >= start,
               Errand.batch.is_null()).scalar(),
        open_count=found("open"),
        overdue=found("overdue"),
        due_today=found("today"),
    )


def reopened_errands(station_id: int, owner_id: int | None) -> list[Errand]:
    """The owner's errands a 不满意 callback put back in the open queue."""
    return list(Errand.select(Errand, Resident).join(Resident)
                .where((Errand.station == station_id) & (Errand.owner == owner_id)
                       & Errand.status.in_(OPEN_STATUSES)
                       & (Errand.satisfaction == Satisfaction.UNSATISFIED))
                .order_by(Errand.due_date, Errand.id))


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
    unofficial_years: list[int]  # the due date counts days of years not yet published

    def lines(self) -> list[tuple[str, str]]:
        """Label and value, in the order the receipt says them (screen and paper)."""
        return [
            (t("receipt.station"), self.station_name),
            (t("receipt.person"), self.resident_name),
            (t("receipt.item"), self.item_name),
            (t("receipt.mode"), t(f"mode.{self.mode}")),
            (t("receipt.taken"), self.created_at.strftime("%Y-%m-%d %H:%M")),
            (t("receipt.due"), self.due_date.isoformat()
             + unofficial_note(self.unofficial_years)),
            (t("receipt.received"), "、".join(self.received) or t("receipt.nothing")),
            (t("receipt.missing"), "、".join(self.missing) or t("receipt.nothing")),
            (t("receipt.cadre"), f"{self.cadre_name} {self.cadre_phone}"),
        ]


def _station_errand(errand_id: int, station_id: int) -> Errand:
    return found(Errand.select(Errand, Resident, ServiceItem)
                 .join(Resident).switch(Errand).join(ServiceItem)
                 .where((Errand.id == errand_id) & (Errand.station == station_id)).first())


def errand_receipt(errand_id: int, *, station_id: int) -> Receipt:
    errand = _station_errand(errand_id, station_id)
    materials = errand_materials(errand_id)
    owner = Cadre.get_or_none(Cadre.id == errand.owner_id)
    return Receipt(
        number=errand.number, resident_name=errand.resident.name,
        item_name=errand.item.name, mode=errand.mode, created_at=errand.created_at,
        due_date=errand.due_date,
        received=[m.name for m in materials if m.received],
        missing=[m.name for m in materials if not m.received],
        cadre_name=owner.name if owner else "", cadre_phone=owner.phone if owner else "",
        station_name=errand.station.name,
        unofficial_years=unofficial_years(errand.created_at.date(), errand.due_date))


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
    originals_out: list[str]  # still held for the villager: what a closing move asks about
    missing: list[str]  # materials not yet received: sending or delivering asks first
    merged_into: str
    cadres: dict[int, str]  # names for the ids in the history
    unofficial_years: list[int]  # the due date counts days of years not yet published


def errand_detail(errand_id: int, *, station_id: int) -> ErrandDetail:
    errand = _station_errand(errand_id, station_id)
    cadres = {c.id: c.name for c in Cadre.select(Cadre.id, Cadre.name)}  # a past station's too
    materials = [MaterialLine(m.id, m.name, m.received, m.original,
                              t("custody.township") if m.at_township else cadres.get(m.holder_id, ""),
                              m.returned_at)
                 for m in errand_materials(errand_id)]
    merged_into = (Errand.get_by_id(errand.merged_into_id).number
                   if errand.merged_into_id else "")
    return ErrandDetail(errand, errand.resident, errand.item,
                        cadres.get(errand.owner_id, ""), materials,
                        history.history("errand", errand_id), linked_errands(errand_id),
                        allowed_moves(errand),
                        [m.name for m in unreturned_originals(errand_id)],
                        missing_materials(errand_id), merged_into,
                        cadres, unofficial_years(errand.created_at.date(), errand.due_date))


def errand_by_number(number: str, *, station_id: int) -> Errand | None:
    return Errand.get_or_none((Errand.number == inert(number))
                              & (Errand.station == station_id))


@dataclass
class ResidentOverview:
    resident: Resident
    members: list[Resident]
    errands: list  # of Errand, newest first


def resident_overview(resident_id: int, *, station_id: int) -> ResidentOverview:
    """A resident of the station with their household and the station's errands for
    them (one who moved here from another station keeps those errands there)."""
    resident = load_resident(resident_id, station_id=station_id)
    members = household_members(resident.household_id) if resident.household_id else []
    return ResidentOverview(resident, members, resident_errands(resident_id, station_id))
