"""The station itself: first-run setup, its villager groups and cadres."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import history
from .catalogue import install_standard_catalogue
from .db import writes
from .i18n import t
from .entities import Cadre, ShiftTemplate, Station, VillagerGroup
from .validation import ValidationError, normalize_mobile, require_text

CHINESE_NUMERALS = "零一二三四五六七八九十"
# (name, starts, ends, counts as a night): 24 hours in two shifts, as most stations run
DEFAULT_SHIFTS = (("日班", "08:00", "20:00", False), ("夜班", "20:00", "08:00", True))


def group_name(number: int) -> str:
    """1 -> 第一村民小组, 12 -> 第十二村民小组."""
    if number <= 10:
        numeral = CHINESE_NUMERALS[number]
    elif number < 20:
        numeral = "十" + CHINESE_NUMERALS[number - 10]
    else:
        tens, ones = divmod(number, 10)
        numeral = CHINESE_NUMERALS[tens] + "十" + (CHINESE_NUMERALS[ones] if ones else "")
    return f"第{numeral}村民小组"


@dataclass
class SetupForm:
    station_name: str
    township: str = ""
    group_count: str = "8"
    admin_name: str = ""
    admin_phone: str = ""
    admin_login: str = ""
    groups: list[str] = field(default_factory=list)


def first_station() -> Station | None:
    return Station.select().order_by(Station.id).first()


@writes
def set_up_station(form: SetupForm) -> tuple[Station, Cadre]:
    """Create the station, its villager groups, the first admin and the catalogue."""
    name = require_text("station_name", form.station_name, t("setup.station_name"), 60)
    try:
        groups = int(form.group_count)
    except ValueError:
        raise ValidationError("group_count", t("setup.bad_group_count")) from None
    if not 1 <= groups <= 40:
        raise ValidationError("group_count", t("setup.bad_group_count"))
    admin_name = require_text("admin_name", form.admin_name, t("setup.admin_name"), 40)
    phone = normalize_mobile(form.admin_phone) if form.admin_phone.strip() else ""
    station = Station.create(name=name, township=form.township.strip()[:60])
    VillagerGroup.insert_many([dict(station=station, number=n, name=group_name(n))
                               for n in range(1, groups + 1)]).execute()
    admin = Cadre.create(station=station, name=admin_name, phone=phone, role="admin",
                         login=form.admin_login or None)
    install_default_shifts(station)
    history.record("station", station.id, "create", admin, name=name, groups=groups)
    install_standard_catalogue(station, admin)
    return station, admin


def install_default_shifts(station) -> None:
    ShiftTemplate.insert_many([dict(station=station, name=shift, starts=starts, ends=ends,
                                    night=night, position=position)
                               for position, (shift, starts, ends, night)
                               in enumerate(DEFAULT_SHIFTS)]).execute()


def cadre_for_login(login: str) -> Cadre | None:
    return Cadre.get_or_none((Cadre.login == login) & Cadre.active)


def active_cadres(station_id: int) -> list[Cadre]:
    return list(Cadre.select().where((Cadre.station == station_id) & Cadre.active)
                .order_by(Cadre.id))


def groups_of(station_id: int) -> list[VillagerGroup]:
    return list(VillagerGroup.select().where(VillagerGroup.station == station_id)
                .order_by(VillagerGroup.number))


@dataclass
class SettingsForm:
    """What the station head can change: names, the callback and nights rules, and
    the shifts of the day as "日班 08:00-20:00" lines (one per template id)."""
    station_name: str
    township: str
    callback_days: str
    nights_required: str
    shifts: dict[int, str] = field(default_factory=dict)


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
        raise ValidationError(field_name, t("settings.bad_number", label=label, low=low,
                                            high=high))
    return value


def _parse_shift(field_name: str, raw: str) -> tuple[str, str, str, bool]:
    """"日班 08:00-20:00" -> (name, "08:00", "20:00", night). A shift that runs past
    midnight counts as a night in the village."""
    match = re.fullmatch(r"\s*(\S{1,20})\s+(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*",
                         raw)
    if not match or int(match[2]) > 23 or int(match[4]) > 23 or int(match[3]) > 59 \
            or int(match[5]) > 59:
        raise ValidationError(field_name, t("settings.bad_shift", given=raw))
    starts, ends = f"{int(match[2]):02d}:{match[3]}", f"{int(match[4]):02d}:{match[5]}"
    return match[1], starts, ends, ends <= starts


@writes
def update_settings(station_id: int, expected_version: int, form: SettingsForm,
                    actor) -> Station:
    station, templates = settings_of(station_id)
    values = {
        "name": require_text("station_name", form.station_name, t("setup.station_name"), 60),
        "township": form.township.strip()[:60],
        "callback_days": _whole("callback_days", form.callback_days,
                                t("settings.callback_days"), 1, 30),
        "nights_required": _whole("nights_required", form.nights_required,
                                  t("settings.nights_required"), 0, 31),
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
