"""The one way a screen or widget learns who is at the desk."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.dom import DOMNode

from models.core.session import Session


def session_of(node: DOMNode) -> Session:
    """The signed-in cadre's session, owned by the App (set at sign-in, re-read
    when the data changes)."""
    session = getattr(node.app, "session", None)
    assert session is not None, "screens are only shown after sign-in"
    return session


def station_read(node: DOMNode, read: Callable) -> Callable:
    """`read` for the desk's station: every model read of a row takes the reading
    station (models/core/scope.py), so another station's row is never shown."""
    return partial(read, station_id=session_of(node).station_id)
