"""When shifts run: a template's hours on a day, a month's days, the hours a
month's shifts cover."""
from __future__ import annotations

import datetime as dt
from calendar import monthrange

from models.core.entities import now as _now
from models.duty.entities import Shift, ShiftTemplate


def _clock(text: str) -> dt.time:
    hour, _, minute = text.strip().partition(":")
    return dt.time(int(hour) % 24, int(minute or 0))


def shift_window(template, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When the template's shift on `day` starts and ends; an end at or before the
    start is on the next day (夜班 20:00–08:00; 值班 08:00–08:00 runs 24 hours)."""
    starts = dt.datetime.combine(day, _clock(template.starts))
    ends = dt.datetime.combine(day, _clock(template.ends))
    if ends <= starts:
        ends += dt.timedelta(days=1)
    return starts, ends


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, monthrange(year, month)[1] + 1)]


def next_month(year: int, month: int, step: int = 1) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The month's first day and the first day after it."""
    return dt.date(year, month, 1), dt.date(*next_month(year, month), 1)


def month_span(templates, year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The hours the month's own shifts are meant to cover: from the first shift of
    the 1st to the end of the last one of the last day (with the usual templates
    08:00 on the 1st to 08:00 on the 1st of the next month — the small hours of the
    1st belong to the previous month's last night shift)."""
    days = month_days(year, month)
    if not templates:
        return (dt.datetime.combine(days[0], dt.time()),
                dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time()))
    return (min(shift_window(tp, days[0])[0] for tp in templates),
            max(shift_window(tp, days[-1])[1] for tp in templates))


def _in_order(rows) -> list[ShiftTemplate]:
    return sorted(rows, key=lambda r: (r.position, _clock(r.starts), r.id))


def templates_of(station_id: int) -> list[ShiftTemplate]:
    """The station's shift templates in use, in the order of the day."""
    return _in_order(ShiftTemplate.select().where((ShiftTemplate.station == station_id)
                                                  & ~ShiftTemplate.retired))


def month_templates(station_id: int, first: dt.date, last: dt.date) -> list[ShiftTemplate]:
    """The templates in use and the retired ones with shifts in [first, last]: the
    columns of those days' roster."""
    used = Shift.select(Shift.template).where((Shift.station == station_id)
                                              & (Shift.day >= first) & (Shift.day <= last))
    return _in_order(ShiftTemplate.select().where(
        (ShiftTemplate.station == station_id)
        & (~ShiftTemplate.retired | ShiftTemplate.id.in_(used))))


def when(now: dt.datetime | None) -> dt.datetime:
    """`now`, or the clock's now when not given (tests and a late check-out say when)."""
    return now or _now()
