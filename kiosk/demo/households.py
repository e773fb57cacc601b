"""Households and their residents: families made up, spread over the villager
groups, numbered, given their search keys and written."""
from __future__ import annotations

import datetime as dt
import random

from models.core.entities import VillagerGroup
from models.core.i18n import t
from models.people.entities import Household, Resident, ResidentKey
from models.people.residents import resident_keys

from .context import Demo, Writer
from .people import People


def make_households(demo: Demo, people: People, groups: list[VillagerGroup]) -> list[dict]:
    """Households with their members, numbered f"{group:02d}{seq:03d}"."""
    return _numbered(groups, _families_by_group(demo, people, groups))


def _families_by_group(demo: Demo, people: People,
                       groups: list[VillagerGroup]) -> dict[int, list[list[dict]]]:
    """Families for `spec["residents"]` people, 张三 and the other test names among
    them, spread unevenly over the groups."""
    rng = demo.rng
    specials = [  # (group number, family)
        (3, _family(rng, people, "张三", True, 46, "张")),
        (5, _family(rng, people, "张顺", True, 58, "张")),
        (2, _family(rng, people, "张松", True, 39, "张")),
        (7, _family(rng, people, "张帅", True, 33, "张")),
        (8, _family(rng, people, "张爽", False, 62, "张")),
        (4, _family(rng, people, "[red]王[/red]", True, 51, "王")),
        (6, _family(rng, people, None, True, 44, None, spouse_name="[/bar]")),
    ]
    target = demo.spec["residents"] - sum(len(f) for _, f in specials)
    weights = [rng.uniform(0.7, 1.3) for _ in groups]
    by_group: dict[int, list[list[dict]]] = {g.number: [] for g in groups}
    people_made = 0
    while people_made < target:
        family = _family(rng, people)[:target - people_made]
        people_made += len(family)
        by_group[rng.choices(groups, weights)[0].number].append(family)
    for number, family in specials:
        number = min(number, len(groups))
        by_group[number].insert(rng.randint(0, len(by_group[number])), family)
    return by_group


def _family(rng: random.Random, people: People, head_name: str | None = None,
            head_male: bool | None = None, head_age: int | None = None,
            surname: str | None = None, spouse_name: str | None = None) -> list[dict]:
    """One household: the head, usually a spouse, children, sometimes the head's
    parents, and grandchildren left with their grandparents (留守儿童)."""
    male = rng.random() < 0.88 if head_male is None else head_male
    age = head_age or min(int(rng.triangular(26, 84, 52)), 84)
    surname = surname or people.surname()
    members = [people.person("户主", male, age, surname, head_name)]
    if spouse_name or rng.random() < (0.87 if age < 70 else 0.62):
        spouse_age = age + (rng.randint(-5, 1) if male else rng.randint(-1, 5))
        members.append(people.person("配偶", not male, spouse_age, people.surname(),
                                     spouse_name, home=False))
    if age < 46:
        children = rng.choices((0, 1, 2, 3), (1, 4, 5, 1))[0]
        child_ages = (rng.randint(0, max(0, age - 22)) for _ in range(children))
    elif age < 66:
        children = rng.choices((0, 1, 2), (3, 5, 2))[0]
        child_ages = (rng.randint(max(0, age - 36), age - 22) for _ in range(children))
    else:
        children = rng.choices((0, 1), (3, 2))[0]
        child_ages = (rng.randint(age - 34, age - 24) for _ in range(children))
    for child_age in child_ages:
        son = rng.random() < 0.52
        members.append(people.person("子" if son else "女", son, child_age, surname))
    if age < 52 and rng.random() < 0.35:
        parent_age = age + rng.randint(23, 32)
        if parent_age <= 92 and rng.random() < 0.7:
            members.append(people.person("父亲", True, parent_age, surname))
        if parent_age <= 94:
            members.append(people.person("母亲", False, parent_age - rng.randint(0, 4),
                                         people.surname(), home=False))
    if age >= 50 and rng.random() < 0.4:
        for _ in range(rng.choice((1, 1, 2))):
            boy = rng.random() < 0.52
            members.append(people.person("孙子" if boy else "孙女", boy,
                                         rng.randint(2, min(16, age - 44)), surname))
    return members


def _numbered(groups: list[VillagerGroup],
              by_group: dict[int, list[list[dict]]]) -> list[dict]:
    households = []
    for group in groups:
        seq = 0
        for family in by_group[group.number]:
            seq += 1
            number = f"{group.number:02d}{seq:03d}"
            if number.startswith("1234"):  # would crowd a "1234" phone lookup
                seq += 10
                number = f"{group.number:02d}{seq:03d}"
            households.append(dict(group=group, number=number, members=family,
                                   address=f"{group.name} {seq}号"))
            for person in family:
                person["group"] = group
    return households


def search_keys(person: dict, household_number: str) -> list[str]:
    """The keys saving the resident by hand would store; sets person["pinyin"]."""
    resident = Resident(name=person["name"], phone=person["phone"],
                        id_number=person["id_number"], pinyin_override="")
    keys = resident_keys(resident, household_number)
    person["pinyin"] = resident.pinyin
    return keys


def write_households(writer: Writer, households: list[dict]) -> None:
    """Households, and each member's person["household_id"]."""
    writer.insert(Household, [Household.group, Household.station, Household.number,
                              Household.address],
                  [(h["group"].id, h["group"].station_id, h["number"], h["address"])
                   for h in households],
                  t("demo.progress.write_households"))
    ids = {(station, number): hid for station, number, hid in Household.select(
        Household.station, Household.number, Household.id).tuples()}
    for household in households:
        household_id = ids[household["group"].station_id, household["number"]]
        for person in household["members"]:
            person["household_id"] = household_id


def write_residents(demo: Demo, writer: Writer, residents: list[dict]) -> list[int]:
    """The residents, entered over the month before the history; returns their ids."""
    rng = demo.rng
    fields = [Resident.household, Resident.name, Resident.gender, Resident.id_number,
              Resident.phone, Resident.pinyin, Resident.relation, Resident.created_at,
              Resident.updated_at]
    rows = []
    for person in residents:
        at = demo.registered_at + dt.timedelta(minutes=rng.randint(0, 30 * 24 * 60))
        rows.append((person["household_id"], person["name"],
                     "男" if person["male"] else "女", person["id_number"],
                     person["phone"], person["pinyin"], person["relation"], at, at))
    writer.insert(Resident, fields, rows, t("demo.progress.write_residents"))
    ids = dict(Resident.select(Resident.id_number, Resident.id).tuples())
    return [ids[person["id_number"]] for person in residents]


def write_search_keys(writer: Writer, resident_ids: list[int],
                      keys: list[list[str]]) -> None:
    writer.insert(ResidentKey, [ResidentKey.resident, ResidentKey.key],
                  ((rid, key) for rid, rkeys in zip(resident_ids, keys) for key in rkeys),
                  t("demo.progress.write_keys"))
