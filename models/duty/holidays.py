"""Statutory holidays and adjusted working days (调休) of mainland China.

The official schedule comes from the `chinesecalendar` package, which knows each
year once the State Council has published it (around November of the year
before). For a year it does not know, we never guess silently: the holidays the
law gives are computed — the fixed dates, 春节, 端午 and 中秋 from the lunar
calendar (`lunardate`), 清明 from the solar terms — and the year is reported as
not yet published, 调休 unknown, until the station head has entered the notice
(CalendarDay rows, which override the library and the law either way) and marked
the year published (PublishedYear). Due dates of open errands follow every change.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from models.core import history
from models.core.db import writes
from models.core.guard import require_head
from models.core.i18n import t
from models.core.session import Session
from models.core.text import inert
from models.core.validation import fail
from models.duty.calendar import read_day_span
from models.duty.entities import CalendarDay, PublishedYear
from models.errands.due_dates import follow_calendar, spans_touching

# The holidays of the national rules (全国年节及纪念日放假办法) as revised from
# 2025-01-01, 13 days: 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1,
# 国庆 3. By calendar date:
FIXED_DATE_HOLIDAYS = ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"),
                       (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节"))
# By the lunar calendar: (month, day, name, the days off from it: 除夕 is the day before)
LUNAR_HOLIDAYS = ((1, 1, "春节", (-1, 0, 1, 2)), (5, 5, "端午节", (0,)),
                  (8, 15, "中秋节", (0,)))
QINGMING = "清明节"  # the day of the solar term 清明
# what the lunar and solar-term tables cover
CALENDAR_YEARS = range(1901, 2100)
# one entry at a time: the longest holiday of a notice is 8 or 9 days
MAX_SPAN_DAYS = 31


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
    official: bool  # False: not published yet: the holidays of the law, 调休 unknown
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


@lru_cache(maxsize=None)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The days off the law gives in `year`, without any 调休 (a day two festivals
    share, as 中秋 and 国庆 in 2028, is named after both)."""
    from chinese_calendar import get_solar_terms  # loaded on first use
    from lunardate import LunarDate
    names: dict[dt.date, str] = {}

    def off(day: dt.date, name: str) -> None:
        names[day] = "、".join(dict.fromkeys(filter(None, (names.get(day), name))))

    for month, day, name in FIXED_DATE_HOLIDAYS:
        off(dt.date(year, month, day), name)
    for month, day, name, offsets in LUNAR_HOLIDAYS:
        festival = LunarDate(year, month, day).to_solar_date()
        for offset in offsets:
            off(festival + dt.timedelta(days=offset), name)
    for day, term in get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30)):
        if term == "清明":
            off(day, QINGMING)
    return names


def unofficial_among(years: Iterable[int]) -> set[int]:
    """The years with no published schedule: unknown to the library and not marked
    published by the station head."""
    unknown = {year for year in years if _library_year(year) is None}
    if unknown:
        unknown -= set(PublishedYear.select(PublishedYear.year)
                       .where(PublishedYear.year.in_(sorted(unknown))).scalars())
    return unknown


def year_calendar(year: int) -> YearCalendar:
    library = _library_year(year)
    if library is not None:
        names, workdays = dict(library[0]), set(library[1])
    else:
        names, workdays = dict(statutory_holidays(year)), set()
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
                        official=not unofficial_among([year]), names=names)


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
    return sorted(unofficial_among(range(first.year, last.year + 1)))


def unofficial_note(years: list[int]) -> str:
    """Said next to a due date whose span runs into years without a published
    holiday schedule: those days were counted without their 调休."""
    if not years:
        return ""
    return "  " + t("calendar.unofficial", years="、".join(map(str, years)))


NAME_LENGTH = CalendarDay.name.max_length
KINDS = ("holiday", "workday")


@contextmanager
def _due_dates_follow(first: dt.date, last: dt.date, actor: Session) -> Iterator[None]:
    """Around a change of the days [first, last]: the open errands whose span holds
    one of them get their due dates again, by the calendar before and after."""
    spans = spans_touching(first, last)
    years = {day.year for span in spans for day in span}
    years = set(range(min(years), max(years) + 2)) if years else set()
    before = day_sets(years)
    yield
    follow_calendar(spans, before, day_sets(years), actor)


@writes
def set_calendar_days(first: dt.date, last: dt.date, kind: str, name: str,
                      actor: Session) -> list[CalendarDay]:
    """The station head enters (or changes) days of a published schedule, or local
    days off: every day from `first` to `last` as `kind` ("holiday" | "workday").
    Calendar days are the database's, not one station's: on a township server every
    station's head shares them. Open errands' due dates follow."""
    require_head(actor)
    if kind not in KINDS:
        raise ValueError(kind)
    name = inert(name)
    if len(name) > NAME_LENGTH:
        raise fail("name", "invalid.text_too_long", label=t("calendar.name"),
                   max_len=NAME_LENGTH, given=len(name))
    if last < first:
        raise fail("day", "calendar.span_order")
    if (last - first).days >= MAX_SPAN_DAYS:
        raise fail("day", "calendar.span_too_long", days=MAX_SPAN_DAYS)
    if first.year not in CALENDAR_YEARS or last.year not in CALENDAR_YEARS:
        raise fail("day", "calendar.year_out_of_range", first=CALENDAR_YEARS[0],
                   last=CALENDAR_YEARS[-1])
    rows = []
    with _due_dates_follow(first, last, actor):
        for offset in range((last - first).days + 1):
            day = first + dt.timedelta(days=offset)
            row = CalendarDay.get_or_none(CalendarDay.day == day)
            if row is None:
                row = CalendarDay.create(day=day, kind=kind, name=name)
            else:
                row.kind, row.name = kind, name
                row.save()
            history.record("calendar", row.id, "set", actor, day=day, kind=kind, name=name)
            rows.append(row)
    return rows


@writes
def clear_calendar_day(day: dt.date, actor: Session) -> None:
    """Take back a day the station head entered (the library's or the law's word
    stands again). Open errands' due dates follow."""
    require_head(actor)
    row = CalendarDay.get_or_none(CalendarDay.day == day)
    if row is not None:
        with _due_dates_follow(day, day, actor):
            row.delete_instance()
        history.record("calendar", row.id, "clear", actor, day=day)


@writes
def set_year_published(year: int, published: bool, actor: Session) -> None:
    """The station head marks a year's schedule as published (all of the notice
    entered), or takes the mark back. Years the library knows are published."""
    require_head(actor)
    if _library_year(year) is not None:
        raise fail("year", "calendar.published_by_library", year=year)
    row = PublishedYear.get_or_none(PublishedYear.year == year)
    if published == (row is not None):
        return
    if published:
        PublishedYear.create(year=year)
    else:
        row.delete_instance()
    history.record("calendar", year, "publish" if published else "unpublish", actor,
                   year=year)


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


KIND_WORDS = {"休": "holiday", "放假": "holiday", "班": "workday", "上班": "workday"}


def parse_calendar_entry(raw: str, year: int) -> tuple[dt.date, dt.date, str, str]:
    """"2027-01-31 至 2027-02-08 春节", "2027-02-06 休 春节", "02-20 班" ->
    (first, last, kind, name). A name without 休 or 班 is a day off."""
    try:
        first, last, words = read_day_span(raw, year)
    except ValueError:
        raise fail("day", "calendar.bad_entry", given=raw) from None
    if words and words[0] in KIND_WORDS:
        return first, last, KIND_WORDS[words[0]], " ".join(words[1:])
    if not words:
        raise fail("day", "calendar.bad_entry", given=raw)
    return first, last, "holiday", " ".join(words)
