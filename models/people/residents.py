"""Residents and households: registering, editing, and finding them from any clue.

A cadre types whatever they have — 张三, zhangsan, zs, the last digits of a phone or
an ID card, a household number — and the person comes up. Keys are computed when a
name is saved (pinyin is costly to import) and looked up by indexed prefix.
"""
from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, replace

from peewee import JOIN, OP, SQL, Expression, IntegrityError, Node, NodeList

from models.core import guard, history
from models.core.db import database, is_sqlite, writes
from models.core.entities import VillagerGroup
from models.core.guard import require_cadre, require_station
from models.core.i18n import t
from models.core.scope import found, resident_of_station, taken_elsewhere
from models.core.session import Session
from models.core.text import inert
from models.core.validation import (
    ValidationError,
    fail,
    gender_from_id,
    mask_id,
    mask_phone,
    normalize_id_number,
    normalize_mobile,
    require_text,
)
from models.people.entities import Household, Resident, ResidentKey, ResidentStatus
from models.station.team import group_numbered

SEARCH_LIMIT = 30
# Phone and ID digits are keys from every position up to their last four, so a
# prefix lookup finds digits typed from the start, the middle or the end.
DIGITS_FROM_ANYWHERE = 4


@dataclass
class ResidentForm:
    """What a cadre typed for a resident, before validation."""
    name: str
    id_number: str = ""
    phone: str = ""
    household_number: str = ""
    group_number: str = ""  # the villager group: needed for a new household only
    relation: str = ""
    pinyin_override: str = ""
    note: str = ""


def resident_values(form: ResidentForm) -> dict:
    """The form's own column values, validated, without asking the database: the
    household and a clash of ID numbers are for `clean_resident` (one form) or the
    register import (many rows at once) to check. ValidationError names the first
    bad field."""
    values = {
        "name": require_text("name", form.name, t("resident.name"), 40),
        "id_number": normalize_id_number(form.id_number) if form.id_number.strip() else None,
        "phone": normalize_mobile(form.phone) if form.phone.strip() else "",
        # inert before use: the search keys are made from these values, not the row
        "relation": inert(form.relation)[:20],
        "pinyin_override": inert(form.pinyin_override)[:120],
        "note": inert(form.note, multiline=True)[:2000],
    }
    values["gender"] = gender_from_id(values["id_number"]) if values["id_number"] else ""
    return values


def clean_resident(form: ResidentForm, station_id: int,
                   resident_id: int | None = None) -> dict:
    """Validated column values, or ValidationError naming the first bad field. The
    household must be one of `station_id`.

    Editing, the form holds the ID number and phone masked (`form_of`): left as
    shown, they keep the saved numbers; anything else typed there replaces them."""
    current = Resident.get_by_id(resident_id) if resident_id is not None else None
    keep_id = _kept(current, "id_number", form.id_number.strip(), mask_id)
    keep_phone = _kept(current, "phone", form.phone.strip(), mask_phone)
    values = resident_values(replace(form, id_number="" if keep_id else form.id_number,
                                     phone="" if keep_phone else form.phone))
    if keep_id:
        values["id_number"], values["gender"] = current.id_number, current.gender
    if keep_phone:
        values["phone"] = current.phone
    values["household"] = _household_id(form.household_number, station_id)
    if values["id_number"]:
        _refuse_taken(values["id_number"], resident_id)
    return values


def _kept(current: Resident | None, field: str, typed: str, mask) -> bool:
    """The form still shows the saved number as masked: it is not being changed."""
    saved = getattr(current, field, None)
    return bool(saved) and typed == mask(saved)


def _station_household(number: str, station_id: int) -> Household | None:
    return (Household.select(Household, VillagerGroup).join(VillagerGroup)
            .where((Household.number == number) & (Household.station == station_id))
            .first())


def _refuse_taken(id_number: str, resident_id: int | None = None) -> None:
    """ValidationError when someone else is registered with this ID number."""
    same_number = Resident.select().where(Resident.id_number == id_number)
    if resident_id is not None:
        same_number = same_number.where(Resident.id != resident_id)
    clash = same_number.first()
    if clash is not None:
        raise fail("id_number", "resident.id_taken", name=clash.name)


