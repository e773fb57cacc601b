"""Working days, for promised due dates (承诺时限 counts working days), and spans
of days as typed at the desk.

Weekends are skipped; statutory holidays and adjusted working days (调休) come
from models.duty.holidays through `holidays` / `workdays`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Container


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


def read_day_span(text: str, year: int) -> tuple[dt.date, dt.date, list[str]]:
    """"12-30至01-02 探亲" -> (first, last, the words after the dates).

    Dates as YYYY-MM-DD or MM-DD (in `year`; a second MM-DD before the first is in
    the year after, so a span runs over the new year), joined by 至, ~ or a space;
    one date alone is one day. ValueError when there is no date or one is wrong.
    """
    words = text.replace("～", " ").replace("~", " ").replace("至", " ").replace("/", "-") \
        .replace("－", "-").split()
    dates: list[dt.date] = []
    try:
        while words and len(dates) < 2 and words[0][:1].isdigit():
            pieces = [int(p) for p in words.pop(0).split("-")]
            if len(pieces) == 2:
                start = dates[0].year if dates else year
                if dates and dt.date(start, *pieces) < dates[0]:
                    start += 1
                pieces = [start, *pieces]
            dates.append(dt.date(*pieces))
    except (TypeError, ValueError, OverflowError):
        raise ValueError(text) from None
    if not dates:
        raise ValueError(text)
    return dates[0], dates[-1], words
