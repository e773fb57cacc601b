"""Setting up a station on first run: its name, villager groups, first cadre, shifts."""
from __future__ import annotations

from dataclasses import dataclass, field

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Station, VillagerGroup
from models.core.i18n import t
from models.core.session import session_for
from models.core.validation import fail, normalize_mobile, require_text
from models.duty.entities import ShiftTemplate
from models.errands.catalogue import install_standard_catalogue

CHINESE_NUMERALS = "零一二三四五六七八九十"
MAX_GROUPS = 40


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
    """Whether the database has been set up at all (any station will do for that);
    never the station a cadre works at: that is `models.station.team.desk_station`."""
    return Station.select().order_by(Station.id).first()


def free_station_name(value: str, station_id: int | None = None) -> str:
    """A station's name, no other station's on this server: the township's list,
    its report and `kiosk public --station` tell stations apart by it."""
    name = require_text("station_name", value, t("setup.station_name"), 60)
    if Station.select().where(Station.name == name, Station.id != (station_id or 0)).exists():
        raise fail("station_name", "setup.station_taken", name=name)
    return name


@writes
def set_up_first_station(form: SetupForm) -> tuple[Station, Cadre]:
    """First run at the desk: refused once the database holds any station (a second
    desk set up meanwhile, or a township server, whose stations are added with
    `kiosk township add-station`)."""
    if Station.select().exists():
        raise fail("station_name", "setup.has_stations")
    return set_up_station(form)


@writes
def set_up_station(form: SetupForm) -> tuple[Station, Cadre]:
    """Create a station, its villager groups, its head and the catalogue: at first
    run, or on a township server (`kiosk township add-station`).

    A write without a signed-in actor: nobody can sign in before it. What it
    writes is in the name of the head it creates."""
    name = free_station_name(form.station_name)
    try:
        groups = int(form.group_count)
    except ValueError:
        raise fail("group_count", "setup.bad_group_count") from None
    if not 1 <= groups <= MAX_GROUPS:
        raise fail("group_count", "setup.bad_group_count")
    admin_name = require_text("admin_name", form.admin_name, t("setup.admin_name"), 40)
    phone = normalize_mobile(form.admin_phone) if form.admin_phone.strip() else ""
    station = Station.create(name=name, township=form.township.strip()[:60])
    VillagerGroup.insert_many([dict(station=station, number=n, name=group_name(n))
                               for n in range(1, groups + 1)]).execute()
    admin = Cadre.create(station=station, name=admin_name, phone=phone, role="admin",
                         login=form.admin_login or None)
    install_default_shifts(station)
    actor = session_for(station, admin, admin.login or "")
    history.record("station", station.id, "create", actor, name=name, groups=groups)
    install_standard_catalogue(station.id, actor)
    return station, admin


def install_default_shifts(station) -> None:
    ShiftTemplate.insert_many([dict(station=station, name=shift, starts=starts, ends=ends,
                                    night=night, position=position)
                               for position, (shift, starts, ends, night)
                               in enumerate(DEFAULT_SHIFTS)]).execute()