@contextmanager
def _id_number_unique(values: dict, resident_id: int | None = None):
    """Two desks saving one ID number at the same moment both find it free, and the
    database refuses the second: said like any other taken number. The savepoint
    keeps the transaction usable to look up who has it."""
    try:
        with database.atomic():
            yield
    except IntegrityError:
        if values["id_number"]:
            _refuse_taken(values["id_number"], resident_id)
            # held by a row this connection cannot read: another station's
            raise fail("id_number", "resident.id_taken_elsewhere") from None
        raise


def _household_id(number: str, station_id: int) -> int | None:
    number = number.strip()
    if not number:
        return None
    household = _station_household(number, station_id)
    if household is None:
        raise fail("household", "resident.no_household", number=number)
    return household.id


def household_number(raw: str, station_id: int) -> str:
    """A new household's number (户号), checked to be free in the station: each
    station numbers its own households."""
    number = require_text("household_number", raw, t("resident.household_number"), 20)
    if Household.select().where((Household.number == number)
                                & (Household.station == station_id)).exists():
        raise fail("household_number", "household.number_taken", number=number)
    return number


def create_household(number: str, group: VillagerGroup, address: str, actor) -> Household:
    """A household of `group`; `number` as `household_number` left it."""
    with taken_elsewhere("household_number", "household.number_taken", number=number):
        household = Household.create(group=group, number=number, address=address)
    history.record("household", household.id, "create", actor, number=number,
                   group=group.number, address=address)
    return household


def ensure_household(number: str, group_number: str, station_id: int,
                     actor: Session) -> int | None:
    """The id of the station's household `number`, made now in the villager group
    numbered `group_number` when the number is new (None: no household). A
    household's number implies its group: a group that says otherwise is refused,
    and so is a group without a household number. Making a household is the station
    head's (as `add_household` is): a duty cadre names one that exists."""
    number = number.strip()
    if not number:
        if group_number.strip():
            raise fail("household_number", "resident.group_needs_household")
        return None
    household = _station_household(number, station_id)
    if household is None:
        if not group_number.strip():
            raise fail("household", "resident.no_household", number=number)
        _require_head_for_household(actor, number)
        group = group_numbered(station_id, group_number)
        return create_household(household_number(number, station_id), group, "", actor).id
    if group_number.strip() and group_numbered(station_id, group_number).id != household.group_id:
        raise fail("group_number", "resident.wrong_group", number=number,
                   group=household.group.name)
    return household.id


def _require_head_for_household(actor: Session, number: str) -> None:
    """The guard's head-only rule, said on the household number's field."""
    try:
        guard.require_head(actor)
    except ValidationError as refused:
        if refused.code != "guard.head_only":
            raise
        raise fail("household_number", "resident.new_household_head_only",
                   number=number) from None


def resident_station(resident_id: int) -> int | None:
    """The station a resident belongs to, through household and villager group;
    None while they are in no household."""
    return (Resident.select(VillagerGroup.station).join(Household).join(VillagerGroup)
            .where(Resident.id == resident_id).scalar())


def form_of(resident: Resident) -> ResidentForm:
    """The form a cadre edits, filled from a saved resident: the ID number and
    phone masked, like everywhere but an audited reveal (`reveal_identity`)."""
    return ResidentForm(
        name=resident.name, id_number=mask_id(resident.id_number),
        phone=mask_phone(resident.phone),
        household_number=resident.household.number if resident.household_id else "",
        group_number=str(resident.household.group.number) if resident.household_id else "",
        relation=resident.relation, pinyin_override=resident.pinyin_override,
        note=resident.note)


def _digit_keys(value: str) -> list[str]:
    digits = "".join(ch for ch in value.lower() if ch.isdigit() or ch == "x")
    return [digits[i:] for i in range(max(len(digits) - DIGITS_FROM_ANYWHERE, 0) + 1)
            ] if digits else []


