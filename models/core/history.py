"""Who changed what, when — and refusing to overwrite someone else's change."""
from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import JOIN, fn

from models.core.entities import Cadre, Event, now
from models.core.session import PublicActor, Session
from models.core.validation import mask_id


class StaleEdit(Exception):
    """The row changed since the editor loaded it; `fresh` is the row as saved now."""

    def __init__(self, fresh):
        super().__init__("stale")
        self.fresh = fresh


def _plain(value: Any) -> Any:
    """A value as it goes into an event's JSON detail."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "id") and hasattr(value, "_meta"):  # a model instance
        return value.id
    return value


def _in_trail(name: str, value: Any) -> Any:
    """A changed value as the trail keeps it: an ID number only masked (the row
    holds it in full; whoever reads the trail should not learn it from there)."""
    value = _plain(value)
    return mask_id(value) if name == "id_number" and value else value


def record(entity: str, entity_id: int, action: str, actor: Session | PublicActor,
           **detail) -> Event:
    """One event of the trail, in the name of the signed-in cadre (the hall's
    public screen names none)."""
    return Event.create(entity=entity, entity_id=entity_id, action=action,
                        actor=actor.cadre_id,
                        detail={k: _plain(v) for k, v in detail.items()})


def save_versioned(row, expected_version: int, changes: dict, actor: Session,
                   entity: str, action: str = "edit"):
    """Apply `changes` to `row` if nobody saved it since `expected_version`.

    Writes one event with before -> after of the fields that really changed (ID
    numbers masked). Must run inside a write transaction. Raises StaleEdit with the
    fresh row.
    """
    model = type(row)
    diff = {name: [_in_trail(name, getattr(row, name)), _in_trail(name, value)]
            for name, value in changes.items()
            if _plain(getattr(row, name)) != _plain(value)}
    values = dict(changes)
    values["version"] = expected_version + 1
    if "updated_at" in model._meta.fields:
        values["updated_at"] = now()
    updated = (model.update(**values)
               .where((model.id == row.id) & (model.version == expected_version))
               .execute())
    if updated != 1:
        raise StaleEdit(model.get_or_none(model.id == row.id))
    if diff:
        record(entity, row.id, action, actor, changes=diff)
    return model.get_by_id(row.id)


def history(entity: str, entity_id: int) -> list[Event]:
    return list(Event.select(Event, Cadre).join(Cadre, JOIN.LEFT_OUTER)
                .where((Event.entity == entity) & (Event.entity_id == entity_id))
                .order_by(Event.id))


def last_event_id() -> int:
    """The change signal other sessions poll: every write records an event."""
    return Event.select(fn.MAX(Event.id)).scalar() or 0
