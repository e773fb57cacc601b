"""Households' tags, the station's visit rules and the visit log."""
from __future__ import annotations

from enum import StrEnum

from peewee import (
    AutoField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from models.core.db import BaseModel, JSONField
from models.core.entities import Cadre, Station, now
from models.core.text import NotesColumn, TextColumn
from models.errands.entities import Errand
from models.people.entities import Household, Resident


class Tag(StrEnum):
    """What marks a household out in the field; the values are stored."""
    DIBAO = "dibao"  # 低保户
    TEKUN = "tekun"  # 特困 / 五保
    ALONE_ELDERLY = "alone_elderly"  # 独居老人
    LEFT_BEHIND_CHILD = "left_behind_child"  # 留守儿童
    LEFT_BEHIND_WOMAN = "left_behind_woman"  # 留守妇女
    DISABLED = "disabled"  # 残疾人
    HARDSHIP = "hardship"  # 困难户
    SANLAO = "sanlao"  # 三老: 老党员、老干部、老模范


class Duty(StrEnum):
    """The five duties (五包) a visit may serve; the values are stored."""
    POLICY = "policy"  # 政策宣讲
    BENEFITS = "benefits"  # 惠农政策落实
    ERRANDS = "errands"  # 民事代办
    INDUSTRY = "industry"  # 产业开发
    DISPUTES = "disputes"  # 纠纷调解


class HouseholdTag(BaseModel):
    id = AutoField()
    household = ForeignKeyField(Household, backref="tags", on_delete="CASCADE")
    tag = CharField(max_length=20)

    class Meta:
        indexes = ((("household", "tag"), True),
                   (("tag",), False))


# the station default's tag: a rule for every household
EVERY_HOUSEHOLD = ""


class VisitRule(BaseModel):
    """At least `visits` visits every `per_days` days: for every household of the
    station (tag ""), or for households with `tag`. A household is held to the
    tightest rule that applies to it."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="visit_rules", on_delete="CASCADE")
    tag = CharField(max_length=20, default=EVERY_HOUSEHOLD)
    visits = IntegerField()
    per_days = IntegerField()
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("station", "tag"), True),)


class Visit(BaseModel):
    """One visit of a household (民情访问记录)."""
    id = AutoField()
    household = ForeignKeyField(Household, backref="visits", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="visits", on_delete="RESTRICT")
    visited_at = DateTimeField()
    met_resident = ForeignKeyField(Resident, null=True, backref="visits_met",
                                   on_delete="SET NULL")  # who was met, of the household
    met = TextColumn(max_length=120, default="")  # who was met, as written
    duties = JSONField(default=list)  # of Duty, at least one
    found = NotesColumn(default="")
    needs = NotesColumn(default="")
    follow_up_due = DateField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("household", "visited_at"), False),
                   (("cadre", "visited_at"), False),
                   (("visited_at",), False))


class VisitErrand(BaseModel):
    """An errand a need raised on a visit became: the visit's errands, the errand's
    visit."""
    id = AutoField()
    visit = ForeignKeyField(Visit, backref="errands", on_delete="CASCADE")
    errand = ForeignKeyField(Errand, backref="visit_links", on_delete="CASCADE",
                             unique=True)
    created_at = DateTimeField(default=now)


class DiaryEntry(BaseModel):
    """A day's entry in a cadre's 民情日记: what they saw and heard, optionally about
    one household or one errand. (A dispute link is left for the disputes' own
    table to add.)"""
    id = AutoField()
    station = ForeignKeyField(Station, backref="diary", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="diary", on_delete="RESTRICT")
    day = DateField()
    text = NotesColumn()
    household = ForeignKeyField(Household, null=True, backref="diary", on_delete="SET NULL")
    errand = ForeignKeyField(Errand, null=True, backref="diary", on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("station", "day"), False),
                   (("cadre", "day"), False))
