"""The tables every part of the desk refers to: the station, its villager groups and
cadres, the event trail, drafts and numbering counters.

Rows people edit carry `version`: a save names the version it started from and is
refused if someone else saved in between (see `models.core.history.save_versioned`).
Every change also writes an `Event`, which doubles as the change signal other
sessions poll (see `models.core.history.last_event_id`).
"""
from __future__ import annotations

import datetime as dt

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from models.core.db import BaseModel, JSONField
from models.core.text import TextColumn


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Station(BaseModel):
    id = AutoField()
    name = TextColumn(max_length=60)
    township = TextColumn(max_length=60, default="")
    callback_days = IntegerField(default=3)  # call the villager back within N days
    nights_required = IntegerField(default=15)  # resident cadres' nights a month
    # "count": nights_required a month; "weekdays": lodge Monday to Friday (住村)
    nights_rule = CharField(max_length=10, default="count")
    # one OS login the whole desk shares, where cadres have none of their own: who
    # is at the keyboard is then told by name and PIN
    shared_login = TextColumn(max_length=64, null=True)
    # printed on contact cards and shown in the hall: the desk's own phone and hours
    duty_phone = TextColumn(max_length=20, default="")
    opening_hours = TextColumn(max_length=60, default="")
    created_at = DateTimeField(default=now)
    version = IntegerField(default=1)


class VillagerGroup(BaseModel):
    id = AutoField()
    station = ForeignKeyField(Station, backref="groups", on_delete="CASCADE")
    number = IntegerField()
    name = TextColumn(max_length=40)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("station", "number"), True),)


class Cadre(BaseModel):
    id = AutoField()
    # None: a township cadre, of no station (models/station/township.py)
    station = ForeignKeyField(Station, backref="cadres", on_delete="CASCADE", null=True)
    name = TextColumn(max_length=40)
    login = TextColumn(max_length=64, null=True, unique=True)  # the OS / SSH user
    phone = TextColumn(max_length=20, default="")
    role = CharField(max_length=10, default="duty")
    active = BooleanField(default=True)
    stays_in_village = BooleanField(default=True)  # 驻村: the nights rule applies
    pin_hash = CharField(max_length=200, null=True)  # scrypt, for signing in at a shared login
    version = IntegerField(default=1)


class GroupCoverage(BaseModel):
    """Who covers a villager group (两包一访), from `since` until the day before
    `until` (None: still does). When the cover changes the row is closed, not
    deleted, so the history of who looked after which households stays (a cover
    begun and ended on one day never took effect: only its events remain)."""
    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="coverage", on_delete="CASCADE")
    group = ForeignKeyField(VillagerGroup, backref="coverage", on_delete="CASCADE")
    since = DateField()
    until = DateField(null=True)


class Counter(BaseModel):
    """Named sequences (errand numbers per year), bumped under the write lock."""
    name = CharField(max_length=40, primary_key=True)
    value = IntegerField(default=0)


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
                   (("entity", "at"), False),  # what happened during a shift / a month
                   # one kind of event in a period (the month's callbacks), index only
                   (("entity", "action", "at", "entity_id"), False),
                   (("at",), False),  # the audit, newest first
                   (("actor", "at"), False))  # the audit of one cadre


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
