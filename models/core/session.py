"""Who is at the desk: the signed-in cadre, their station and role.

The App owns one `Session` for a cadre's sitting; screens read it, and every write
of the domain takes it as its actor and checks it (who may do what, at which
station: models.core.guard). It is immutable: when a cadre's role or the station's
name changes, the App reads a fresh one rather than patching this one.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.core.entities import Cadre, Station


class Role(StrEnum):
    HEAD = "admin"  # 站长: roster generation, calendar, settings
    DUTY = "duty"  # 值班干部
    # 乡镇: of no station; reads any station (switching), changes nothing
    # (models/station/township.py)
    TOWNSHIP = "township"


# what a station's own cadre can be; a township cadre is made on the server only
STATION_ROLES = (Role.HEAD, Role.DUTY)


@dataclass(frozen=True)
class Session:
    station_id: int | None  # None only for a township cadre made before any station
    station_name: str
    cadre_id: int
    cadre_name: str
    role: Role
    login: str

    @property
    def is_head(self) -> bool:
        return self.role is Role.HEAD

    @property
    def is_township(self) -> bool:
        return self.role is Role.TOWNSHIP

    @property
    def may_write(self) -> bool:
        """A station's own cadre changes their station's data; the township's reads
        only (models.core.guard refuses them; the screens leave their keys out)."""
        return self.role in STATION_ROLES


@dataclass(frozen=True)
class PublicActor:
    """The hall's public screen (`kiosk public`): nobody signed in, reading only.
    The one thing it writes is the trail of its own lookups, in no cadre's name;
    every cadre's write refuses it (it is not a Session)."""
    station_id: int
    cadre_id: None = None  # the events it writes name no cadre


def session_for(station: Station | None, cadre: Cadre, login: str) -> Session:
    """The session of `cadre` at `station`: their own; for a township cadre, the
    one they are looking at."""
    return Session(station.id if station else None, station.name if station else "",
                   cadre.id, cadre.name, Role(cadre.role), login)


def fresh_session(session: Session) -> Session | None:
    """The same sitting re-read: a renamed station, a cadre given another role.
    None when the cadre has been deactivated meanwhile."""
    cadre = Cadre.get_or_none((Cadre.id == session.cadre_id) & Cadre.active)
    if cadre is None:
        return None
    return session_for(Station.get_by_id(session.station_id), cadre, session.login)
