"""Working days, for promised due dates (承诺时限 counts working days).

Weekends are skipped; statutory holidays and adjusted working days (调休) arrive
with the duty-roster work and plug in through `holidays` / `workdays`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Container

from models.core.i18n import t


def weekday_name(day: dt.date) -> str:
    """一 … 日, as the desk writes the day of the week after 周 or 星期."""
    return t(f"weekday.{day.weekday()}")


def is_working_day(day: dt.date, holidays: Container[dt.date] = (),
                   workdays: Container[dt.date] = ()) -> bool:
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: Container[dt.date] = (),
                     workdays: Container[dt.date] = ()) -> dt.date:
    """The date `days` working days after `start` (the intake day itself not counted).

    A limit of 0 means "the same day" (马上办 at the desk).
    """
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays, workdays):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: Container[dt.date] = (),
                         workdays: Container[dt.date] = ()) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day, holidays, workdays)
    return count
