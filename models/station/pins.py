"""Signing in at a shared OS login. Where cadres have no OS login of their own, the
station names one login the whole desk uses, and a cadre signing in there says who
they are with their PIN.

PINs are kept as salted scrypt hashes. Every wrong PIN is an event; a run of them
stops PIN sign-in for that cadre for a while (a 4-digit PIN would otherwise fall to
anyone patient at the keyboard), until the time is up or the PIN is set anew.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Event, Station, now
from models.core.guard import require_own, require_station
from models.core.session import Role, Session, session_for
from models.core.text import inert
from models.core.validation import fail
from models.station.team import LOGIN

PIN_LENGTH = range(4, 9)
PIN = re.compile(f"[0-9]{{{PIN_LENGTH.start},{PIN_LENGTH.stop - 1}}}")
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}  # 16 MB and some 50 ms: fine once a sign-in
TRIES = 5
LOCKED_FOR = dt.timedelta(minutes=15)


def clean_pin(raw: str) -> str:
    """4 to 8 digits, as typed on any keyboard (full-width digits too)."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not PIN.fullmatch(text):
        raise fail("pin", "pin.bad")
    return text


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def pin_matches(stored: str | None, raw: str) -> bool:
    try:
        kind, salt, digest = (stored or "").split("$")
        tried = hashlib.scrypt(clean_pin(raw).encode(), salt=bytes.fromhex(salt), **SCRYPT)
    except ValueError:  # no PIN set, a hash not ours, or typed as no PIN could be
        return False
    return kind == "scrypt" and hmac.compare_digest(tried.hex(), digest)


def clean_shared_login(raw: str, station_id: int) -> str | None:
    """The station's shared login as an OS login name; None: there is none. It may
    not be a cadre's own login (that one signs its cadre in without a PIN), nor
    another station's shared login."""
    text = (raw or "").strip()
    if not text:
        return None
    if not LOGIN.fullmatch(text):
        raise fail("shared_login", "cadre.bad_login", given=inert(raw))
    clash = Cadre.get_or_none(Cadre.login == text)
    if clash is not None:
        raise fail("shared_login", "cadre.login_taken", login=text, name=clash.name)
    other = Station.get_or_none((Station.shared_login == text) & (Station.id != station_id))
    if other is not None:
        raise fail("shared_login", "cadre.login_shared", login=text, station=other.name)
    return text


def station_sharing(login: str) -> Station | None:
    """The station whose desk is signed into with this shared OS login."""
    return Station.get_or_none(Station.shared_login == login) if login else None


def pin_cadres(station_id: int) -> list[Cadre]:
    """Who can sign in at the shared login: active cadres with a PIN."""
    return list(Cadre.select().where((Cadre.station == station_id) & Cadre.active
                                     & Cadre.pin_hash.is_null(False)).order_by(Cadre.id))


@writes
def set_pin(cadre_id: int, raw: str, actor: Session) -> Cadre:
    """A cadre's own PIN, or the head's setting or clearing (empty) another's."""
    cadre = Cadre.get_or_none(Cadre.id == cadre_id)
    if cadre is None:
        raise fail("pin", "cadre.missing")
    require_own(actor, cadre.id)
    require_station(actor, cadre.station_id)
    pin_hash = hash_pin(clean_pin(raw)) if (raw or "").strip() else None
    Cadre.update(pin_hash=pin_hash).where(Cadre.id == cadre.id).execute()
    history.record("cadre", cadre.id, "pin_set" if pin_hash else "pin_cleared", actor)
    return cadre


def _failures(cadre: Cadre) -> int:
    """Wrong PINs in the last LOCKED_FOR since the PIN was last set or worked."""
    events = Event.select().where((Event.entity == "cadre") & (Event.entity_id == cadre.id))
    reset = (events.select(Event.id).where(Event.action.in_(("pin_set", "signed_in_pin")))
             .order_by(Event.id.desc()).limit(1).scalar()) or 0
    return events.where((Event.action == "pin_failed") & (Event.id > reset)
                        & (Event.at >= now() - LOCKED_FOR)).count()


@writes
def _try_pin(login: str, cadre_id: int, raw: str) -> Cadre | tuple[str, dict]:
    """The cadre signed in, or the catalogue key (and values) of why not. Returns
    the refusal rather than raising it, so that the wrong PIN's event is kept."""
    station = station_sharing(login)
    cadre = station and Cadre.get_or_none((Cadre.id == cadre_id) & Cadre.active
                                          & (Cadre.station == station.id))
    if not cadre or not cadre.pin_hash:
        return "pin.no_pin", {}
    locked = "pin.locked", {"minutes": int(LOCKED_FOR.total_seconds() // 60)}
    if _failures(cadre) >= TRIES:
        return locked
    as_them = session_for(station, cadre, login)
    if not pin_matches(cadre.pin_hash, raw):
        history.record("cadre", cadre.id, "pin_failed", as_them)
        left = TRIES - _failures(cadre)
        return ("pin.wrong", {"left": left}) if left else locked
    history.record("cadre", cadre.id, "signed_in_pin", as_them)
    return cadre


def sign_in_with_pin(login: str, cadre_id: int, raw: str) -> Cadre:
    """The cadre at the shared `login` who knows this PIN; ValidationError (of the
    PIN field) otherwise."""
    signed_in = _try_pin(login, cadre_id, raw)
    if isinstance(signed_in, tuple):
        key, values = signed_in
        raise fail("pin", key, **values)
    return signed_in


def head_pin_matches(station_id: int, raw: str) -> bool:
    """Whether `raw` is the PIN of one of the station's active heads: what lets the
    operator close the hall's public screen (kiosk public)."""
    heads = Cadre.select(Cadre.pin_hash).where(
        (Cadre.station == station_id) & Cadre.active & (Cadre.role == Role.HEAD.value)
        & Cadre.pin_hash.is_null(False))
    return any(pin_matches(head.pin_hash, raw) for head in heads)
