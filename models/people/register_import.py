"""Importing the household register (户籍花名册) a village keeps in Excel, and the
table an export of the register writes.

One row is one person, of the household its head, villager group and door number
make. What a clerk typed is normalised first (spaces, a lowercase x, full-width
digits, "3组" / "三组" / "第三村民小组" for group 3), then checked by the resident
form's own rules (`resident_values`). Good rows go in as one transaction; every
other row gets its reason, for the rejects file.

A person is matched by ID number, else by household + name, so importing the same
file again changes nothing. An empty cell never erases what the desk holds (a phone
number taken at the desk since the register was made stays). Villager groups the
station does not have yet are created: the register is what the village is, and
the summary names every group made, with its households, so a typo stands out.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain, count

from peewee import JOIN, chunked, fn

from models.core import history
from models.core.db import writes
from models.core.entities import Event, VillagerGroup, now
from models.core.guard import require_cadre
from models.core.i18n import t
from models.core.session import Session
from models.core.table_import import (
    ImportReport,
    Layout,
    Progress,
    import_table,
    no_progress,
    require_head,
)
from models.core.validation import ValidationError, birth_date_from_id, fail
from models.people.entities import Household, Resident, ResidentKey
from models.people.register_rows import (
    COLUMNS,
    HEAD,
    REQUIRED,
    Row,
    parse_row,
)
from models.people.residents import resident_keys
from models.station.setup import group_name

_BATCH = 90  # rows a statement: under SQLite's oldest limit of 999 bound values


def _find_heads(rows: list[Row]) -> list[tuple[Row, ValidationError]]:
    """A row without its head's name gets the name of the 户主 row at its door."""
    heads = defaultdict(set)
    for row in rows:
        if row.values.get("relation") == HEAD:
            heads[row.group, row.door].add(row.head)
    refused = []
    for row in rows:
        if not row.head:
            found = heads[row.group, row.door]
            if len(found) == 1:
                row.head = next(iter(found))
            else:
                refused.append((row, fail("head", "import.reason.no_head")))
    return refused


def _duplicates(rows: list[Row]) -> list[tuple[Row, ValidationError]]:
    """One ID number twice: the later rows, or every one when the names differ.
    One name twice in a household: the later rows, unless ID numbers tell them apart."""
    refused = []
    by_number = defaultdict(list)
    for row in rows:
        if row.id_number:
            by_number[row.id_number].append(row)
    for same in by_number.values():
        if len({row.name for row in same}) > 1:
            lines = t("import.list_separator").join(str(row.index + 1) for row in same)
            refused += [(row, fail("duplicate", "import.reason.duplicate_id", lines=lines))
                        for row in same]
        else:
            refused += [(row, _duplicate_of(same[0])) for row in same[1:]]
    out = {id(row) for row, _ in refused}
    by_person = defaultdict(list)
    for row in rows:
        if id(row) not in out:
            by_person[row.household, row.name].append(row)
    for same in by_person.values():
        kept = same[:1]
        for row in same[1:]:
            if row.id_number and all(other.id_number for other in kept):
                kept.append(row)
            else:
                refused.append((row, _duplicate_of(kept[0])))
    return refused


def _duplicate_of(first: Row) -> ValidationError:
    return fail("duplicate", "import.reason.duplicate_row", line=first.index + 1)


def _parse(layout: Layout, rows: list[list[str]], progress: Progress
           ) -> tuple[list[Row], dict[int, ValidationError]]:
    """The rows that read well, and the reason for each that does not."""
    records = list(layout.records(rows))
    parsed, refused = [], {}
    for done, (index, row) in enumerate(records, 1):
        try:
            parsed.append(parse_row(index, layout.values(row)))
        except ValidationError as error:
            refused[index] = error
        if done % 500 == 0 or done == len(records):
            progress(done, len(records), t("import.progress.check"))
    for row, error in _find_heads(parsed):
        refused[row.index] = error
    parsed = [row for row in parsed if row.index not in refused]
    for row, error in _duplicates(parsed):
        refused[row.index] = error
    return [row for row in parsed if row.index not in refused], refused


