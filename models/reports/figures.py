"""A station's figures for a month or any span of days: errands by way of handling,
item and status, how long they took, on time or late, callbacks and satisfaction,
errands per cadre, check-ins and nights in the village.

Everything is counted by the database (GROUP BY). Where working days come in —
days to complete, the overdue trend — the database groups errands by their pair of
dates and Python reads the calendar once per distinct pair, never once per errand.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from peewee import fn

from models.core.entities import Cadre, Event
from models.core.figures import percent
from models.core.i18n import t
from models.core.scope import of_station
from models.core.validation import fail
from models.duty.calendar import read_day_span, working_days_between
from models.duty.holidays import calendar_around
from models.duty.hours import month_bounds, next_month
from models.duty.summary import CadreMonth, cadre_month_summary
from models.errands.entities import MODES, Errand, Satisfaction, ServiceItem, Status
from models.errands.queue import preset_filter, queue_count

DONE = (Status.DELIVERED, Status.CALLED_BACK)  # the villager has the result


@dataclass(frozen=True)
class Period:
    """The days from `first` up to, not including, `after`."""
    first: dt.date
    after: dt.date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(*month_bounds(year, month))

    @classmethod
    def days(cls, first: dt.date, last: dt.date) -> Period:
        return cls(first, last + dt.timedelta(days=1))

    @property
    def last(self) -> dt.date:
        return self.after - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time())

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.after, dt.time())

    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.after - self.first).days)]

    def months(self) -> list[tuple[int, int]]:
        """The calendar months the period touches."""
        months, ym = [], (self.first.year, self.first.month)
        while dt.date(*ym, 1) <= self.last:
            months.append(ym)
            ym = next_month(*ym)
        return months


def period_label(period: Period) -> str:
    """"2026年11月" for a whole month, else "2026-11-01 至 2026-11-15"."""
    if period == Period.month(period.first.year, period.first.month):
        return t("stats.month", year=period.first.year, month=period.first.month)
    return t("stats.span", first=period.first.isoformat(), last=period.last.isoformat())


LONGEST_SPAN = 366  # a year of days at most: figures are a month's or a season's


def read_period(text: str, today: dt.date) -> Period:
    """"2026-11-01 至 2026-11-15" (or "11-01至11-15": the latest such days) as a
    Period up to today at most; a span of words, over a year, or still to come is
    refused."""
    try:
        first, last, words = read_day_span(text, today.year)
        if first > today:  # "12-30至01-02" typed in January: the December gone
            first, last, words = read_day_span(text, today.year - 1)
    except ValueError:
        raise fail("period", "stats.period.unreadable", text=text) from None
    if words or last < first:
        raise fail("period", "stats.period.unreadable", text=text)
    if first > today:
        raise fail("period", "stats.period.future")
    if (last - first).days >= LONGEST_SPAN:
        raise fail("period", "stats.period.too_long", days=LONGEST_SPAN)
    return Period.days(first, min(last, today))


@dataclass
class Completion:
    """Errands finished in the period (the villager has the result)."""
    completed: int = 0
    on_time: int = 0  # finished on or before the due date
    late: int = 0
    median_days: int | None = None  # working days from intake to the result
    p90_days: int | None = None
    returned: int = 0  # ended in the period without a result
    cancelled: int = 0

    @property
    def overdue_rate(self) -> int | None:
        return percent(self.late, self.completed)


@dataclass
class Callbacks:
    """Errands called back in the period, by what the villager said."""
    made: int = 0  # errands with a callback attempt in the period
    satisfied: int = 0
    fairly: int = 0
    unsatisfied: int = 0

    @property
    def answered(self) -> int:
        return self.satisfied + self.fairly + self.unsatisfied

    @property
    def not_reached(self) -> int:
        return self.made - self.answered

    @property
    def satisfaction(self) -> int | None:
        """满意 and 基本满意 in percent of those who answered."""
        return percent(self.satisfied + self.fairly, self.answered)


@dataclass
class CadreErrands:
    cadre_id: int
    name: str
    registered: int = 0  # errands taken in the period, owned by the cadre now
    completed: int = 0
    on_time: int = 0
    late: int = 0
    working_days: int = 0  # the completed errands' working days from intake, summed

    @property
    def overdue_rate(self) -> int | None:
        return percent(self.late, self.completed)

    @property
    def mean_days(self) -> float | None:
        return self.working_days / self.completed if self.completed else None


@dataclass
class StationFigures:
    period: Period
    registered: int
    by_mode: dict[str, int]  # every way of handling, 0 where none
    by_status: dict[str, int]  # where the period's errands stand now
    by_item: list[tuple[str, int]]  # most first
    completion: Completion
    # open and past their due date at the end of the period (today: the queue's
    # overdue filter, paused errands left out)
    open_overdue: int
    callbacks: Callbacks
    cadres: list[CadreErrands]
    duty: list[CadreMonth]  # check-ins and nights, summed over the period's months
    daily_intake: list[int] = field(default_factory=list)  # one per day of the period
    # open and overdue each day of the period up to today
    daily_overdue: list[int] = field(default_factory=list)


def nearest_rank(counts: Counter, share: float) -> int | None:
    """The smallest value at or above `share` of the counted values (the nearest-rank
    percentile: the median of 1, 2, 3, 4 is 2)."""
    total = sum(counts.values())
    if not total:
        return None
    rank, seen = max(1, math.ceil(share * total)), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover - seen reaches total


def _day(value) -> dt.date:
    """A DATE() result or a date column: a date, a datetime or 'YYYY-MM-DD' text,
    by backend."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _grouped(query, *fields) -> list[tuple]:
    return list(query.select(*fields, fn.COUNT(Errand.id)).group_by(*fields).tuples())


