"""The station head's settings: name, callback days, the nights rule, shifts of the day."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from models.core import history
from models.core.db import writes
from models.core.entities import Station
from models.core.guard import require_head, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.text import inert
from models.core.validation import (
    ValidationError,
    fail,
    normalize_mobile,
    optional_text,
    require_text,
)
from models.duty.entities import ShiftTemplate
from models.station.pins import clean_shared_login


@dataclass
class SettingsForm:
    """What the station head can change: names, the callback and nights rules, and
    the shifts of the day as "日班 08:00-20:00" lines (one per template id)."""
    station_name: str
    township: str
    callback_days: str
    nights_required: str
    shifts: dict[int, str] = field(default_factory=dict)
    shared_login: str = ""  # one OS login for the whole desk, with PINs; "" none
    duty_phone: str = ""  # the desk's phone, printed on households' contact cards
    opening_hours: str = ""  # e.g. "周一至周五 8:30-17:30，24小时值班电话"


def settings_of(station_id: int) -> tuple[Station, list[ShiftTemplate]]:
    return (Station.get_by_id(station_id),
            list(ShiftTemplate.select().where(ShiftTemplate.station == station_id)
                 .order_by(ShiftTemplate.position)))


def shift_line(template: ShiftTemplate) -> str:
    return f"{template.name} {template.starts}-{template.ends}"


def _whole(field_name: str, raw: str, label: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise fail(field_name, "settings.bad_number", label=label, low=low, high=high)
    return value


def _duty_phone(raw: str) -> str:
    """A mobile or a landline, as the resident form takes them; "" for none yet."""
    if not raw.strip():
        return ""
    try:
        return normalize_mobile(raw)
    except ValidationError as problem:
        raise ValidationError("duty_phone", problem.message, problem.code) from None


def _parse_shift(field_name: str, raw: str) -> tuple[str, str, str, bool]:
    """"日班 08:00-20:00" -> (name, "08:00", "20:00", night). A shift that runs past
    midnight counts as a night in the village."""
    # NFKC: full-width digits and colon from a Chinese IME; [0-9], not \d, which
    # would take any script's digits into the stored times
    match = re.fullmatch(r"\s*(\S{1,20})\s+([0-9]{1,2}):([0-9]{2})\s*[-–~至]\s*"
                         r"([0-9]{1,2}):([0-9]{2})\s*", unicodedata.normalize("NFKC", raw))
    if not match or inert(match[1]) != match[1] or int(match[2]) > 23 \
            or int(match[4]) > 23 or int(match[3]) > 59 or int(match[5]) > 59:
        raise fail(field_name, "settings.bad_shift", given=raw)
    starts, ends = f"{int(match[2]):02d}:{match[3]}", f"{int(match[4]):02d}:{match[5]}"
    return match[1], starts, ends, ends <= starts


@writes
def update_settings(station_id: int, expected_version: int, form: SettingsForm,
                    actor: Session) -> Station:
    require_head(actor)
    require_station(actor, station_id)
    station, templates = settings_of(station_id)
    values = {
        "name": require_text("station_name", form.station_name, t("setup.station_name"), 60),
        "township": form.township.strip()[:60],
        "callback_days": _whole("callback_days", form.callback_days,
                                t("settings.callback_days"), 1, 30),
        "nights_required": _whole("nights_required", form.nights_required,
                                  t("settings.nights_required"), 0, 31),
        "shared_login": clean_shared_login(form.shared_login, station_id),
        "duty_phone": _duty_phone(form.duty_phone),
        "opening_hours": optional_text("opening_hours", form.opening_hours,
                                       t("settings.opening_hours"), 60),
    }
    parsed = {template.id: _parse_shift(f"shift_{template.id}", form.shifts[template.id])
              for template in templates if template.id in form.shifts}
    saved = history.save_versioned(station, expected_version, values, actor, "station")
    for template in templates:
        if template.id in parsed:
            name, starts, ends, night = parsed[template.id]
            if (name, starts, ends, night) != (template.name, template.starts,
                                               template.ends, template.night):
                ShiftTemplate.update(name=name, starts=starts, ends=ends, night=night).where(
                    ShiftTemplate.id == template.id).execute()
                history.record("shift_template", template.id, "edit", actor,
                               before=shift_line(template), after=f"{name} {starts}-{ends}")
    return saved