def resident_keys(resident: Resident, household_number: str = "") -> list[str]:
    """The resident's search keys; sets the reading shown (`resident.pinyin`), which
    is the first of them."""
    from models.people.pinyin import name_index
    pinyin, keys = name_index(resident.name, resident.pinyin_override or None)
    keys += _digit_keys(resident.phone) + _digit_keys(resident.id_number or "")
    if household_number:
        keys.append(household_number.lower())
    # a reading can be longer than what it was read from (¼ reads "14"): the column
    # holds 120, and PostgreSQL refuses more where SQLite would keep it
    resident.pinyin = pinyin[:Resident.pinyin.max_length]
    return list(dict.fromkeys(k[:120] for k in keys if k))


def store_keys(resident: Resident) -> None:
    """Compute and save the resident's search keys (after any change to them)."""
    number = resident.household.number if resident.household_id else ""
    keys = resident_keys(resident, number)
    Resident.update(pinyin=resident.pinyin).where(Resident.id == resident.id).execute()
    ResidentKey.delete().where(ResidentKey.resident == resident.id).execute()
    ResidentKey.insert_many([(resident.id, k) for k in keys],
                            fields=[ResidentKey.resident, ResidentKey.key]).execute()


@writes
def register_resident(form: ResidentForm, actor: Session) -> Resident:
    require_cadre(actor)
    ensure_household(form.household_number, form.group_number, actor.station_id, actor)
    values = clean_resident(form, actor.station_id)
    with _id_number_unique(values):
        resident = Resident.create(**values)
    store_keys(resident)
    history.record("resident", resident.id, "create", actor, name=resident.name)
    return load_resident(resident.id, station_id=actor.station_id)


@writes
def update_resident(resident_id: int, expected_version: int, form: ResidentForm,
                    actor: Session) -> Resident:
    require_cadre(actor)
    current = Resident.get_by_id(resident_id)
    require_station(actor, resident_station(resident_id))
    try:
        if current.version != expected_version:
            # refused before the form is read: its masked numbers are the old row's
            raise history.StaleEdit(current)
        ensure_household(form.household_number, form.group_number, actor.station_id, actor)
        values = clean_resident(form, actor.station_id, resident_id)
        with _id_number_unique(values, resident_id):
            saved = history.save_versioned(current, expected_version, values, actor,
                                           "resident")
    except history.StaleEdit:
        raise history.StaleEdit(load_resident(resident_id, station_id=actor.station_id)
                                ) from None
    store_keys(saved)
    return load_resident(resident_id, station_id=actor.station_id)


REVEALABLE = ("id_number", "phone")


@writes
def reveal_identity(resident_id: int, actor: Session, fields: tuple[str, ...] = REVEALABLE,
                    errand_id: int | None = None) -> tuple[str, str]:
    """(ID number, phone) of a resident in full — those of `fields` asked for, the
    other "" — and an event saying who saw which of whose numbers, when. Seen for
    an errand (the callback), the event is in that errand's trail; else in the
    resident's. Everywhere else the numbers are shown masked."""
    if not fields or set(fields) - set(REVEALABLE):
        raise ValueError(fields)
    require_cadre(actor)
    require_station(actor, resident_station(resident_id))
    resident = Resident.get_by_id(resident_id)
    seen = [f for f in REVEALABLE if f in fields]
    if errand_id is None:
        history.record("resident", resident.id, "revealed", actor, fields=seen)
    else:
        history.record("errand", errand_id, "revealed", actor, fields=seen,
                       resident=resident.id)
    return ((resident.id_number or "") if "id_number" in fields else "",
            resident.phone if "phone" in fields else "")


def load_resident(resident_id: int, *, station_id: int) -> Resident:
    """A resident of the station (or of no household yet), with household and group,
    ready to show without further queries; not found otherwise."""
    return found(Resident.select(Resident, Household, VillagerGroup)
                 .join(Household, JOIN.LEFT_OUTER).join(VillagerGroup, JOIN.LEFT_OUTER)
                 .where((Resident.id == resident_id) & resident_of_station(station_id))
                 .first())


def _prefix(field, text: str) -> Expression:
    """`field` starts with `text`, as an indexable range (SQLite) or LIKE (PostgreSQL,
    with a text_pattern_ops index from migration 0002). On PostgreSQL the same range
    in that index's operators too: LIKE is not leakproof, so under row-level
    security (a station's own role) the planner may not take it to the index."""
    if is_sqlite():
        return (field >= text) & (field < text + "\U0010ffff")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (Expression(field, OP.LIKE, escaped + "%") & Expression(field, "~>=~", text)
            & Expression(field, "~<~", text + "\U0010ffff"))


