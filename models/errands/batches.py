"""Batch errands (批量代办): one item run for many households at once.

The yearly rural medical-insurance enrolment, the pension certification: the desk
picks the villager groups (and, for items people do themselves, a minimum age), the
program lists who is concerned, and one errand per person is registered in a single
write transaction — under the same rules as a walk-in intake (numbers from the same
yearly counter, due date from the item's time limit, every material listed, a
'create' event per errand) — and tracked together afterwards.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass, field

from peewee import JOIN, Case, chunked, fn

from models.core import history
from models.core.db import max_sql_variables, writes
from models.core.entities import Event, VillagerGroup, now
from models.core.guard import require_cadre, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import (
    ValidationError,
    birth_date_from_id,
    fail,
    require_text,
)
from models.errands.catalogue import require_way
from models.errands.entities import (
    MODES,
    OPEN_STATUSES,
    Errand,
    ErrandBatch,
    ErrandMaterial,
    ServiceItem,
    Status,
)
from models.errands.intake import DueDate, due_date_for, due_date_info, reserve_numbers
from models.errands.lifecycle import Move, advance
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident

DONE_STATUSES = (Status.DELIVERED, Status.CALLED_BACK)  # the villager has the result
HANDFUL = 5  # a batch of more errands than this is registered only once confirmed
LEFT_OUT_REASONS = ("no_id_number", "bad_id_number")
MAX_AGE = 150


# ---- who is concerned ----

@dataclass(frozen=True)
class LeftOut:
    """A resident the age rule could not be applied to, and why (LEFT_OUT_REASONS)."""
    resident_id: int
    name: str
    household_number: str
    reason: str


@dataclass
class BatchTargets:
    """The people a batch would be registered for.

    `residents` (id, name, relation, ID number: not whole rows) come with
    `.household` and `.household.group`, in household order. `left_out` lists the people the age rule had to skip (no usable ID number
    to read the birth date from); households without anyone registered are counted
    in `empty_households`.
    """
    residents: list[Resident]
    left_out: list[LeftOut] = field(default_factory=list)
    households: int = 0
    empty_households: int = 0
    per_person_min_age: int | None = None

    def left_out_by_reason(self) -> dict[str, int]:
        tally = Tally(entry.reason for entry in self.left_out)
        return {reason: tally[reason] for reason in LEFT_OUT_REASONS if tally[reason]}


def age_on(born: dt.date, today: dt.date) -> int:
    """Full years of age on `today` (a 29 February birthday counts from 1 March)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check_min_age(value: int | None) -> int | None:
    if value is not None and not (isinstance(value, int) and 0 <= value <= MAX_AGE):
        raise fail("min_age", "batch.bad_age")
    return value


def batch_targets(station_id: int, group_ids: list[int], *,
                  per_person_min_age: int | None = None,
                  today: dt.date | None = None) -> BatchTargets:
    """Heads of household (relation 户主, else the household's first resident) of the
    households in `group_ids` (every group of the station when empty); or, with
    `per_person_min_age`, everyone of those households at least that old."""
    check_min_age(per_person_min_age)
    today = today or dt.date.today()
    # Plain tuples for the whole village; model objects only for the chosen few.
    query = (Resident.select(Resident.id, Resident.name, Resident.relation,
                             Resident.id_number, Household.id, Household.number,
                             VillagerGroup.id, VillagerGroup.number, VillagerGroup.name)
             .join(Household).join(VillagerGroup)
             .where(VillagerGroup.station == station_id)
             .order_by(Household.number, Resident.id))
    households = (Household.select(fn.COUNT(Household.id)).join(VillagerGroup)
                  .where(VillagerGroup.station == station_id))
    if group_ids:
        query = query.where(VillagerGroup.id.in_(list(group_ids)))
        households = households.where(VillagerGroup.id.in_(list(group_ids)))
    by_household: dict[int, list[tuple]] = {}
    for row in query.tuples():
        by_household.setdefault(row[4], []).append(row)
    total = households.scalar() or 0
    targets = BatchTargets(residents=[], households=total,
                           empty_households=total - len(by_household),
                           per_person_min_age=per_person_min_age)
    chosen: list[tuple] = []
    for members in by_household.values():
        if per_person_min_age is None:
            heads = [m for m in members if m[2].strip() == HEAD_OF_HOUSEHOLD]
            chosen.append(heads[0] if heads else members[0])
            continue
        for member in members:
            rid, name, _, id_number, _, household_number = member[:6]
            reason = None
            if not id_number:
                reason = "no_id_number"
            else:
                try:
                    born = birth_date_from_id(id_number)
                except ValidationError:
                    reason = "bad_id_number"
            if reason:
                targets.left_out.append(LeftOut(rid, name, household_number, reason))
            elif age_on(born, today) >= per_person_min_age:
                chosen.append(member)
    groups: dict[int, VillagerGroup] = {}
    for rid, name, relation, id_number, hid, hnumber, gid, gnumber, gname in chosen:
        group = groups.setdefault(gid, VillagerGroup(id=gid, station=station_id,
                                                     number=gnumber, name=gname))
        household = Household(id=hid, number=hnumber, group=group)
        targets.residents.append(Resident(id=rid, name=name, relation=relation,
                                          id_number=id_number, household=household))
    return targets



