"""Statutory holidays and adjusted working days (调休) of mainland China.

The official schedule comes from the `chinesecalendar` package, which knows each
year once the State Council has published it (around November of the year
before). For a year it does not know, we never guess silently: the fixed-date
holidays of the law are used, the year is reported as unofficial, and the
station head can enter the published days (CalendarDay rows), which then count
as official and override the library either way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from models.core import history
from models.core.db import writes
from models.core.guard import require_head
from models.core.i18n import t
from models.core.session import Session
from models.core.text import inert
from models.core.validation import fail
from models.duty.entities import CalendarDay

# The holidays the law fixes by calendar date; 春节, 清明, 端午 and 中秋 follow the
# lunar calendar and each year's notice, so they are not guessed.
FIXED_DATE_HOLIDAYS = ((1, 1, "元旦"), (5, 1, "劳动节"), (10, 1, "国庆节"),
                       (10, 2, "国庆节"), (10, 3, "国庆节"))


# chinesecalendar names its holidays in English
LIBRARY_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节",
                 "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
                 "Dragon Boat Festival": "端午节", "National Day": "国庆节",
                 "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日"}


@dataclass(frozen=True)
class YearCalendar:
    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]  # weekend days that are working days (调休)
    official: bool  # False: no published schedule known; fixed dates only
    names: dict[dt.date, str]


@lru_cache(maxsize=None)
def _library_year(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]] | None:
    from chinese_calendar import constants  # a data table; loaded on first use
    if not any(day.year == year for day in constants.holidays):
        return None
    holidays = {day: LIBRARY_NAMES.get(name, name)
                for day, name in constants.holidays.items() if day.year == year}
    workdays = frozenset(day for day in constants.workdays if day.year == year)
    return holidays, workdays


def year_calendar(year: int) -> YearCalendar:
    library = _library_year(year)
    if library is not None:
        names, workdays = dict(library[0]), set(library[1])
    else:
        names = {dt.date(year, month, day): name for month, day, name in FIXED_DATE_HOLIDAYS}
        workdays = set()
    entered = list(CalendarDay.select().where(
        (CalendarDay.day >= dt.date(year, 1, 1)) & (CalendarDay.day <= dt.date(year, 12, 31))))
    for row in entered:  # the station head's word wins
        if row.kind == "holiday":
            names[row.day] = row.name
            workdays.discard(row.day)
        else:
            names.pop(row.day, None)
            workdays.add(row.day)
    return YearCalendar(year, frozenset(names), frozenset(workdays),
                        official=library is not None or bool(entered), names=names)


def day_sets(years) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Holidays and adjusted working days over some years, for models.duty.calendar."""
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for year in sorted(set(years)):
        calendar = year_calendar(year)
        holidays |= calendar.holidays
        workdays |= calendar.workdays
    return frozenset(holidays), frozenset(workdays)


def calendar_around(*days: dt.date) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """day_sets for the years of these days and the next one (a time limit may run
    into the new year)."""
    years = {day.year for day in days}
    return day_sets(years | {max(years) + 1})


def unofficial_years(first: dt.date, last: dt.date) -> list[int]:
    """Years in the span with no published schedule known: the UI says so."""
    return [year for year in range(first.year, last.year + 1)
            if not year_calendar(year).official]


NAME_LENGTH = CalendarDay.name.max_length


@writes
def set_calendar_day(day: dt.date, kind: str, name: str, actor: Session) -> CalendarDay:
    """The station head enters (or changes) one day of a published schedule, or a
    local day off. Calendar days are the database's, not one station's: on a
    township server every station's head shares them."""
    require_head(actor)
    if kind not in ("holiday", "workday"):
        raise ValueError(kind)
    name = inert(name)
    if len(name) > NAME_LENGTH:
        raise fail("name", "invalid.text_too_long", label=t("calendar.name"),
                   max_len=NAME_LENGTH, given=len(name))
    row = CalendarDay.get_or_none(CalendarDay.day == day)
    if row is None:
        row = CalendarDay.create(day=day, kind=kind, name=name)
    else:
        row.kind, row.name = kind, name
        row.save()
    history.record("calendar", row.id, "set", actor, day=day, kind=kind, name=name)
    return row


@writes
def clear_calendar_day(day: dt.date, actor: Session) -> None:
    """Take back a day the station head entered (the library's word stands again)."""
    require_head(actor)
    row = CalendarDay.get_or_none(CalendarDay.day == day)
    if row is not None:
        row.delete_instance()
        history.record("calendar", row.id, "clear", actor, day=day)


@dataclass
class CalendarLine:
    day: dt.date
    kind: str  # "holiday" | "workday"
    name: str
    entered: bool  # by the station head (else from the published schedule / the law)


def calendar_lines(year: int) -> tuple[YearCalendar, list[CalendarLine]]:
    """The year's days off and 调休 working days, for the calendar screen."""
    calendar = year_calendar(year)
    entered = {row.day for row in CalendarDay.select(CalendarDay.day).where(
        (CalendarDay.day >= dt.date(year, 1, 1)) & (CalendarDay.day <= dt.date(year, 12, 31)))}
    lines = [CalendarLine(day, "holiday", calendar.names.get(day, ""), day in entered)
             for day in calendar.holidays]
    lines += [CalendarLine(day, "workday", "", day in entered) for day in calendar.workdays]
    return calendar, sorted(lines, key=lambda line: line.day)


def parse_calendar_entry(raw: str, year: int) -> tuple[dt.date, str, str]:
    """"2027-02-06 休 春节", "02-20 班" -> (day, kind, name)."""
    parts = raw.split()
    try:
        pieces = [int(p) for p in parts[0].replace("/", "-").split("-")]
        day = dt.date(*(pieces if len(pieces) == 3 else [year, *pieces]))
        kind = {"休": "holiday", "班": "workday"}[parts[1]]
    except (IndexError, KeyError, TypeError, ValueError, OverflowError):
        raise fail("day", "calendar.bad_entry", given=raw) from None
    return day, kind, " ".join(parts[2:])
