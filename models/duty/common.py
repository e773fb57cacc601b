"""What the duty modules share: the refusal of a form field, with its message from
the catalogue, and what "now" is."""
from __future__ import annotations

import datetime as dt

from models.core.entities import now as _now
from models.core.i18n import t
from models.core.validation import ValidationError


def fail(field_name: str, key: str, **values) -> ValidationError:
    return ValidationError(field_name, t(key, **values), key)


def when(now: dt.datetime | None) -> dt.datetime:
    """`now`, or the clock's now when not given (tests and a late check-out say when)."""
    return now or _now()
