"""What every duty module refuses with: a ValidationError for one field, its
message from the catalogue."""
from __future__ import annotations

from models.core.i18n import t
from models.core.validation import ValidationError


def fail(field_name: str, key: str, **values) -> ValidationError:
    return ValidationError(field_name, t(key, **values), key)