@dataclass(eq=False)
class _Household:
    """A household of the station, or one this import makes (`id` None until written)."""
    number: str
    group: int
    address: str = ""
    id: int | None = None
    heads: set = field(default_factory=set)


class _Station:
    """The station's households and residents as the import finds them."""

    def __init__(self, station_id: int, rows: list[Row]):
        groups = dict(VillagerGroup.select(VillagerGroup.id, VillagerGroup.number)
                      .where(VillagerGroup.station == station_id).tuples())
        self.group_ids = {number: gid for gid, number in groups.items()}
        ours = Household.station == station_id
        self.households = {number: _Household(number, groups[gid], id=hid)
                           for hid, number, gid in Household.select(
                               Household.id, Household.number, Household.group)
                           .where(ours).tuples()}
        self.at_door = defaultdict(list)  # "01005" -> the households numbered 01005, 01005/2 …
        for household in self.households.values():
            self.at_door[household.number.split("/")[0]].append(household)
        by_id = {h.id: h for h in self.households.values()}
        residents = list(Resident.select().join(Household, JOIN.LEFT_OUTER)
                         .where(ours | Resident.household.is_null()))
        self.by_number = {r.id_number: r for r in residents if r.id_number}
        self.by_name = {}
        for resident in residents:
            household = by_id.get(resident.household_id)
            if household:
                self.by_name.setdefault((household.id, resident.name), resident)
                if resident.relation == HEAD:
                    household.heads.add(resident.name)
        self.elsewhere = _registered(
            {row.id_number for row in rows if row.id_number} - set(self.by_number))
        self.found: dict[tuple, _Household] = {}
        self.claimed: set[_Household] = set()

    def household(self, row: Row) -> _Household:
        """The household of the row's head at its door: one the station has (found
        by its head, or a headless one at that door), else a new one."""
        if row.household in self.found:
            return self.found[row.household]
        base = f"{row.group:02d}{row.door}"
        at_door = self.at_door[base]
        found = (next((h for h in at_door if row.head in h.heads), None)
                 or next((h for h in at_door if not h.heads and h not in self.claimed), None))
        if found is None:
            numbers = chain([base], (f"{base}/{n}" for n in count(2)))
            number = next(n for n in numbers if n not in self.households)
            found = self.households[number] = _Household(number, row.group, address=row.address)
            at_door.append(found)
        self.claimed.add(found)
        self.found[row.household] = found
        return found

    def resident(self, row: Row, household: _Household) -> Resident | None:
        """The resident the row is about: by ID number, else by household + name."""
        if row.id_number in self.elsewhere:
            raise fail("id_taken", "import.reason.id_elsewhere")
        resident = self.by_number.get(row.id_number) if row.id_number else None
        if resident is not None and resident.name != row.name:
            raise fail("id_taken", "resident.id_taken", name=resident.name)
        if resident is None and household.id is not None:
            resident = self.by_name.get((household.id, row.name))
        return resident


def _registered(numbers: set[str]) -> set[str]:
    """Those of `numbers` some resident (of another station) already has."""
    found = set()
    for chunk in chunked(sorted(numbers), 500):
        found |= set(Resident.select(Resident.id_number)
                     .where(Resident.id_number.in_(chunk)).scalars())
    return found


@dataclass
class _Plan:
    new: list[tuple[Row, _Household]] = field(default_factory=list)
    changed: list[tuple[Resident, dict, _Household]] = field(default_factory=list)


