"""Villager groups (村民小组): the station head adds, renames and renumbers them.

A group's number is unique within the station. Renumbering changes nothing else:
households, residents, coverage and errands refer to the group itself, not to
its number (household numbers such as 03021 are the register's and stay).
"""
from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from models.core.db import writes
from models.core.entities import Cadre, GroupCoverage, VillagerGroup
from models.core.heads import create_as_head, save_as_head
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import fail, optional_text
from models.people.entities import Household
from models.station.setup import group_name
from models.station.team import group_number


@dataclass
class GroupForm:
    number: str
    name: str = ""  # empty: 第N村民小组


def clean_group(form: GroupForm, station_id: int, group: VillagerGroup | None = None) -> dict:
    number = group_number("number", form.number)
    clash = VillagerGroup.get_or_none((VillagerGroup.station == station_id)
                                      & (VillagerGroup.number == number)
                                      & (VillagerGroup.id != (group.id if group else 0)))
    if clash is not None:
        raise fail("number", "group.number_taken", number=number, name=clash.name)
    name = optional_text("name", form.name, t("group.name"), 40)
    # a name that only said the old number follows the new one
    if not name or (group is not None and name == group.name == group_name(group.number)):
        name = group_name(number)
    return {"number": number, "name": name}


@writes
def add_group(form: GroupForm, actor: Session) -> VillagerGroup:
    return create_as_head(VillagerGroup, actor, lambda station_id: clean_group(form, station_id),
                          "villager_group", "number", "name")


@writes
def update_group(group_id: int, expected_version: int, form: GroupForm,
                 actor: Session) -> VillagerGroup:
    return save_as_head(VillagerGroup, group_id, expected_version, actor,
                        lambda group: clean_group(form, group.station_id, group),
                        "villager_group")


@dataclass
class GroupRow:
    group: VillagerGroup
    households: int
    covered_by: list[str]  # the cadres covering it now


def group_rows(station_id: int) -> list[GroupRow]:
    groups = list(VillagerGroup.select().where(VillagerGroup.station == station_id)
                  .order_by(VillagerGroup.number))
    households = dict(Household.select(Household.group, fn.COUNT(Household.id))
                      .join(VillagerGroup).where(VillagerGroup.station == station_id)
                      .group_by(Household.group).tuples())
    covered: dict[int, list[str]] = {}
    for group_id, name in (GroupCoverage.select(GroupCoverage.group, Cadre.name).join(Cadre)
                           .where((Cadre.station == station_id) & GroupCoverage.until.is_null())
                           .order_by(Cadre.id).tuples()):
        covered.setdefault(group_id, []).append(name)
    return [GroupRow(g, households.get(g.id, 0), covered.get(g.id, [])) for g in groups]
