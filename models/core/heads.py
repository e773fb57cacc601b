"""The station head's own changes (the cadre list, villager groups, households,
the service catalogue): refused to anyone else, and to a head of another station."""
from __future__ import annotations

from models.core.entities import Cadre
from models.core.session import Role, Session
from models.core.validation import fail


def require_head(actor: Session, station_id: int | None = None) -> Cadre:
    """The acting head's cadre as saved now, to write the change's events with.

    The session must say head and so must the database: a head demoted or
    deactivated since signing in is refused at once. `station_id`, when given, is
    the station of the row being changed."""
    cadre = Cadre.get_or_none(Cadre.id == actor.cadre_id)
    if not actor.is_head or cadre is None or not cadre.active or cadre.role != Role.HEAD:
        raise fail("actor", "admin.head_only")
    if cadre.station_id != actor.station_id or station_id not in (None, actor.station_id):
        raise fail("actor", "admin.other_station")
    return cadre
