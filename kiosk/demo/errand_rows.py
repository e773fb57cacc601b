"""The made-up errands written as the desk would have left them: errand rows,
their materials, their history, and the year counters numbering goes on from."""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from models.core.entities import Counter, Event
from models.core.i18n import t
from models.errands.entities import Errand, ErrandMaterial, Satisfaction

from .context import Writer

RETURN_REASONS = ("材料不全，乡镇退回补充", "信息填写有误，需重新填报", "不符合申请条件")
CANCEL_REASONS = ("群众自行办理", "群众不再需要", "重复登记")


def material_count(errands: list[dict]) -> int:
    return sum(len(e["item"].materials) for e in errands)


def event_count(errands: list[dict]) -> int:
    """The intake of each errand, a status change for those that moved on, and the
    callback of those called back."""
    return sum(1 + (e["status"] != "registered") + (e["status"] == "called_back")
               for e in errands)


def write_errands(rng: random.Random, writer: Writer, errands: list[dict],
                  resident_ids: list[int]) -> None:
    station_id = errands[0]["item"].station_id if errands else None
    fields = [Errand.number, Errand.station, Errand.resident, Errand.item, Errand.mode,
              Errand.status, Errand.owner, Errand.created_by, Errand.created_at,
              Errand.due_date, Errand.closed_at, Errand.updated_at, Errand.paused_since,
              Errand.delivered_at, Errand.callback_due, Errand.satisfaction,
              Errand.flagged]
    writer.insert(Errand, fields, (
        (e["number"], station_id, resident_ids[e["resident"]], e["item"].id, e["mode"],
         e["status"], e["owner"].id, e["created_by"].id, e["created"], e["due"],
         e["closed"], e["updated"], *_lifecycle_columns(e))
        for e in errands), t("demo.progress.write_errands"))
    ids = dict(Errand.select(Errand.number, Errand.id).tuples())

    # originals: the owner holds them while the errand is open; they went back
    # to the villager when it closed
    writer.insert(ErrandMaterial, [ErrandMaterial.errand, ErrandMaterial.name,
                                   ErrandMaterial.received, ErrandMaterial.original,
                                   ErrandMaterial.holder, ErrandMaterial.returned_at],
                  ((ids[e["number"]], name, received, held,
                    e["owner"].id if held and not e["closed"] else None,
                    e["closed"] if held else None)
                   for e in errands for name, received, held in e["materials"]),
                  t("demo.progress.write_materials"))
    writer.insert(Event, [Event.entity, Event.entity_id, Event.action, Event.actor,
                          Event.at, Event.detail], _events(rng, errands, ids),
                  t("demo.progress.write_events"))


def write_counters(errands: list[dict]) -> None:
    """Each year's last number, so that the next errand taken in follows on."""
    last_numbers: dict[int, int] = {}
    for errand in errands:
        last_numbers[errand["created"].year] = errand["seq"]
    Counter.insert_many([(f"errand-{year}", value) for year, value in last_numbers.items()],
                        fields=[Counter.name, Counter.value]).execute()


def _lifecycle_columns(e: dict) -> tuple:
    """paused_since, delivered_at, callback_due, satisfaction, flagged — as
    models.errands.lifecycle would have left them."""
    status = e["status"]
    paused = e["updated"].date() if status == "waiting_villager" else None
    delivered = e["closed"] if status in ("delivered", "called_back") else None
    callback_due = (delivered.date() + dt.timedelta(days=3)
                    if status == "delivered" else None)
    return (paused, delivered, callback_due, e["satisfaction"],
            e["satisfaction"] == Satisfaction.UNSATISFIED)


def _events(rng: random.Random, errands: list[dict], ids: dict[str, int]) -> Iterator[tuple]:
    """Each errand's intake, shaped as `register_errand` records it, and for
    errands that moved on, the status change that took them where they are (and
    the callback, as `record_callback` records it)."""
    for e in errands:
        errand_id = ids[e["number"]]
        yield ("errand", errand_id, "create", e["created_by"].id, e["created"],
               dict(number=e["number"], mode=e["mode"], item=e["item"].name,
                    received=[n for n, received, _ in e["materials"] if received]))
        if e["status"] == "registered":
            continue
        if e["status"] == "called_back":  # delivered, then called back days later
            yield ("errand", errand_id, "status", e["owner"].id, e["closed"],
                   dict(changes=dict(status=["registered", "delivered"])))
            yield ("errand", errand_id, "callback", e["owner"].id, e["updated"],
                   dict(changes=dict(status=["delivered", "called_back"],
                                     satisfaction=["", e["satisfaction"]])))
            continue
        detail: dict = dict(changes=dict(status=["registered", e["status"]]))
        if e["status"] == "returned":
            detail["reason"] = rng.choice(RETURN_REASONS)
        elif e["status"] == "cancelled":
            detail["reason"] = rng.choice(CANCEL_REASONS)
        yield ("errand", errand_id, "status", e["owner"].id, e["updated"], detail)