def already_open(item_id: int, resident_ids: list[int], *, station_id: int
                 ) -> dict[int, str]:
    """Of these residents, those with an open errand for the item: id -> its number."""
    wanted = set(resident_ids)
    found: dict[int, str] = {}
    # The open errands of one item are few next to a village: read them, not an IN list.
    for resident_id, number in (Errand.select(Errand.resident, Errand.number)
                                .where((Errand.item == item_id)
                                       & (Errand.station == station_id)
                                       & Errand.status.in_(OPEN_STATUSES))
                                .order_by(Errand.id).tuples()):
        if resident_id in wanted:
            found.setdefault(resident_id, number)
    return found


@dataclass
class BatchPreview:
    """What Ctrl+S would do now: the targets, and how many of them already have the
    item open (those are skipped)."""
    targets: BatchTargets
    already_open: int = 0
    due: DueDate | None = None  # for the chosen item, from today

    @property
    def to_create(self) -> int:
        return len(self.targets.residents) - self.already_open

    @property
    def needs_confirm(self) -> bool:
        return self.to_create > HANDFUL


def preview_batch(station_id: int, item_id: int | None, group_ids: list[int], *,
                  per_person_min_age: int | None = None,
                  today: dt.date | None = None) -> BatchPreview:
    targets = batch_targets(station_id, group_ids, per_person_min_age=per_person_min_age,
                            today=today)
    open_count, due = 0, None
    if item_id is not None:
        open_count = len(already_open(item_id, [r.id for r in targets.residents],
                                      station_id=station_id))
        due = due_date_info(ServiceItem.get_by_id(item_id), today or dt.date.today())
    return BatchPreview(targets, open_count, due)


# ---- registering the batch ----

@dataclass(frozen=True)
class Skipped:
    """A resident who already had the item open: no second errand for them."""
    resident_id: int
    name: str
    open_number: str


@dataclass
class BatchResult:
    batch_id: int
    title: str
    created: int
    numbers: list[str]  # the new errands' numbers, in the order of the residents
    skipped: list[Skipped] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)  # from the targets, if known


def _station_residents(station_id: int, resident_ids: list[int]) -> dict[int, str]:
    """id -> name of those residents on file in a household of the station."""
    names: dict[int, str] = {}
    for part in chunked(resident_ids, 900):
        names.update(Resident.select(Resident.id, Resident.name)
                     .join(Household).join(VillagerGroup)
                     .where(Resident.id.in_(part) & (VillagerGroup.station == station_id))
                     .tuples())
    return names


