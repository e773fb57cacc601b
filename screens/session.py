"""The one way a screen or widget learns who is at the desk, and the keys it is
offered."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps

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


# — which keys a role is offered —
# The models refuse what a role may not do (models/core/guard.py); the screens leave
# its keys out. An action method is marked with the rule it needs, and a screen
# mixing in `RoleKeys` hides the key from everyone else — from the key line, F1
# and the palette — and ignores the action if it is reached another way (Enter on
# a row). Unmarked actions are everyone's.

def _offered_to(rule: Callable[[Session], bool]) -> Callable:
    def mark(action: Callable) -> Callable:
        @wraps(action)
        def guarded(node, *args):
            if rule(session_of(node)):
                return action(node, *args)
            return None
        guarded.offered_to = rule
        return guarded
    return mark


# it changes the station's data: a station's own cadres, never the township's
changes_data = _offered_to(lambda session: session.may_write)
# the station head's alone (settings, the team, the calendar …)
head_only = _offered_to(lambda session: session.is_head)
# the township cadre's alone (back to the stations side by side)
township_only = _offered_to(lambda session: session.is_township)


def offered(node: DOMNode, action: str) -> bool:
    """Whether the signed-in cadre is offered `action` of `node` (a screen)."""
    rule = getattr(getattr(type(node), f"action_{action}", None), "offered_to", None)
    return rule is None or rule(session_of(node))


class RoleKeys:
    """Mixed into a screen (before Screen): its marked actions are the keys of the
    roles they name. A screen with rules of its own calls this check_action too."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not offered(self, action):
            return False
        return super().check_action(action, parameters)
