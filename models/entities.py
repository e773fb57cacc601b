"""The tables of the duty desk.

Rows people edit carry `version`: a save names the version it started from and is
refused if someone else saved in between (see `models.history.save_versioned`).
Every change also writes an `Event`, which doubles as the change signal other
sessions poll (see `models.history.last_event_id`).
"""
from __future__ import annotations

import datetime as dt

from peewee import (AutoField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, TextField)

from .db import BaseModel, JSONField


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


MODES = ("on_the_spot", "carried", "accompanied", "mobile")

STATUSES = ("registered", "in_progress", "waiting_villager", "submitted",
            "appointment_set", "result_back", "delivered", "called_back",
            "returned", "cancelled")
OPEN_STATUSES = STATUSES[:6]
CLOSED_STATUSES = STATUSES[6:]

ROLES = ("admin", "duty")


class Station(BaseModel):
    id = AutoField()
    name = CharField(max_length=60)
    township = CharField(max_length=60, default="")
    callback_days = IntegerField(default=3)  # call the villager back within N days
    nights_required = IntegerField(default=15)  # resident cadres' nights a month
    created_at = DateTimeField(default=now)
    version = IntegerField(default=1)


class VillagerGroup(BaseModel):
    id = AutoField()
    station = ForeignKeyField(Station, backref="groups", on_delete="CASCADE")
    number = IntegerField()
    name = CharField(max_length=40)

    class Meta:
        indexes = ((("station", "number"), True),)


class Cadre(BaseModel):
    id = AutoField()
    station = ForeignKeyField(Station, backref="cadres", on_delete="CASCADE")
    name = CharField(max_length=40)
    login = CharField(max_length=64, null=True, unique=True)  # the OS / SSH user
    phone = CharField(max_length=20, default="")
    role = CharField(max_length=10, default="duty")
    group = ForeignKeyField(VillagerGroup, null=True, backref="cadres",
                            on_delete="SET NULL")
    active = BooleanField(default=True)
    stays_in_village = BooleanField(default=True)  # 驻村: the nights rule applies
    version = IntegerField(default=1)


class Household(BaseModel):
    id = AutoField()
    group = ForeignKeyField(VillagerGroup, backref="households", on_delete="CASCADE")
    number = CharField(max_length=20, unique=True)  # 户号, e.g. 03021
    address = CharField(max_length=120, default="")
    version = IntegerField(default=1)


class Resident(BaseModel):
    id = AutoField()
    household = ForeignKeyField(Household, null=True, backref="residents",
                                on_delete="SET NULL")
    name = CharField(max_length=40)
    gender = CharField(max_length=2, default="")
    id_number = CharField(max_length=18, null=True, unique=True)
    phone = CharField(max_length=20, default="")
    pinyin = CharField(max_length=120, default="")  # first reading, for display
    pinyin_override = CharField(max_length=120, default="")
    relation = CharField(max_length=20, default="")  # to the head of household
    note = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)


class ResidentKey(BaseModel):
    """One search key of a resident: a pinyin reading, initials, the name, phone or
    ID digits (and those reversed, prefixed '~', for "last four digits" lookups),
    the household number. Prefix lookups on this index keep search flat at any size."""
    id = AutoField()
    resident = ForeignKeyField(Resident, backref="keys", on_delete="CASCADE")
    key = CharField(max_length=120, index=True)


class ServiceItem(BaseModel):
    """An entry of the service catalogue (代办事项目录)."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="items", on_delete="CASCADE")
    category = CharField(max_length=30)
    name = CharField(max_length=60)
    default_mode = CharField(max_length=12, default="carried")
    time_limit_days = IntegerField(default=5)  # working days
    materials = JSONField(default=list)
    search_keys = CharField(max_length=400, default="")  # '|'-joined pinyin keys
    active = BooleanField(default=True)
    version = IntegerField(default=1)


class Counter(BaseModel):
    """Named sequences (errand numbers per year), bumped under the write lock."""
    name = CharField(max_length=40, primary_key=True)
    value = IntegerField(default=0)


class ErrandBatch(BaseModel):
    """One item run for many households at once (e.g. the yearly 医保 enrolment)."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="batches", on_delete="CASCADE")
    item = ForeignKeyField(ServiceItem, backref="batches", on_delete="RESTRICT")
    title = CharField(max_length=80)
    created_by = ForeignKeyField(Cadre, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)


class Errand(BaseModel):
    id = AutoField()
    number = CharField(max_length=20, unique=True)  # 2026-000123
    station = ForeignKeyField(Station, backref="errands", on_delete="CASCADE")
    resident = ForeignKeyField(Resident, backref="errands", on_delete="RESTRICT")
    item = ForeignKeyField(ServiceItem, backref="errands", on_delete="RESTRICT")
    mode = CharField(max_length=12)
    status = CharField(max_length=20, default="registered", index=True)
    owner = ForeignKeyField(Cadre, backref="errands", null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(Cadre, null=True, on_delete="SET NULL",
                                 backref="errands_taken")
    created_at = DateTimeField(default=now, index=True)
    due_date = DateField(index=True)
    closed_at = DateTimeField(null=True)
    note = TextField(default="")
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)
    # 领着办 / 流动办: when and where the cadre goes with (or to) the villager
    appointment_at = DateTimeField(null=True)
    appointment_place = CharField(max_length=120, default="")
    # the clock stops while the errand waits on the villager (see lifecycle)
    paused_since = DateField(null=True)
    delivered_at = DateTimeField(null=True)
    callback_due = DateField(null=True)
    satisfaction = CharField(max_length=10, default="")
    flagged = BooleanField(default=False)  # for the station head: 不满意 and the like
    merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL",
                                  backref="merged")
    batch = ForeignKeyField(ErrandBatch, null=True, on_delete="SET NULL",
                            backref="errands")

    class Meta:
        indexes = ((("station", "status", "due_date"), False),)


