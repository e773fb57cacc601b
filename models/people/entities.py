"""Households, residents and their search keys."""
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

from models.core.db import BaseModel
from models.core.entities import Station, VillagerGroup, now
from models.core.text import NotesColumn, TextColumn


class Household(BaseModel):
    id = AutoField()
    group = ForeignKeyField(VillagerGroup, backref="households", on_delete="CASCADE")
    # the group's station: household numbers are the station's own (every village
    # numbers from 01001), unique within it; (station, number) indexes it too
    station = ForeignKeyField(Station, backref="households", on_delete="CASCADE", index=False)
    number = TextColumn(max_length=20)  # 户号, e.g. 03021
    address = TextColumn(max_length=120, default="")
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("station", "number"), True),)

    def save(self, *args, **kwargs):
        """A household made without its station gets its group's."""
        if self.station_id is None and self.group_id is not None:
            self.station_id = self.group.station_id
        return super().save(*args, **kwargs)


HEAD_OF_HOUSEHOLD = "户主"  # the relation that marks the head, as the register writes it


class ResidentStatus(StrEnum):
    """Whether a resident is still here. The departed stay in the register (their
    errands and history with them); they are marked, never deleted."""
    PRESENT = "present"
    DECEASED = "deceased"
    MOVED_AWAY = "moved_away"


class Resident(BaseModel):
    id = AutoField()
    household = ForeignKeyField(Household, null=True, backref="residents",
                                on_delete="SET NULL")
    name = TextColumn(max_length=40)
    gender = CharField(max_length=2, default="")
    id_number = TextColumn(max_length=18, null=True, unique=True)
    phone = TextColumn(max_length=20, default="")
    pinyin = CharField(max_length=120, default="")  # first reading, for display
    pinyin_override = TextColumn(max_length=120, default="")
    relation = TextColumn(max_length=20, default="")  # to the head of household
    note = NotesColumn(default="")
    status = CharField(max_length=12, default=ResidentStatus.PRESENT)
    status_since = DateField(null=True)  # the day they died or moved away
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)


class ResidentKey(BaseModel):
    """One search key of a resident: a pinyin reading, initials, the name, the given
    name, phone or ID digits (from every position up to the last four, so digits
    from the middle or the end of a number are a prefix too), the household number.
    Prefix lookups on this index keep search flat at any size."""
    id = AutoField()
    resident = ForeignKeyField(Resident, backref="keys", on_delete="CASCADE")
    key = CharField(max_length=120, index=True)