def _insert(model, fields: list, rows: list[tuple]) -> None:
    size = max(1, max_sql_variables() // len(fields))
    for part in chunked(rows, size):
        model.insert_many(part, fields=fields).execute()


@writes
def create_batch(station_id: int, item_id: int, mode: str, resident_ids: list[int],
                 actor: Session, title: str = "", confirmed: bool = False) -> BatchResult:
    """One ErrandBatch and one errand per resident, all or nothing.

    Residents who already have an open errand for the item are skipped and
    reported. Refuses (ValidationError) an unknown mode or item, an empty list,
    residents no longer on file or not of the station's households, a list
    where everyone is skipped, and more than a HANDFUL of errands not `confirmed`.
    """
    require_cadre(actor)
    require_station(actor, station_id)
    if mode not in MODES:
        raise fail("mode", "intake.bad_mode")
    item = ServiceItem.get_or_none((ServiceItem.id == item_id)
                                   & (ServiceItem.station == station_id))
    if item is None:
        raise fail("item", "intake.bad_item")
    require_way(item, mode)
    resident_ids = list(dict.fromkeys(resident_ids))
    if not resident_ids:
        raise fail("residents", "batch.no_targets")
    names = _station_residents(station_id, resident_ids)
    if len(names) != len(resident_ids):
        raise fail("residents", "batch.bad_person")
    open_numbers = already_open(item.id, resident_ids, station_id=actor.station_id)
    skipped = [Skipped(rid, names[rid], open_numbers[rid])
               for rid in resident_ids if rid in open_numbers]
    todo = [rid for rid in resident_ids if rid not in open_numbers]
    if not todo:
        raise fail("residents", "batch.all_open", count=len(skipped))
    if len(todo) > HANDFUL and not confirmed:
        raise fail("residents", "batch.confirm_many", count=len(todo))

    created = now()
    title = (require_text("title", title, t("batch.title_label"), 80)
             if title.strip() else
             t("batch.default_title", item=item.name, date=created.date().isoformat())[:80])
    actor_id = actor.cadre_id
    batch = ErrandBatch.create(station=station_id, item=item, title=title,
                               created_by=actor_id, created_at=created)
    numbers = reserve_numbers(created.year, len(todo))
    due = due_date_for(item, created.date())
    _insert(Errand,
            [Errand.number, Errand.station, Errand.resident, Errand.item, Errand.mode,
             Errand.status, Errand.owner, Errand.created_by, Errand.created_at,
             Errand.updated_at, Errand.due_date, Errand.batch],
            [(number, station_id, rid, item.id, mode, "registered", actor_id, actor_id,
              created, created, due, batch.id) for number, rid in zip(numbers, todo)])
    ids = dict(Errand.select(Errand.number, Errand.id).where(Errand.batch == batch.id)
               .tuples())
    errand_ids = [ids[number] for number in numbers]
    _insert(ErrandMaterial,
            [ErrandMaterial.errand, ErrandMaterial.name, ErrandMaterial.received,
             ErrandMaterial.original],
            [(eid, name, False, False) for eid in errand_ids for name in item.materials])
    _insert(Event,
            [Event.entity, Event.entity_id, Event.action, Event.actor, Event.at,
             Event.detail],
            [("errand", eid, "create", actor_id, created,
              dict(number=number, mode=mode, item=item.name, received=[], batch=batch.id))
             for eid, number in zip(errand_ids, numbers)])
    history.record("batch", batch.id, "create", actor, title=title, item=item.name,
                   mode=mode, created=len(todo), first=numbers[0], last=numbers[-1],
                   skipped=[s.open_number for s in skipped])
    return BatchResult(batch.id, title, len(todo), numbers, skipped)


def start_batch(station_id: int, item_id: int, mode: str, group_ids: list[int], *,
                per_person_min_age: int | None, actor: Session,
                title: str = "", confirmed: bool = False) -> BatchResult:
    """The desk's Ctrl+S: work out the targets now (outside the write lock), then
    register them."""
    targets = batch_targets(station_id, group_ids, per_person_min_age=per_person_min_age)
    result = create_batch(station_id, item_id, mode, [r.id for r in targets.residents],
                          actor, title, confirmed)
    result.left_out = targets.left_out
    return result


@writes
def cancel_unstarted(batch_id: int, reason: str, actor: Session) -> list[str]:
    """The batch's errands nobody has started (still 已登记) are cancelled, each with
    the reason in its history; the numbers cancelled are returned."""
    require_cadre(actor)
    batch = ErrandBatch.get_or_none(ErrandBatch.id == batch_id)
    if batch is None:
        raise fail("batch", "batch.unknown")
    require_station(actor, batch.station_id)
    reason = require_text("reason", reason, t("batch.cancel_reason"), 200)
    cancelled = []
    for errand in (Errand.select().where((Errand.batch == batch.id)
                                         & (Errand.status == Status.REGISTERED))
                   .order_by(Errand.id)):
        advance(errand.id, errand.version, Move(Status.CANCELLED, reason=reason), actor)
        cancelled.append(errand.number)
    if not cancelled:
        raise fail("batch", "batch.nothing_to_cancel")
    history.record("batch", batch.id, "cancel", actor, reason=reason, cancelled=cancelled)
    return cancelled


# ---- following it up ----

@dataclass(frozen=True)
class BatchRow:
    errand_id: int
    number: str
    resident_name: str
    household_number: str
    group_name: str
    status: str
    mode: str
    due_date: dt.date
    version: int

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.status in OPEN_STATUSES and self.due_date < (today or dt.date.today())


@dataclass
class BatchProgress:
    batch_id: int
    title: str
    item_name: str
    created_at: dt.datetime
    counts: dict[str, int]  # status -> errands, in Status order, only those present
    rows: list[BatchRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return sum(self.counts.get(status, 0) for status in DONE_STATUSES)

    @property
    def mode(self) -> str | None:
        """The batch's way of handling, when its errands share one (they are made
        with one): the counts' statuses are worded by it."""
        modes = {row.mode for row in self.rows}
        return modes.pop() if len(modes) == 1 else None

    @property
    def open(self) -> int:
        return sum(self.counts.get(status, 0) for status in OPEN_STATUSES)


def batch_progress(batch_id: int, *, station_id: int) -> BatchProgress:
    """Every errand of the batch with its person, household and group, in household
    order, and the counts by status."""
    batch = (ErrandBatch.select(ErrandBatch, ServiceItem).join(ServiceItem)
             .where((ErrandBatch.id == batch_id) & (ServiceItem.station == station_id))
             .first())
    if batch is None:
        raise fail("batch", "batch.unknown")
    query = (Errand.select(Errand.id, Errand.number, Resident.name, Household.number,
                           VillagerGroup.name, Errand.status, Errand.mode, Errand.due_date,
                           Errand.version)
             .join(Resident)
             .join(Household, JOIN.LEFT_OUTER)
             .join(VillagerGroup, JOIN.LEFT_OUTER)
             .where(Errand.batch == batch_id)
             .order_by(fn.COALESCE(Household.number, ""), Errand.number))
    rows = [BatchRow(eid, number, name, household or "", group or "", status, mode, due, ver)
            for eid, number, name, household, group, status, mode, due, ver
            in query.tuples()]
    tally = Tally(row.status for row in rows)
    return BatchProgress(batch.id, batch.title, batch.item.name, batch.created_at,
                         {status: tally[status] for status in Status if tally[status]},
                         rows)


@dataclass(frozen=True)
class BatchSummary:
    batch_id: int
    title: str
    item_name: str
    created_at: dt.datetime
    total: int
    done: int


def station_batches(station_id: int, limit: int = 50) -> list[BatchSummary]:
    """The station's batches, newest first, with done/total (one grouped query)."""
    done = fn.SUM(Case(None, [(Errand.status.in_(DONE_STATUSES), 1)], 0))
    query = (ErrandBatch.select(ErrandBatch.id, ErrandBatch.title, ServiceItem.name,
                                ErrandBatch.created_at, fn.COUNT(Errand.id), done)
             .join(ServiceItem).switch(ErrandBatch)
             .join(Errand, JOIN.LEFT_OUTER, on=(Errand.batch == ErrandBatch.id))
             .where(ErrandBatch.station == station_id)
             .group_by(ErrandBatch.id, ErrandBatch.title, ServiceItem.name,
                       ErrandBatch.created_at)
             .order_by(ErrandBatch.created_at.desc(), ErrandBatch.id.desc())
             .limit(limit))
    return [BatchSummary(bid, title, item, created, total or 0, int(done_count or 0))
            for bid, title, item, created, total, done_count in query.tuples()]
