"""A station's month in figures, against values worked out by hand on a small month
of errands (November 2026: the 1st a Sunday, no holidays)."""
import datetime as dt
from collections import Counter

import pytest

from models.core.entities import Event
from models.errands.entities import Errand, ServiceItem
from models.reports.figures import Period, nearest_rank, station_figures

NOV = Period.month(2026, 11)
NOW = dt.datetime(2026, 12, 2, 10, 0)


def at(month, day, hour=9):
    return dt.datetime(2026, month, day, hour)


@pytest.fixture
def month(station, admin, hua, zhang):
    certificate = ServiceItem.get(ServiceItem.name == "村委会证明开具")
    other = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    made = {}

    def errand(key, mode, created, due, status, owner, item=other, delivered=None,
               closed=None, satisfaction=""):
        made[key] = Errand.create(
            number=f"2026-{len(made) + 1:06d}", station=station, resident=zhang, item=item,
            mode=mode, status=status, owner=owner, created_at=created, due_date=due,
            delivered_at=delivered, closed_at=closed or delivered, satisfaction=satisfaction)

    errand("e1", "on_the_spot", at(11, 2), dt.date(2026, 11, 2), "called_back", admin,
           certificate, delivered=at(11, 2, 10), satisfaction="满意")
    errand("e2", "carried", at(11, 2), dt.date(2026, 11, 6), "delivered", hua,
           delivered=at(11, 9))  # 5 working days, 3 late
    errand("e3", "carried", at(11, 10), dt.date(2026, 11, 24), "called_back", hua,
           delivered=at(11, 13), satisfaction="基本满意")  # 3 working days
    errand("e4", "accompanied", at(11, 20), dt.date(2026, 11, 25), "in_progress", admin)
    errand("e5", "mobile", at(11, 5), dt.date(2026, 11, 12), "cancelled", admin,
           closed=at(11, 6))
    # taken in October, finished in November: 4 working days, late
    errand("e6", "carried", at(10, 28), dt.date(2026, 10, 30), "delivered", admin,
           delivered=at(11, 3))
    errand("e7", "on_the_spot", at(11, 25), dt.date(2026, 11, 25), "registered", admin,
           certificate)
    for key, day in (("e1", 3), ("e3", 20), ("e2", 16)):  # e2's villager not reached
        Event.create(entity="errand", entity_id=made[key].id, action="callback",
                     actor=admin.id, at=at(11, day), detail={})
    Event.create(entity="errand", entity_id=made["e6"].id, action="callback",
                 actor=admin.id, at=at(12, 1), detail={})  # December's
    return made


def test_errands_by_way_item_and_status(station, month):
    figures = station_figures(station.id, NOV, NOW)
    assert figures.registered == 6
    assert figures.by_mode == {"on_the_spot": 2, "carried": 2, "accompanied": 1, "mobile": 1}
    assert figures.by_item == [("城乡居民医保费用报销", 4), ("村委会证明开具", 2)]
    assert figures.by_status == {"called_back": 2, "delivered": 1, "in_progress": 1,
                                 "cancelled": 1, "registered": 1}
    assert figures.daily_intake[1] == 2 and figures.daily_intake[4] == 1
    assert sum(figures.daily_intake) == 6 and len(figures.daily_intake) == 30


def test_completion_days_and_lateness(station, month):
    done = station_figures(station.id, NOV, NOW).completion
    assert (done.completed, done.on_time, done.late) == (4, 2, 2)
    assert done.overdue_rate == 50
    assert (done.median_days, done.p90_days) == (3, 5)  # of 0, 3, 4, 5
    assert (done.cancelled, done.returned) == (1, 0)


def test_callbacks_and_satisfaction(station, month):
    calls = station_figures(station.id, NOV, NOW).callbacks
    assert (calls.made, calls.satisfied, calls.fairly, calls.unsatisfied) == (3, 1, 1, 0)
    assert calls.not_reached == 1
    assert calls.satisfaction == 100


def test_overdue_at_the_end_of_the_month_and_each_day(station, month):
    figures = station_figures(station.id, NOV, NOW)
    assert figures.open_overdue == 2  # e4 and e7, both due on the 25th
    overdue = dict(zip(NOV.dates(), figures.daily_overdue))
    assert overdue[dt.date(2026, 11, 1)] == 1  # e6, due in October, done on the 3rd
    assert overdue[dt.date(2026, 11, 5)] == 0
    assert overdue[dt.date(2026, 11, 7)] == 1  # e2 past the 6th
    assert overdue[dt.date(2026, 11, 9)] == 0  # delivered that day
    assert overdue[dt.date(2026, 11, 26)] == 2


def test_the_current_month_counts_overdue_as_the_queue_does(station, month):
    today = Period.month(2026, 12)
    figures = station_figures(station.id, today, NOW)
    assert figures.open_overdue == 2  # e4 and e7, still open
    assert len(figures.daily_overdue) == 2  # the 1st and the 2nd, not days to come
    assert figures.registered == 0 and figures.callbacks.made == 1


def test_errands_per_cadre(station, month, admin, hua):
    cadres = {row.name: row for row in station_figures(station.id, NOV, NOW).cadres}
    mine, hers = cadres[admin.name], cadres[hua.name]
    assert (mine.registered, mine.completed, mine.on_time, mine.late) == (4, 2, 1, 1)
    assert (hers.registered, hers.completed, hers.on_time, hers.late) == (2, 2, 1, 1)
    assert hers.overdue_rate == 50


def test_a_range_of_days(station, month):
    figures = station_figures(station.id, Period.days(dt.date(2026, 11, 2),
                                                      dt.date(2026, 11, 9)), NOW)
    assert figures.registered == 3  # e1, e2, e5
    assert figures.completion.completed == 3  # e1 on the 2nd, e6 on the 3rd, e2 on the 9th
    assert Period.days(dt.date(2026, 11, 20), dt.date(2026, 12, 3)).months() == [
        (2026, 11), (2026, 12)]


def test_nearest_rank():
    assert nearest_rank(Counter(), 0.5) is None
    assert nearest_rank(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 0.5) == 2
    assert nearest_rank(Counter({0: 9, 7: 1}), 0.9) == 0
    assert nearest_rank(Counter({0: 9, 7: 1}), 0.91) == 7


def test_a_span_as_typed():
    from models.reports.figures import read_period
    today = dt.date(2026, 12, 2)
    assert read_period("2026-11-01 至 2026-11-15", today) == Period.days(
        dt.date(2026, 11, 1), dt.date(2026, 11, 15))
    assert read_period("11-20至12-31", today).last == today  # not the days to come
    # over the new year, typed in January: last December's days
    assert read_period("12-30至01-02", dt.date(2027, 1, 5)) == Period.days(
        dt.date(2026, 12, 30), dt.date(2027, 1, 2))


@pytest.mark.parametrize("text, key", [
    ("", "stats.period.unreadable"), ("[/bar]", "stats.period.unreadable"),
    ("2026-11-15至2026-11-01", "stats.period.unreadable"),
    ("2026-13-01", "stats.period.unreadable"),
    ("2027-01-01", "stats.period.future"), ("2024-01-01 至 2026-11-30", "stats.period.too_long"),
    ("11-01 至 11-15 春节", "stats.period.unreadable"),
])
def test_a_span_refused(text, key):
    from models.core.validation import ValidationError
    from models.reports.figures import read_period
    with pytest.raises(ValidationError) as err:
        read_period(text, dt.date(2026, 12, 2))
    assert err.value.code == key