class ErrandMaterial(BaseModel):
    """A material the item requires, and whether the desk received it."""
    id = AutoField()
    errand = ForeignKeyField(Errand, backref="materials", on_delete="CASCADE")
    name = CharField(max_length=80)
    received = BooleanField(default=False)
    original = BooleanField(default=False)  # an original document held for the villager
    # custody of an original: a cadre holds it, or it is at the township centre,
    # until it goes back to the villager
    holder = ForeignKeyField(Cadre, null=True, on_delete="SET NULL", backref="holding")
    at_township = BooleanField(default=False)
    returned_at = DateTimeField(null=True)


class ErrandLink(BaseModel):
    """Two errands that belong together (same family matter, follow-up, ...)."""
    id = AutoField()
    errand = ForeignKeyField(Errand, backref="links", on_delete="CASCADE")
    other = ForeignKeyField(Errand, backref="linked_from", on_delete="CASCADE")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("errand", "other"), True),)


class Event(BaseModel):
    """History of every change: who, when, what (before -> after)."""
    id = AutoField()
    entity = CharField(max_length=20)
    entity_id = IntegerField()
    action = CharField(max_length=20)
    actor = ForeignKeyField(Cadre, null=True, on_delete="SET NULL", backref="events")
    at = DateTimeField(default=now)
    detail = JSONField(default=dict)

    class Meta:
        indexes = ((("entity", "entity_id"), False),
                   (("entity", "at"), False))  # what happened during a shift / a month


class ShiftTemplate(BaseModel):
    """A kind of shift of the station's day, e.g. 日班 08:00–20:00, 夜班 20:00–08:00."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="shift_templates", on_delete="CASCADE")
    name = CharField(max_length=20)
    starts = CharField(max_length=5)  # "08:00"
    ends = CharField(max_length=5)  # "20:00"; earlier than starts: ends the next day
    night = BooleanField(default=False)  # counts as a night in the village
    position = IntegerField(default=0)


class Shift(BaseModel):
    """One template on one day, and who is on it."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="shifts", on_delete="CASCADE")
    template = ForeignKeyField(ShiftTemplate, backref="shifts", on_delete="CASCADE")
    day = DateField()
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField(index=True)
    cadre = ForeignKeyField(Cadre, null=True, backref="shifts", on_delete="SET NULL")
    checked_in_at = DateTimeField(null=True)
    checked_out_at = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("template", "day"), True),)


class Leave(BaseModel):
    """A cadre away (请假, training, sick) for whole days."""
    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="leaves", on_delete="CASCADE")
    first_day = DateField()
    last_day = DateField()
    reason = CharField(max_length=60, default="")
    created_at = DateTimeField(default=now)


class CalendarDay(BaseModel):
    """A day the station head set: a holiday or an adjusted working day (调休), e.g.
    the State Council's schedule for a year the holiday library does not know yet."""
    id = AutoField()
    day = DateField(unique=True)
    kind = CharField(max_length=10)  # "holiday" | "workday"
    name = CharField(max_length=30, default="")


class ShiftSwap(BaseModel):
    """A swap of two shifts between cadres, or a substitution on one (other is null)."""
    id = AutoField()
    shift = ForeignKeyField(Shift, backref="swaps", on_delete="CASCADE")
    other = ForeignKeyField(Shift, null=True, backref="swapped_with", on_delete="CASCADE")
    requested_by = ForeignKeyField(Cadre, null=True, on_delete="SET NULL",
                                   backref="swaps_asked")
    approved_by = ForeignKeyField(Cadre, null=True, on_delete="SET NULL",
                                  backref="swaps_approved")
    at = DateTimeField(default=now)
    note = CharField(max_length=200, default="")


class Handover(BaseModel):
    """交接班: the outgoing cadre's note at check-out, acknowledged by the next one."""
    id = AutoField()
    shift = ForeignKeyField(Shift, backref="handovers", on_delete="CASCADE")
    from_cadre = ForeignKeyField(Cadre, null=True, on_delete="SET NULL",
                                 backref="handovers_given")
    to_cadre = ForeignKeyField(Cadre, null=True, on_delete="SET NULL",
                               backref="handovers_taken")
    note = TextField(default="")
    items = JSONField(default=list)  # what the app listed: errands, originals held
    written_at = DateTimeField(default=now, index=True)
    acknowledged_at = DateTimeField(null=True)


class NightStay(BaseModel):
    """A night a resident cadre spent in the village (from a night shift or a mark)."""
    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="nights", on_delete="CASCADE")
    night = DateField()  # the evening's date
    source = CharField(max_length=10, default="mark")  # "shift" | "mark"

    class Meta:
        indexes = ((("cadre", "night"), True),)


class Draft(BaseModel):
    """What a cadre had typed into a form and not saved yet: a dropped SSH link (the
    process killed) loses nothing. Not an event: drafts change at every pause in
    typing and must not make every other session refresh."""
    id = AutoField()
    owner = CharField(max_length=64)  # the login
    form = CharField(max_length=30)
    data = JSONField(default=dict)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("owner", "form"), True),)


ALL_MODELS = [Station, VillagerGroup, Cadre, Household, Resident, ResidentKey,
              ServiceItem, Counter, ErrandBatch, Errand, ErrandMaterial, ErrandLink,
              Event, ShiftTemplate, Shift, Leave, CalendarDay, ShiftSwap, Handover,
              NightStay, Draft]
