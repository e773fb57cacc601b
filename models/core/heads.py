"""The station head's own changes (the cadre list, villager groups, households,
the service catalogue): refused to anyone else, and to a head of another station."""
from __future__ import annotations

from collections.abc import Callable

from models.core import guard, history
from models.core.session import Session


def require_head(actor: Session, station_id: int | None = None) -> Session:
    """The acting head, refused unless head in the session and in the database (a
    head demoted or deactivated since signing in is refused at once); `station_id`,
    when given, is the station of the row being changed."""
    guard.require_head(actor)
    guard.require_station(actor, station_id)
    return actor


def create_as_head(model, actor: Session, values_of: Callable[[int], dict], entity: str,
                   *shown: str):
    """A new row of the actor's station, made by its head: `values_of(station_id)`
    validates the form once the actor is known to be head. The event names the
    new row's `shown` fields."""
    head = require_head(actor)
    row = model.create(station=actor.station_id, **values_of(actor.station_id))
    history.record(entity, row.id, "create", head, **{name: getattr(row, name) for name in shown})
    return row


def save_as_head(model, row_id: int, expected_version: int, actor: Session,
                 changes_of: Callable[[object], dict], entity: str, action: str = "edit"):
    """Save a row of the actor's station as its head: `changes_of(row)` validates
    the change once the actor is known to be head there (see history.save_versioned
    for the version check and the event)."""
    row = model.get_by_id(row_id)
    head = require_head(actor, row.station_id)
    return history.save_versioned(row, expected_version, changes_of(row), head, entity,
                                  action=action)
