"""What the hall's public screen says on its home: the station, who is on duty now
and the desk's phone, the opening hours, today's date and the lunar one."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.core.entities import Station
from models.core.i18n import t, weekday
from models.core.validation import fail
from models.duty.checkin import duty_now


@dataclass(frozen=True)
class HallFacts:
    station_name: str
    on_duty: str  # the cadre on the shift now, "" when nobody is
    duty_phone: str
    opening_hours: str
    today: str  # 2026年12月5日 星期六
    lunar: str  # 农历十月廿六, "" where the lunar table ends


def hall_station(name: str | None = None) -> Station:
    """The station whose hall the screen stands in: the one named, or the only one
    (a township server holds several: the screen must be told which)."""
    stations = list(Station.select(Station.id, Station.name).order_by(Station.id))
    if name is not None:
        chosen = [station for station in stations if station.name == name.strip()]
    else:
        chosen = stations if len(stations) == 1 else []
    if chosen:
        return chosen[0]
    if not stations:
        raise fail("station", "public.no_station")
    raise fail("station", "public.which_station",
               names="、".join(station.name for station in stations[:10]))


def lunar_day(day: dt.date) -> str:
    """The lunar date of `day` in words (lunardate converts it cheaply)."""
    from lunardate import LunarDate
    try:
        lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    except ValueError:  # outside the years its table covers
        return ""
    months, days = t("lunar.months").split(","), t("lunar.days").split(",")
    return t("lunar.date", leap=t("lunar.leap") if lunar.is_leap_month else "",
             month=months[lunar.month - 1], day=days[lunar.day - 1])


def hall_facts(station_id: int, now: dt.datetime | None = None) -> HallFacts:
    now = now or dt.datetime.now()
    station = Station.get_by_id(station_id)
    return HallFacts(station.name, duty_now(station_id, now).current_name,
                     station.duty_phone, station.opening_hours,
                     t("public.today", year=now.year, month=now.month, day=now.day,
                       weekday=weekday(now.date())),
                     lunar_day(now.date()))
