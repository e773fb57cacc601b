"""The station head's settings: name, callback days, the nights rule, shifts of the day.

The shifts of the day are templates: one 24-hour 值班 08:00-08:00, or two or three
shifts. The head edits them in the form, adds one or removes one; at least one
stays. Removing drops the template's shifts still to come that nobody checked in
to; one whose shifts were worked (or are past) is retired, not deleted, so the
past roster keeps it."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from peewee import fn

from models.core import history
from models.core.db import writes
from models.core.entities import Station
from models.core.entities import now as _now
from models.core.guard import require_head, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.text import inert
from models.core.validation import (
    ValidationError,
    fail,
    normalize_mobile,
    optional_text,
)
from models.duty.entities import Shift, ShiftTemplate
from models.duty.hours import templates_of
from models.station.pins import clean_shared_login
from models.station.setup import free_station_name


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
    return Station.get_by_id(station_id), templates_of(station_id)


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
    midnight counts as a night in the village; one that ends when it starts
    ("值班 08:00-08:00") runs 24 hours, a night included."""
    # NFKC: full-width digits and colon from a Chinese IME; [0-9], not \d, which
    # would take any script's digits into the stored times
    match = re.fullmatch(r"\s*(\S{1,20})\s+([0-9]{1,2}):([0-9]{2})\s*[-–~至]\s*"
                         r"([0-9]{1,2}):([0-9]{2})\s*", unicodedata.normalize("NFKC", raw))
    if not match or inert(match[1]) != match[1] or int(match[2]) > 23 \
            or int(match[4]) > 23 or int(match[3]) > 59 or int(match[5]) > 59:
        raise fail(field_name, "settings.bad_shift", given=raw)
    starts, ends = f"{int(match[2]):02d}:{match[3]}", f"{int(match[4]):02d}:{match[5]}"
    return match[1], starts, ends, ends <= starts


WEEKDAYS_WORDS = ("周一至周五", "周一到周五", "住村")


def _nights_rule(raw: str, station: Station) -> dict:
    """The nights field: a number of nights a month, or "周一至周五" (lodge Monday to
    Friday, models.duty.nights.required_nights)."""
    if unicodedata.normalize("NFKC", raw).strip() in WEEKDAYS_WORDS:
        return {"nights_rule": "weekdays", "nights_required": station.nights_required}
    return {"nights_rule": "count",
            "nights_required": _whole("nights_required", raw,
                                      t("settings.nights_required"), 0, 31)}


def nights_field(station: Station) -> str:
    """The nights field as the form shows it."""
    return WEEKDAYS_WORDS[0] if station.nights_rule == "weekdays" \
        else str(station.nights_required)


@writes
def update_settings(station_id: int, expected_version: int, form: SettingsForm,
                    actor: Session) -> Station:
    require_head(actor)
    require_station(actor, station_id)
    station, templates = settings_of(station_id)
    values = {
        "name": free_station_name(form.station_name, station_id),
        "township": form.township.strip()[:60],
        "callback_days": _whole("callback_days", form.callback_days,
                                t("settings.callback_days"), 1, 30),
        **_nights_rule(form.nights_required, station),
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


MAX_TEMPLATES = 3


@writes
def add_shift_template(station_id: int, line: str, actor: Session) -> ShiftTemplate:
    """A new shift of the day, e.g. "值班 08:00-08:00", after the others."""
    require_head(actor)
    require_station(actor, station_id)
    name, starts, ends, night = _parse_shift("shift", line)
    templates = templates_of(station_id)
    if len(templates) >= MAX_TEMPLATES:
        raise fail("shift", "settings.too_many_shifts", most=MAX_TEMPLATES)
    if any(tp.name == name for tp in templates):
        raise fail("shift", "settings.shift_name_taken", name=name)
    last = ShiftTemplate.select(fn.MAX(ShiftTemplate.position)).where(
        ShiftTemplate.station == station_id).scalar()
    template = ShiftTemplate.create(station=station_id, name=name, starts=starts, ends=ends,
                                    night=night, position=(last or 0) + 1)
    history.record("shift_template", template.id, "create", actor,
                   after=shift_line(template))
    return template


def _template(template_id: int, actor: Session) -> ShiftTemplate:
    template = ShiftTemplate.get_or_none(ShiftTemplate.id == template_id)
    if template is None or template.retired:
        raise fail("shift", "settings.no_shift")
    require_station(actor, template.station_id)
    return template


def _still_to_come(template_id: int, at: dt.datetime):
    """The template's shifts that have not started and nobody checked in to."""
    return Shift.select(Shift.id).where((Shift.template == template_id)
                                        & (Shift.starts_at > at)
                                        & Shift.checked_in_at.is_null())


def shifts_to_drop(template_id: int, at: dt.datetime | None = None, *, station_id: int
                   ) -> int:
    """How many shifts removing the template would drop (asked before removing)."""
    return _still_to_come(template_id, at or _now()).where(Shift.station == station_id).count()


@writes
def remove_shift_template(template_id: int, actor: Session,
                          at: dt.datetime | None = None) -> int:
    """Remove a shift of the day: its shifts still to come go (returns how many);
    worked and past ones stay with it, the template then retired."""
    require_head(actor)
    template = _template(template_id, actor)
    if len(templates_of(template.station_id)) <= 1:
        raise fail("shift", "settings.last_shift")
    dropped = Shift.delete().where(
        Shift.id.in_(_still_to_come(template_id, at or _now()))).execute()
    kept = Shift.select().where(Shift.template == template_id).count()
    if kept:
        ShiftTemplate.update(retired=True).where(ShiftTemplate.id == template_id).execute()
    else:
        ShiftTemplate.delete().where(ShiftTemplate.id == template_id).execute()
    history.record("shift_template", template_id, "retire" if kept else "delete", actor,
                   before=shift_line(template), dropped=dropped, kept=kept)
    return dropped
