"""The service catalogue and errands: items, errands, their materials, links and batches."""
from __future__ import annotations

from enum import StrEnum

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
from models.core.i18n import t
from models.core.text import NotesColumn, TextColumn
from models.people.entities import Resident

MODES = ("on_the_spot", "carried", "accompanied", "mobile")


class Status(StrEnum):
    """Where an errand stands; the values are what the status column stores."""
    REGISTERED = "registered"
    IN_PROGRESS = "in_progress"
    WAITING_VILLAGER = "waiting_villager"
    SUBMITTED = "submitted"
    APPOINTMENT_SET = "appointment_set"
    RESULT_BACK = "result_back"
    DELIVERED = "delivered"
    CALLED_BACK = "called_back"
    RETURNED = "returned"
    CANCELLED = "cancelled"


# Closed: the villager has the result, or the errand ended without one. Every other
# status is open, so a status added later shows in the queue unless said otherwise.
CLOSED_STATUSES = (Status.DELIVERED, Status.CALLED_BACK, Status.RETURNED, Status.CANCELLED)
OPEN_STATUSES = tuple(status for status in Status if status not in CLOSED_STATUSES)


def status_label(status: str, mode: str | None) -> str:
    """The word for `status` of an errand handled `mode`, wherever a status shows.
    A 马上办 errand is finished at the desk and nothing is delivered: it reads
    已办结 where the others read 已送达. Without a mode (a filter over every way)
    both words."""
    if status != Status.DELIVERED:
        return t(f"status.{status}")
    if mode is None:
        return t("status.delivered_or_done")
    return t("status.done_at_desk" if mode == "on_the_spot" else "status.delivered")


class Satisfaction(StrEnum):
    """How the villager judged the errand at the callback (回访). The values are the
    words stored in Errand.satisfaction since the first callback, and shown as such."""
    SATISFIED = "满意"
    FAIRLY = "基本满意"
    UNSATISFIED = "不满意"


class ServiceItem(BaseModel):
    """An entry of the service catalogue (代办事项目录)."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="items", on_delete="CASCADE")
    category = TextColumn(max_length=30)
    name = TextColumn(max_length=60)
    default_mode = CharField(max_length=12, default="carried")
    time_limit_days = IntegerField(default=5)  # working days
    materials = JSONField(default=list)
    originals = JSONField(default=list)  # of the materials, originals the desk holds
    allowed_modes = JSONField(default=lambda: list(MODES))  # the ways it may be handled
    in_person = BooleanField(default=False)  # the villager must appear in person
    search_keys = CharField(max_length=400, default="")  # '|'-joined pinyin keys
    active = BooleanField(default=True)
    version = IntegerField(default=1)


class ErrandBatch(BaseModel):
    """One item run for many households at once (e.g. the yearly 医保 enrolment)."""
    id = AutoField()
    station = ForeignKeyField(Station, backref="batches", on_delete="CASCADE")
    item = ForeignKeyField(ServiceItem, backref="batches", on_delete="RESTRICT")
    title = TextColumn(max_length=80)
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
    note = NotesColumn(default="")
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=1)
    # 领着办 / 流动办: when and where the cadre goes with (or to) the villager
    appointment_at = DateTimeField(null=True)
    appointment_place = TextColumn(max_length=120, default="")
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
        indexes = ((("station", "status", "due_date"), False),
                   (("station", "delivered_at"), False),
                   (("station", "closed_at"), False),
                   # a period's intake counted by mode, status, owner, item, day
                   (("station", "created_at", "mode", "status", "owner", "item"), False))


# A station's open errands in the queue's order, and their count, read from a small
# index of their own (migration 0025): the township server's 3 million errands
Errand.add_index(Errand.index(Errand.station, Errand.due_date, Errand.id,
                              where=Errand.status.in_(OPEN_STATUSES), name="errand_open_queue"))


class ErrandMaterial(BaseModel):
    """A material the item requires, and whether the desk received it."""
    id = AutoField()
    errand = ForeignKeyField(Errand, backref="materials", on_delete="CASCADE")
    name = TextColumn(max_length=80)
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
