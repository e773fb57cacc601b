"""Who may change what: the roles of the desk, enforced where the data changes.

Every write function takes the signed-in `Session` as its actor and calls these
checks first, inside its write transaction; the screens only hide what a role
cannot do. The actor's cadre is read again there, so a cadre deactivated or no
longer station head since the session began is refused at once, and a session
that says "head" counts as head only while the database says so too.

What a village station expects of its two roles:

- Anyone signed in (a duty cadre or the head), at their own station: register and
  run errands (every move, callbacks, notes, merging, links, custody of originals,
  the carry list, batches), take an errand over or hand their own one on, register
  and edit residents (in households that exist), check in and out of their own
  shift, acknowledge a handover, mark their own night in the village, record their
  own leave, swap or have someone cover a shift of their own.
- The station head only: the station's settings and catalogue, the cadre list,
  villager groups and households (a new household also when a resident's form
  names one; moving a resident, marking the departed), imports, generating the
  roster, putting someone on a shift never planned, holidays and 调休, leave for
  another cadre, swaps and substitutions of shifts that are not the head's own,
  handing another cadre's errand to a third.

The hall's public screen is no cadre: its `PublicActor` writes only the trail of
its lookups (require_public), and every other write refuses it.
The township cadre changes nothing: every write refuses them first (read only).

Every row a write touches must belong to the actor's station (errands, residents
through household → villager group, shifts, handovers, cadres); a row of another
station is refused as if it were not there to change.
"""
from __future__ import annotations

from models.core.entities import Cadre
from models.core.session import PublicActor, Role, Session
from models.core.validation import fail


def require_cadre(actor: Session) -> Cadre:
    """The actor's cadre as saved now: active, still at the session's station, and
    not the township's (who reads every station and changes none)."""
    if not isinstance(actor, Session):  # a caller from before the actor was a Session
        raise TypeError(f"the actor must be the signed-in Session, not {actor!r}")
    cadre = Cadre.get_or_none(Cadre.id == actor.cadre_id)
    if not actor.may_write or (cadre is not None and cadre.role == Role.TOWNSHIP):
        raise fail("actor", "guard.read_only")
    if cadre is None or not cadre.active or cadre.station_id != actor.station_id:
        raise fail("actor", "guard.inactive")
    return cadre


def require_township(actor: Session) -> Cadre:
    """The actor's cadre, refused unless they are the township's, active and still
    the township's in the database (the township's report is theirs alone)."""
    if not isinstance(actor, Session):
        raise TypeError(f"the actor must be the signed-in Session, not {actor!r}")
    cadre = Cadre.get_or_none(Cadre.id == actor.cadre_id)
    if cadre is None or not cadre.active:
        raise fail("actor", "guard.inactive")
    if not actor.is_township or cadre.role != Role.TOWNSHIP:
        raise fail("actor", "guard.township_only")
    return cadre


def require_public(actor: PublicActor) -> PublicActor:
    """The hall's public screen, and nothing else: a cadre's session does not write
    in its name (the trail would say a lookup was the hall's)."""
    if not isinstance(actor, PublicActor):
        raise TypeError(f"the actor must be the hall's PublicActor, not {actor!r}")
    return actor


def is_head(actor: Session, cadre: Cadre) -> bool:
    """Head in the session and in the database: a demotion counts at once, a
    promotion from the next session re-read on."""
    return actor.role is Role.HEAD and cadre.role == Role.HEAD


def require_head(actor: Session) -> Cadre:
    """The actor's cadre, refused unless they are station head."""
    cadre = require_cadre(actor)
    if not is_head(actor, cadre):
        raise fail("actor", "guard.head_only")
    return cadre


def require_own(actor: Session, *cadre_ids: int | None) -> Cadre:
    """The actor's cadre, refused unless the change is their own — one of
    `cadre_ids` (whose leave, shift or errand it is) is theirs — or they are head."""
    cadre = require_cadre(actor)
    if cadre.id not in cadre_ids and not is_head(actor, cadre):
        raise fail("actor", "guard.own_only")
    return cadre


def require_station(actor: Session, station_id: int | None) -> None:
    """Refuse a row of another station. None (a resident not in any household yet)
    belongs to no station, and any station's cadre may place them."""
    if station_id is not None and station_id != actor.station_id:
        raise fail("actor", "guard.other_station")
