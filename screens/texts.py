"""Small pieces of wording more than one screen shows."""
from __future__ import annotations

from models.core.i18n import t
from models.people.entities import Resident, ResidentStatus


def resident_state(resident: Resident) -> str:
    """在册, or 已故 / 迁出 with the day: whether a resident is still here."""
    if resident.status == ResidentStatus.PRESENT:
        return t("resident.status.present")
    return t(f"resident.status.{resident.status}",
             since=resident.status_since.isoformat() if resident.status_since else "")

