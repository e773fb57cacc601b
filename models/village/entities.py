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
from models.public.entities import Policy


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
                   (("cadre", "visited_at", "household"), False),
                   (("visited_at",), False))


class VisitErrand(BaseModel):
    """An errand a need raised on a visit became: the visit's errands, the errand's
    visit."""
    id = AutoField()
    visit = ForeignKeyField(Visit, backref="errands", on_delete="CASCADE")
    errand = ForeignKeyField(Errand, backref="visit_links", on_delete="CASCADE",
                             unique=True)
    created_at = DateTimeField(default=now)


# ---- disputes (矛盾纠纷排查调处) ----

class DisputeKind(StrEnum):
    """What a dispute is about; the values are stored."""
    LAND = "land"  # 土地/宅基地
    NEIGHBOURS = "neighbours"  # 邻里
    FAMILY = "family"  # 婚姻家庭
    DEBT = "debt"  # 债务
    FOREST_WATER = "forest_water"  # 山林水利
    OTHER = "other"  # 其他


class Risk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class DisputeStatus(StrEnum):
    FOUND = "found"  # 排查发现
    MEDIATING = "mediating"  # 调解中
    SETTLED = "settled"  # 已调解
    ESCALATED = "escalated"  # 上报乡镇
    WITHDRAWN = "withdrawn"  # 撤回


class Dispute(BaseModel):
    """A dispute found on a visit or brought to the desk, and how it was dealt with."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="disputes", on_delete="CASCADE")
    number = CharField(max_length=20, unique=True)  # JF2026-0001
    title = TextColumn(max_length=60)
    summary = NotesColumn(default="")
    kind = CharField(max_length=20)
    risk = CharField(max_length=10)
    status = CharField(max_length=20, default=DisputeStatus.FOUND)
    found_on = DateField()
    review_due = DateField()  # look at it again by then
    owner = ForeignKeyField(Cadre, backref="disputes", on_delete="RESTRICT")
    visit = ForeignKeyField(Visit, null=True, backref="disputes", on_delete="SET NULL")
    agreement = NotesColumn(default="")  # the mediation agreement (调解协议)
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(Cadre, null=True, backref="disputes_closed",
                                on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("station", "status", "review_due"), False),
                   (("station", "found_on"), False),
                   (("station", "closed_at"), False))


class DisputeParty(BaseModel):
    """One side of a dispute: a resident of the register, or someone else by name."""
    id = AutoField()
    dispute = ForeignKeyField(Dispute, backref="parties", on_delete="CASCADE")
    resident = ForeignKeyField(Resident, null=True, backref="disputes",
                               on_delete="SET NULL")
    name = TextColumn(max_length=40, default="")  # an outsider's name

    class Meta:
        indexes = ((("resident",), False),)


class MediationSession(BaseModel):
    """One mediation sitting (调解): when, where, who was there, what was agreed."""
    id = AutoField()
    dispute = ForeignKeyField(Dispute, backref="sessions", on_delete="CASCADE")
    held_on = DateField()
    place = TextColumn(max_length=60)
    participants = TextColumn(max_length=200)
    agreed = NotesColumn(default="")
    cadre = ForeignKeyField(Cadre, backref="mediations", on_delete="RESTRICT")
    created_at = DateTimeField(default=now)


class Escalation(BaseModel):
    """A dispute reported to the township (上报乡镇): to whom, when, and the result
    once it comes back."""
    id = AutoField()
    dispute = ForeignKeyField(Dispute, backref="escalations", on_delete="CASCADE")
    to_whom = TextColumn(max_length=60)
    escalated_on = DateField()
    result = NotesColumn(default="")
    cadre = ForeignKeyField(Cadre, backref="escalations", on_delete="RESTRICT")
    created_at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("escalated_on",), False),)


class DiaryEntry(BaseModel):
    """A day's entry in a cadre's 民情日记: what they saw and heard, optionally about
    one household, one errand or one dispute."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="diary", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="diary", on_delete="RESTRICT")
    day = DateField()
    text = NotesColumn()
    household = ForeignKeyField(Household, null=True, backref="diary", on_delete="SET NULL")
    errand = ForeignKeyField(Errand, null=True, backref="diary", on_delete="SET NULL")
    dispute = ForeignKeyField(Dispute, null=True, backref="diary", on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("station", "day"), False),
                   (("cadre", "day"), False))


# ---- policy delivery (惠农政策落实) ----

class Delivery(StrEnum):
    """What a visit did with a policy; the values are stored."""
    EXPLAINED = "explained"  # 宣讲
    DELIVERED = "delivered"  # 落实 / 兑现


class PolicyDelivery(BaseModel):
    """A policy explained or delivered to the visit's household on that visit."""
    id = AutoField()
    visit = ForeignKeyField(Visit, backref="policies", on_delete="CASCADE")
    policy = ForeignKeyField(Policy, backref="deliveries", on_delete="CASCADE")
    kind = CharField(max_length=20)

    class Meta:
        indexes = ((("visit", "policy"), True),
                   (("policy",), False))