def _station_errands(station_id: int | None):
    """The station's errands; None: every station's."""
    return Errand.select().where(of_station(Errand.station, station_id))


def _in(column, period: Period):
    return (column >= period.start) & (column < period.end)


def _completion(station_id: int | None, period: Period
                ) -> tuple[Completion, dict[int, list[int]]]:
    """The period's completion, and per owner [completed, on time, late, working
    days they took together]."""
    done = (_station_errands(station_id)
            .where(_in(Errand.delivered_at, period) & Errand.status.in_(DONE)))
    delivered_day = fn.DATE(Errand.delivered_at)
    pairs = _grouped(done, fn.DATE(Errand.created_at), delivered_day, Errand.due_date,
                     Errand.owner)
    completion, owners, days = Completion(), {}, Counter()
    calendar = calendar_around(period.first - dt.timedelta(days=366), period.last)
    took_between = {}  # (taken, finished) -> working days: a pair recurs for many owners
    for created, delivered, due, owner, count in pairs:
        delivered, late = _day(delivered), _day(delivered) > _day(due)
        pair = (_day(created), delivered)
        if pair not in took_between:
            took_between[pair] = working_days_between(*pair, *calendar)
        took = took_between[pair]
        days[took] += count
        completion.completed += count
        completion.late += count if late else 0
        mine = owners.setdefault(owner, [0, 0, 0, 0])
        mine[0] += count
        mine[2 if late else 1] += count
        mine[3] += took * count
    completion.on_time = completion.completed - completion.late
    completion.median_days = nearest_rank(days, 0.5)
    completion.p90_days = nearest_rank(days, 0.9)
    ended = dict(_grouped(_station_errands(station_id).where(
        _in(Errand.closed_at, period)
        & Errand.status.in_((Status.RETURNED, Status.CANCELLED))), Errand.status))
    completion.returned = ended.get(Status.RETURNED, 0)
    completion.cancelled = ended.get(Status.CANCELLED, 0)
    return completion, owners


def called_back_in(period: Period):
    """The errands with a callback attempt in the period (a subquery of ids): the
    station's figures and the township's side by side count the same ones."""
    return (Event.select(Event.entity_id)
            .where((Event.entity == "errand") & (Event.action == "callback")
                   & _in(Event.at, period)))


def _callbacks(station_id: int, period: Period) -> Callbacks:
    called = called_back_in(period)
    said = dict(_grouped(_station_errands(station_id).where(Errand.id.in_(called)),
                         Errand.satisfaction))
    return Callbacks(made=sum(said.values()),
                     satisfied=said.get(Satisfaction.SATISFIED, 0),
                     fairly=said.get(Satisfaction.FAIRLY, 0),
                     unsatisfied=said.get(Satisfaction.UNSATISFIED, 0))


