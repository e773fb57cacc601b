"""Households as the station head keeps them: a new household (户), a resident
moved to another one (分户 / 迁入), a resident who died or moved away.

Nobody is deleted: the departed stay in the register with their errands and
history, marked, and their open errands are flagged for the head (the queue's
需站长处理, the home screen) to close or hand on.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from peewee import JOIN, Case, fn

from models.core import history
from models.core.db import writes
from models.core.entities import VillagerGroup
from models.core.heads import require_head
from models.core.i18n import t
from models.core.scope import found, households_of
from models.core.session import Session
from models.core.text import inert
from models.core.validation import fail, optional_text
from models.errands.entities import OPEN_STATUSES, Errand, ServiceItem
from models.people.entities import (
    HEAD_OF_HOUSEHOLD,
    Household,
    Resident,
    ResidentStatus,
)
from models.people.residents import (
    ResidentForm,
    create_household,
    ensure_household,
    household_number,
    load_resident,
    matching_resident_ids,
    register_resident,
    resident_station,
    store_keys,
)
from models.station.team import group_numbered

LIST_LIMIT = 200


@dataclass
class HouseholdForm:
    number: str
    group_number: str
    address: str = ""
    # the head of household, registered with it (empty: move someone in instead)
    head_name: str = ""
    head_id_number: str = ""
    head_phone: str = ""


@writes
def add_household(form: HouseholdForm, actor: Session) -> Household:
    head = require_head(actor)
    number = household_number(form.number, actor.station_id)
    group = group_numbered(actor.station_id, form.group_number)
    address = optional_text("address", form.address, t("household.address"), 120)
    household = create_household(number, group, address, head)
    if any(value.strip() for value in (form.head_name, form.head_id_number, form.head_phone)):
        register_resident(ResidentForm(name=form.head_name, id_number=form.head_id_number,
                                       phone=form.head_phone, household_number=number,
                                       relation=HEAD_OF_HOUSEHOLD), head)
    return household


@writes
def move_resident(resident_id: int, expected_version: int, household_number: str,
                  group_number: str, relation: str, actor: Session) -> Resident:
    """To another household of the station (迁入), or to a new one made now in
    villager group `group_number` (分户)."""
    head = require_head(actor, resident_station(resident_id))
    resident = Resident.get_by_id(resident_id)
    household_id = ensure_household(household_number, group_number, actor.station_id, head)
    if household_id is None:
        raise fail("household", "household.move_where")
    try:
        saved = history.save_versioned(resident, expected_version,
                                       {"household": household_id,
                                        "relation": inert(relation)[:20]},
                                       head, "resident", action="move")
    except history.StaleEdit:
        raise history.StaleEdit(load_resident(resident_id, station_id=actor.station_id)
                                ) from None
    store_keys(saved)
    return load_resident(resident_id, station_id=actor.station_id)


def parse_day(raw: str, today: dt.date | None = None) -> dt.date:
    """"2026-11-20", "11-20" (this year), or nothing for today; never a day to come."""
    today = today or dt.date.today()
    text = unicodedata.normalize("NFKC", raw or "").strip().replace("/", "-")
    if not text:
        return today
    match = re.fullmatch(r"(?:(\d{4})-)?(\d{1,2})-(\d{1,2})", text)
    try:
        day = dt.date(int(match[1] or today.year), int(match[2]), int(match[3]))
    except (TypeError, ValueError):
        raise fail("status_since", "household.bad_day", given=inert(raw)) from None
    if day > today:
        raise fail("status_since", "household.day_future", day=day.isoformat())
    return day


@dataclass
class Departure:
    resident: Resident
    flagged: list[str]  # numbers of the open errands now flagged for the head


@writes
def mark_resident(resident_id: int, expected_version: int, status: str, since: str,
                  actor: Session) -> Departure:
    """Mark a resident deceased or moved away since the day `since` says (see
    `parse_day`), or present again (a mistake, a return). Their open errands are
    flagged for the head."""
    head = require_head(actor, resident_station(resident_id))
    try:
        status = ResidentStatus(status)
    except ValueError:
        raise fail("status", "household.bad_status") from None
    day = parse_day(since)
    resident = Resident.get_by_id(resident_id)
    departed = status is not ResidentStatus.PRESENT
    try:
        history.save_versioned(resident, expected_version,
                               {"status": status, "status_since": day if departed else None},
                               head, "resident", action="status")
    except history.StaleEdit:
        raise history.StaleEdit(load_resident(resident_id, station_id=actor.station_id)
                                ) from None
    flagged = []
    if departed:
        for errand in Errand.select().where((Errand.resident == resident_id) & ~Errand.flagged
                                            & Errand.status.in_(OPEN_STATUSES)):
            history.save_versioned(errand, errand.version, {"flagged": True}, head, "errand",
                                   action="flag")
            flagged.append(errand.number)
    return Departure(load_resident(resident_id, station_id=actor.station_id), flagged)


def departed_open_errands(station_id: int) -> list[Errand]:
    """Open errands of residents who died or moved away: for the head to close or
    hand on. Person and item loaded."""
    return list(Errand.select(Errand, Resident, ServiceItem).join(Resident).switch(Errand)
                .join(ServiceItem)
                .where((Errand.station == station_id) & Errand.status.in_(OPEN_STATUSES)
                       & (Resident.status != ResidentStatus.PRESENT))
                .order_by(Errand.due_date, Errand.id))


@dataclass
class HouseholdRow:
    household: Household  # with .group
    head: str  # the name of the member whose relation is 户主
    members: int
    departed: int


def find_households(station_id: int, query: str = "", limit: int = LIST_LIMIT
                    ) -> list[HouseholdRow]:
    """The station's households by number; with a query, those whose number starts
    with it, whose address holds it, or with a member found by it (name, pinyin,
    initials, phone or ID digits)."""
    rows = (Household.select(Household, VillagerGroup).join(VillagerGroup)
            .where(VillagerGroup.station == station_id))
    text = inert(query).strip()
    if text:
        members = (Resident.select(Resident.household)
                   .where(Resident.id.in_(matching_resident_ids(text, station_id) or [0])))
        rows = rows.where(Household.number.startswith(text) | Household.address.contains(text)
                          | Household.id.in_(members))
    households = list(rows.order_by(Household.number).limit(limit))
    ids = [h.id for h in households] or [0]
    counts = {hid: (total, departed) for hid, total, departed in
              Resident.select(Resident.household, fn.COUNT(Resident.id),
                              fn.SUM(Case(None, [(Resident.status != ResidentStatus.PRESENT, 1)],
                                          0)))
              .where(Resident.household.in_(ids)).group_by(Resident.household).tuples()}
    heads = dict(Resident.select(Resident.household, fn.MIN(Resident.name))
                 .where(Resident.household.in_(ids) & (Resident.relation == HEAD_OF_HOUSEHOLD))
                 .group_by(Resident.household).tuples())
    return [HouseholdRow(h, heads.get(h.id, ""), *(counts.get(h.id) or (0, 0)))
            for h in households]


@dataclass
class MemberRow:
    resident: Resident
    open_errands: int


def members_of(household_id: int, *, station_id: int) -> list[MemberRow]:
    """A household of the station: its residents, the departed too, with their open
    errands."""
    found(Household.get_or_none((Household.id == household_id)
                                & Household.id.in_(households_of(station_id))))
    residents = list(Resident.select().where(Resident.household == household_id)
                     .order_by(Resident.id))
    counts = dict(Errand.select(Errand.resident, fn.COUNT(Errand.id))
                  .join(Resident, JOIN.INNER)
                  .where((Resident.household == household_id)
                         & Errand.status.in_(OPEN_STATUSES))
                  .group_by(Errand.resident).tuples())
    return [MemberRow(r, counts.get(r.id, 0)) for r in residents]
