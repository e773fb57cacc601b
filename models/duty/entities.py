"""The duty roster: shift templates, shifts, leave, holidays set by hand, swaps,
handovers and nights in the village."""
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

from models.core.db import BaseModel, JSONField
from models.core.entities import Cadre, Station, now
from models.core.text import NotesColumn, TextColumn


class ShiftTemplate(BaseModel):
    """A kind of shift of the station's day, e.g. 日班 08:00–20:00, 夜班 20:00–08:00,
    or one 24-hour 值班 08:00–08:00 (starts == ends). A removed template whose shifts
    were worked is retired, not deleted: its past shifts keep it."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="shift_templates", on_delete="CASCADE")
    name = TextColumn(max_length=20)
    starts = CharField(max_length=5)  # "08:00"
    ends = CharField(max_length=5)  # "20:00"; earlier than starts: ends the next day
    night = BooleanField(default=False)  # counts as a night in the village
    position = IntegerField(default=0)
    retired = BooleanField(default=False)


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
    missed_reason = TextColumn(max_length=100, default="")  # why nobody checked in (head)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("template", "day"), True),)


class Leave(BaseModel):
    """A cadre away (请假, training, sick) for whole days."""
    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="leaves", on_delete="CASCADE")
    first_day = DateField()
    last_day = DateField()
    reason = TextColumn(max_length=60, default="")
    created_at = DateTimeField(default=now)


class CalendarDay(BaseModel):
    """A day the station head set: a holiday or an adjusted working day (调休), e.g.
    the State Council's schedule for a year the holiday library does not know yet."""
    id = AutoField()
    day = DateField(unique=True)
    kind = CharField(max_length=10)  # "holiday" | "workday"
    name = TextColumn(max_length=30, default="")


class PublishedYear(BaseModel):
    """A year whose published schedule (the State Council's notice) the station head
    has entered and marked so: only then do its days count as official. Entering a
    day does not: the notice has 调休 days the head may not have entered yet. Like
    CalendarDay, the database's, shared by every station."""
    year = IntegerField(primary_key=True)
    marked_at = DateTimeField(default=now)


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
    note = TextColumn(max_length=200, default="")


class Handover(BaseModel):
    """交接班: the outgoing cadre's note at check-out, acknowledged by the next one."""
    id = AutoField()
    shift = ForeignKeyField(Shift, backref="handovers", on_delete="CASCADE")
    from_cadre = ForeignKeyField(Cadre, null=True, on_delete="SET NULL",
                                 backref="handovers_given")
    to_cadre = ForeignKeyField(Cadre, null=True, on_delete="SET NULL",
                               backref="handovers_taken")
    note = NotesColumn(default="")
    items = JSONField(default=list)  # what the app listed: errands, originals held
    written_at = DateTimeField(default=now, index=True)
    acknowledged_at = DateTimeField(null=True)


class NightStay(BaseModel):
    """A night a resident cadre spent in the village (from a night shift, a mark or
    the head's correction). A night the head struck off stays as a row that does not
    count, so a later check-in or mark does not bring it back."""
    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="nights", on_delete="CASCADE")
    night = DateField()  # the evening's date
    source = CharField(max_length=10, default="mark")  # "shift" | "mark" | "correction"
    counted = BooleanField(default=True)
    reason = TextColumn(max_length=60, default="")  # the head's, when corrected

    class Meta:
        indexes = ((("cadre", "night"), True),)
