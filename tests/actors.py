"""Sessions for tests: every write takes the signed-in Session as its actor."""
from __future__ import annotations

from models.core.entities import Cadre
from models.core.session import Session, session_for


def acting(cadre: Cadre) -> Session:
    """The Session `cadre` would have after signing in at their station."""
    return session_for(cadre.station, cadre, cadre.login or "")
