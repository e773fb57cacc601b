"""Who works at the station: cadres and the villager groups they cover, and who may
sign in to the desk."""
from __future__ import annotations

import re
import unicodedata

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Station, VillagerGroup
from models.core.i18n import t
from models.core.session import Role, session_for
from models.core.text import inert
from models.core.validation import fail

# A Unix login name as useradd takes it: lower-case letters, digits, _ and -, not
# starting with a digit or -, at most 32 characters (a trailing $ marks Samba's).
LOGIN = re.compile(r"[a-z_][a-z0-9_-]{0,31}\$?")


class SignInRefused(Exception):
    """The login may not use the desk; the message says why, for the terminal."""


def cadre_for_login(login: str) -> Cadre | None:
    return Cadre.get_or_none((Cadre.login == login) & Cadre.active)


@writes
def sign_in(login: str, act_as: str | None = None) -> Cadre:
    """The active cadre behind an OS (SSH) login. A station head may act as another
    cadre of the station (cover, testing); that is written to the event log.

    Signing in is what makes a Session, so unlike every other write it takes the
    login, not a Session, as who is asking."""
    cadre = cadre_for_login(login)
    if cadre is None:
        raise SignInRefused(t("signin.unknown", login=login))
    if not act_as or act_as == login:
        return cadre
    if cadre.role != Role.HEAD:
        raise SignInRefused(t("signin.as_needs_head"))
    other = cadre_for_login(act_as)
    if other is None or other.station_id != cadre.station_id:
        raise SignInRefused(t("signin.unknown", login=act_as))
    history.record("cadre", other.id, "signed_in_as",
                   session_for(cadre.station, cadre, login), by=login)
    return other


def desk_station(cadre: Cadre) -> Station:
    """The station a cadre's desk opens on: their own. A township cadre belongs to
    none and starts on the first station, switching from there (read only)."""
    if cadre.station_id is not None:
        return Station.get_by_id(cadre.station_id)
    return Station.select().order_by(Station.id).get()


def login_station(login: str) -> Station | None:
    """The station a shell command run by `login` is about: the cadre's own; with
    one station in the database, that one whoever runs it; None on a township
    server for a login of none of its stations."""
    cadre = cadre_for_login(login) if login else None
    if cadre is not None and cadre.station_id is not None:
        return Station.get_by_id(cadre.station_id)
    only = list(Station.select().limit(2))
    return only[0] if len(only) == 1 else None


def active_cadres(station_id: int) -> list[Cadre]:
    return list(Cadre.select().where((Cadre.station == station_id) & Cadre.active)
                .order_by(Cadre.id))


def groups_of(station_id: int) -> list[VillagerGroup]:
    return list(VillagerGroup.select().where(VillagerGroup.station == station_id)
                .order_by(VillagerGroup.number))


def group_number(field: str, raw: str) -> int:
    """A villager group's number as a cadre types it ("3", full-width "３")."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= 999:
        raise fail(field, "group.bad_number", given=inert(raw))
    return int(text)


def group_numbered(station_id: int, raw: str, field: str = "group_number") -> VillagerGroup:
    """The station's villager group with the number typed, or ValidationError."""
    group = VillagerGroup.get_or_none((VillagerGroup.station == station_id)
                                      & (VillagerGroup.number == group_number(field, raw)))
    if group is None:
        raise fail(field, "group.unknown", given=inert(raw))
    return group