def _daily_overdue(station_id: int, days: list[dt.date], now: dt.datetime) -> list[int]:
    """For each day, the errands open that day whose due date had passed: grouped by
    (due date, day closed), swept over the days. Past pauses are not kept, so an
    errand that waited on the villager counts as it stands now."""
    if not days:
        return []
    period = Period.days(days[0], days[-1])
    due = _station_errands(station_id).where((Errand.due_date < period.last)
                                             & (Errand.created_at < period.end))
    # open now, and closed from the period's start up to now: two ranges of the
    # (station, closed_at) index, where one OR reads every errand due before its end
    spans = [*_grouped(due.where(Errand.closed_at.is_null()), Errand.due_date,
                       fn.DATE(Errand.closed_at)),
             *_grouped(due.where(Errand.closed_at.between(period.start, now)),
                       Errand.due_date, fn.DATE(Errand.closed_at))]
    return [sum(count for due, closed, count in spans
                if _day(due) < day and (closed is None or _day(closed) > day))
            for day in days]


def duty_by_cadre(station_id: int | None, period: Period, now: dt.datetime | None
                  ) -> list[CadreMonth]:
    """Each cadre's months of the period added up (shifts, check-ins, nights and the
    nights the rule asked); None: the cadres of every station."""
    rows: dict[int, CadreMonth] = {}
    for year, month in period.months():
        for row in cadre_month_summary(station_id, year, month, now):
            total = rows.setdefault(row.cadre_id, CadreMonth(
                row.cadre_id, row.name, 0, 0, 0, 0, 0, 0, 0, row.stays_in_village))
            for name in ("shifts", "nights", "on_time", "late", "missed",
                         "errands_handled", "required"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
    return list(rows.values())


def _by_cadre(station_id: int | None, taken, owners: dict[int, list[int]]
              ) -> list[CadreErrands]:
    """Each cadre with errands `taken` in the period, or completed in it (`owners`,
    from _completion), in station order."""
    registered_by = dict(_grouped(taken, Errand.owner))
    cadres = []
    for cadre in (Cadre.select(Cadre.id, Cadre.name)
                  .where(of_station(Cadre.station, station_id))
                  .order_by(Cadre.station, Cadre.id)):
        done = owners.get(cadre.id, [0, 0, 0, 0])
        if cadre.id in registered_by or cadre.id in owners:
            cadres.append(CadreErrands(cadre.id, cadre.name, registered_by.get(cadre.id, 0),
                                       *done))
    return cadres


def errands_by_cadre(station_id: int | None, period: Period) -> list[CadreErrands]:
    """Per cadre, the errands registered, completed, on time and late in the period;
    None: the cadres of every station, counted across all of them at once."""
    taken = _station_errands(station_id).where(_in(Errand.created_at, period))
    return _by_cadre(station_id, taken, _completion(station_id, period)[1])


def station_figures(station_id: int, period: Period,
                    now: dt.datetime | None = None) -> StationFigures:
    taken = _station_errands(station_id).where(_in(Errand.created_at, period))
    by_mode = dict.fromkeys(MODES, 0) | dict(_grouped(taken, Errand.mode))
    by_status = dict(_grouped(taken, Errand.status))
    by_item = [(name, count) for name, count in
               (taken.join(ServiceItem).select(ServiceItem.name, fn.COUNT(Errand.id))
                .group_by(ServiceItem.name).order_by(fn.COUNT(Errand.id).desc(),
                                                     ServiceItem.name).tuples())]
    completion, owners = _completion(station_id, period)
    now = now or dt.datetime.now()
    today = now.date()
    daily_overdue = _daily_overdue(station_id, [d for d in period.dates() if d <= today], now)
    if period.first <= today <= period.last:
        open_overdue = queue_count(preset_filter("overdue", station_id, None), today)
    else:
        open_overdue = daily_overdue[-1] if daily_overdue else 0
    daily = dict(_grouped(taken, fn.DATE(Errand.created_at)))
    daily = {_day(day): count for day, count in daily.items()}
    return StationFigures(
        period=period,
        registered=sum(by_mode.values()),
        by_mode=by_mode,
        by_status=by_status,
        by_item=by_item,
        completion=completion,
        open_overdue=open_overdue,
        callbacks=_callbacks(station_id, period),
        cadres=_by_cadre(station_id, taken, owners),
        duty=duty_by_cadre(station_id, period, now),
        daily_intake=[daily.get(day, 0) for day in period.dates()],
        daily_overdue=daily_overdue,
    )

