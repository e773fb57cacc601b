"""Small pieces of wording more than one screen shows."""
from __future__ import annotations

from models.core.i18n import t
from models.errands.queue import QueueRow
from models.people.entities import Resident, ResidentStatus


def unofficial_note(years: list[int]) -> str:
    """Said next to a due date whose span runs into years without a published
    holiday schedule: those days were counted without their 调休."""
    if not years:
        return ""
    return "  " + t("calendar.unofficial", years="、".join(map(str, years)))


def due_cell(row: QueueRow) -> str:
    """A due date in a list, marked 暂 when it counts days of a year whose holiday
    schedule is not published yet."""
    date = row.due_date.isoformat()
    return t("queue.due_unofficial", date=date) if row.unofficial else date


def resident_state(resident: Resident) -> str:
    """在册, or 已故 / 迁出 with the day: whether a resident is still here."""
    if resident.status == ResidentStatus.PRESENT:
        return t("resident.status.present")
    return t(f"resident.status.{resident.status}",
             since=resident.status_since.isoformat() if resident.status_since else "")