def _plan(station: _Station, rows: list[Row], report: ImportReport) -> _Plan:
    plan = _Plan()
    matched: dict[int, Row] = {}
    for row in rows:
        household = station.household(row)
        try:
            resident = station.resident(row, household)
            if resident is not None and resident.id in matched:
                raise _duplicate_of(matched[resident.id])
        except ValidationError as error:
            report.reject(row.index, error)
            continue
        if resident is None:
            plan.new.append((row, household))
            continue
        matched[resident.id] = row
        changes = {k: v for k, v in row.values.items() if getattr(resident, k) != v}
        if changes or resident.household_id != household.id:
            plan.changed.append((resident, changes, household))
        else:
            report.unchanged += 1
    return plan


def _write_households(station_id: int, station: _Station, plan: _Plan,
                      actor: Session, report: ImportReport) -> None:
    """The new households the accepted rows need, and the groups they are in."""
    needed = [h for h in dict.fromkeys([h for _, _, h in plan.changed]
                                       + [h for _, h in plan.new]) if h.id is None]
    made = sorted({h.group for h in needed} - set(station.group_ids))
    for number in made:
        group = VillagerGroup.create(station=station_id, number=number, name=group_name(number))
        station.group_ids[number] = group.id
        history.record("villager_group", group.id, "create", actor, name=group.name)
    for batch in chunked(needed, _BATCH):
        Household.insert_many([(station.group_ids[h.group], station_id, h.number, h.address)
                               for h in batch],
                              fields=[Household.group, Household.station, Household.number,
                                      Household.address]).execute()
    for batch in chunked(needed, _BATCH):
        ids = dict(Household.select(Household.number, Household.id)
                   .where((Household.station == station_id)
                          & Household.number.in_([h.number for h in batch])).tuples())
        for household in batch:
            household.id = ids[household.number]
    per_group = defaultdict(int)
    for household in needed:
        per_group[household.group] += 1
    if needed:
        report.notes.append(t("import.note.households", count=len(needed)))
    if made:
        report.notes.append(t("import.note.groups_made", groups=t("import.list_separator").join(
            t("import.note.group", name=group_name(n), households=per_group[n])
            for n in made)))


_RESIDENT_FIELDS = [Resident.household, Resident.name, Resident.gender, Resident.id_number,
                    Resident.phone, Resident.pinyin, Resident.relation, Resident.note,
                    Resident.created_at, Resident.updated_at]


def _write_new(plan: _Plan, actor: Session, source: str, progress: Progress
               ) -> list[tuple[int, str]]:
    """The new residents in bulk; returns their (id, key) search keys."""
    at = now()
    since = Resident.select(fn.MAX(Resident.id)).scalar() or 0
    keys_of, rows = {}, []
    for row, household in plan.new:
        person = Resident(**row.values)
        keys_of[household.id, row.name, row.id_number] = resident_keys(person, household.number)
        rows.append((household.id, person.name, person.gender, person.id_number,
                     person.phone, person.pinyin, person.relation, person.note, at, at))
    total = len(plan.new) + len(plan.changed)
    for done, batch in enumerate(chunked(rows, _BATCH)):
        Resident.insert_many(batch, fields=_RESIDENT_FIELDS).execute()
        progress(min((done + 1) * _BATCH, len(rows)), total, t("import.progress.write"))
    # Ours are the new ids behind the write lock; matched back by what the import
    # keeps unique: one ID number, or one name in a household
    made = (Resident.select(Resident.id, Resident.household, Resident.name,
                            Resident.id_number)
            .where(Resident.id > since).tuples())
    keys, events = [], []
    for rid, household_id, name, id_number in made:
        for key in keys_of.pop((household_id, name, id_number), ()):
            keys.append((rid, key))
        events.append(dict(entity="resident", entity_id=rid, action="create",
                           actor=actor.cadre_id, at=at, detail=dict(name=name, source=source)))
    for batch in chunked(events, _BATCH):
        Event.insert_many(batch).execute()
    return keys


