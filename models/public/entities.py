"""What the station tells every villager: the policies they may be entitled to
(惠农政策) and the village's published decisions (村务公开, 四议两公开). The station
head keeps both; the hall's public screen and the visits' policy delivery read them."""
from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from models.core.db import BaseModel
from models.core.entities import Station, now
from models.core.text import NotesColumn, TextColumn


class Policy(BaseModel):
    """A policy as the 惠农政策知情卡 states it."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="policies", on_delete="CASCADE")
    title = TextColumn(max_length=60)
    qualifies = NotesColumn(default="")  # who qualifies
    bring = NotesColumn(default="")  # what to bring
    apply_at = TextColumn(max_length=60, default="")  # where to apply
    amount = TextColumn(max_length=80, default="")  # the amount or standard
    # households it is meant for (models.village.entities.Tag), "" for everyone
    tag = CharField(max_length=20, default="")
    search_keys = CharField(max_length=400, default="")  # '|'-joined pinyin keys of the title
    active = BooleanField(default=True)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)


class Publication(BaseModel):
    """A decision of the village meeting made public, and later its result."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="publications", on_delete="CASCADE")
    title = TextColumn(max_length=60)
    decided_on = DateField()
    decision = NotesColumn(default="")
    result = NotesColumn(default="")  # how it was carried out; "" until then
    active = BooleanField(default=True)  # withdrawn from the hall's screen when False
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("station", "decided_on"), False),)