def _prefix_order(field) -> Node:
    """The order of the index `_prefix` uses, so the first matches are read off it
    (exact keys first). PostgreSQL's text_pattern_ops index is in byte order, not
    the collation's: ordered by the collation, the planner walked the plain index
    instead and filtered every key before "z" (0.4 s on the large demo set)."""
    return field if is_sqlite() else NodeList((field, SQL("USING ~<~")))


def normalize_query(query: str) -> str:
    """The query as keys are stored: full-width digits and letters as ASCII (as a
    Chinese IME types them, and as the forms take them), lower case, ü as v, no
    spaces, apostrophes or hyphens, and inert (a NUL or lone surrogate cannot go
    into a query parameter)."""
    text = unicodedata.normalize("NFKC", inert(query)).lower().replace("ü", "v")
    return "".join(ch for ch in text if not ch.isspace() and ch not in "'-")


def _ranked_matches(q: str, limit: int, station_id: int) -> dict[int, int]:
    """resident id -> 0 for an exact key match, 1 for a prefix match: the station's
    residents only."""
    # CROSS JOIN keeps SQLite reading the keys' index first: joined on, it began
    # from the station's residents (all of a village's 20,000) and took 90 ms where
    # this takes 3. PostgreSQL plans the two the same.
    matches = (ResidentKey.select(ResidentKey.resident, ResidentKey.key)
               .join(Resident, JOIN.CROSS)
               .where((ResidentKey.resident == Resident.id) & _prefix(ResidentKey.key, q)
                      & resident_of_station(station_id))
               .order_by(_prefix_order(ResidentKey.key))  # exact keys first
               .limit(limit * 8).tuples())
    ranked: dict[int, int] = {}
    for resident_id, key in matches:
        rank = 0 if key == q else 1
        ranked[resident_id] = min(rank, ranked.get(resident_id, rank))
    return ranked


def matching_resident_ids(query: str, station_id: int, limit: int = 200) -> list[int]:
    q = normalize_query(query)
    return list(_ranked_matches(q, limit, station_id))[:limit] if q else []


def _name_starts_with(reading: str, q: str) -> bool:
    """The whole name as shown (its reading or its initials) starts with the query:
    "zhang" meant 张峰 rather than 何长贵, whose given name alone 长贵 is also a key."""
    syllables = reading.split()
    return "".join(syllables).startswith(q) or "".join(s[:1] for s in syllables).startswith(q)


def search_residents(query: str, limit: int = SEARCH_LIMIT, *, station_id: int
                     ) -> list[Resident]:
    """Residents matching a name, pinyin, initials, phone/ID digits or household no.

    The living come first, then those who died or moved away (kept on file, marked
    on screen); within each, exact key matches, then the names that start with the
    query, then the other prefix matches (a given name alone, digits), in pinyin order.
    """
    q = normalize_query(query)
    ranked = _ranked_matches(q, limit, station_id) if q else {}
    if not ranked:
        return []
    # ordered from a few columns of every match, whole rows only for those shown
    # (a one-letter query matches hundreds); the departed come last
    order = (Resident.select(Resident.id, Resident.status, Resident.pinyin, Resident.name)
             .where(Resident.id.in_(list(ranked))).tuples())
    shown = [rid for rid, status, pinyin, name in
             sorted(order, key=lambda r: (r[1] != ResidentStatus.PRESENT, ranked[r[0]],
                                          not _name_starts_with(r[2], q),
                                          r[2], r[3], r[0]))[:limit]]
    rows = {r.id: r for r in (Resident.select(Resident, Household, VillagerGroup)
                              .join(Household, JOIN.LEFT_OUTER)
                              .join(VillagerGroup, JOIN.LEFT_OUTER)
                              .where(Resident.id.in_(shown)))}
    return [rows[rid] for rid in shown]


def household_members(household_id: int) -> list[Resident]:
    return list(Resident.select().where(Resident.household == household_id)
                .order_by(Resident.id))