def _write_changed(plan: _Plan, actor: Session, progress: Progress) -> list[tuple[int, str]]:
    """Each changed resident saved as an edit (before -> after in its event)."""
    keys, total = [], len(plan.new) + len(plan.changed)
    for done, (resident, changes, household) in enumerate(plan.changed, len(plan.new) + 1):
        if resident.household_id != household.id:
            changes["household"] = household.id
        saved = history.save_versioned(resident, resident.version, changes,
                                       actor, "resident")
        if changes.keys() & {"name", "phone", "id_number", "household"}:
            keys += [(saved.id, key) for key in resident_keys(saved, household.number)]
            Resident.update(pinyin=saved.pinyin).where(Resident.id == saved.id).execute()
            ResidentKey.delete().where(ResidentKey.resident == saved.id).execute()
        if done % _BATCH == 0 or done == total:
            progress(done, total, t("import.progress.write"))
    return keys


def _apply(rows: list[Row], report: ImportReport, actor: Session, source: str,
           progress: Progress) -> None:
    station = _Station(actor.station_id, rows)
    plan = _plan(station, rows, report)
    _write_households(actor.station_id, station, plan, actor, report)
    keys = _write_new(plan, actor, source, progress) + _write_changed(plan, actor, progress)
    for batch in chunked(keys, _BATCH * 5):
        ResidentKey.insert_many(batch, fields=[ResidentKey.resident, ResidentKey.key]).execute()
    report.added, report.updated = len(plan.new), len(plan.changed)


def import_register(rows: list[list[str]], actor: Session,
                    overrides: dict[str, str] | None = None, dry_run: bool = False,
                    progress: Progress = no_progress, source: str = "") -> ImportReport:
    """Import a register sheet's rows (title rows and headings included), as the
    station head `actor`. `overrides`: heading as in the file -> field or heading
    (`--map`). ValidationError when the sheet as a whole cannot be read as a
    register; a bad row is only rejected. `source` names the file in the event log."""
    return import_table(
        "residents", rows, actor, COLUMNS, REQUIRED,
        parse=lambda layout, rows: _parse(layout, rows, progress),
        apply=lambda parsed, report: _apply(parsed, report, actor, source, progress),
        overrides=overrides, dry_run=dry_run, source=source)


# ---- the reverse: the register as a table ----

def register_table(actor: Session) -> tuple[list[str], list[list[str]]]:
    """The station's residents with the headings the import reads, ID numbers in
    full: for the station head only (see `note_export`)."""
    require_head(actor)
    ours = (VillagerGroup.station == actor.station_id) | Resident.household.is_null()
    heads = dict(Resident.select(Resident.household, Resident.name)
                 .join(Household).join(VillagerGroup)
                 .where(ours & (Resident.relation == HEAD))
                 .order_by(Resident.id.desc()).tuples())
    query = (Resident.select(Resident, Household, VillagerGroup)
             .join(Household, JOIN.LEFT_OUTER).join(VillagerGroup, JOIN.LEFT_OUTER)
             .where(ours)
             .order_by(VillagerGroup.number, Household.number,
                       Resident.relation != HEAD, Resident.id))
    rows = []
    for person in query:
        household = person.household if person.household_id else None
        group = household.group.number if household else None
        door = household.number if household else ""
        if group is not None and door.startswith(f"{group:02d}"):
            door = door[2:]
        born = birth_date_from_id(person.id_number).isoformat() if person.id_number else ""
        rows.append([heads.get(person.household_id, ""), person.name, person.relation,
                     person.id_number or "", person.phone,
                     group_name(group) if group is not None else "", door,
                     person.gender, born, person.note])
    return [column.headings[0] for column in COLUMNS], rows


@writes
def note_export(actor: Session, table: str, destination: str, rows: int) -> Event:
    """An export that took personal data out, in the event log: who, where, how many."""
    require_cadre(actor)
    return history.record("station", actor.station_id, "export", actor,
                          table=table, destination=destination, rows=rows)
