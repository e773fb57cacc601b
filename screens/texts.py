"""Small pieces of wording more than one screen shows."""
from __future__ import annotations

from models.core.i18n import t
from models.errands.intake import DueDate


def unofficial_note(due: DueDate) -> str:
    """Said next to a due date whose span runs into a year without a published
    holiday schedule: those days were counted from weekends and fixed dates."""
    if not due.unofficial_years:
        return ""
    return "  " + t("calendar.unofficial", years="、".join(map(str, due.unofficial_years)))
