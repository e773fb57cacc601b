"""Sessions for tests: every write takes the signed-in Session as its actor."""
from __future__ import annotations

from models.core.entities import Cadre
from models.core.session import Session, session_for


def acting(cadre: Cadre) -> Session:
    """The Session `cadre` would have after signing in at their station."""
    return session_for(cadre.station, cadre, cadre.login or "")


def our_station() -> int:
    """The test's station (the first one set up): what a one-station test reads as,
    every read being scoped to a station (models/core/scope.py)."""
    from models.core.entities import Station
    return Station.select(Station.id).order_by(Station.id).scalar()
