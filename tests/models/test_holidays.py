import datetime as dt

import pytest

from models.core.i18n import weekday
from models.core.validation import ValidationError
from models.duty.calendar import add_working_days
from models.duty.holidays import (
    calendar_around,
    parse_calendar_entry,
    set_calendar_day,
    unofficial_years,
    year_calendar,
)

D = dt.date


def test_2026_matches_the_published_schedule(db):
    year = year_calendar(2026)
    assert year.official
    # 春节 2026: 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班
    assert {D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)} <= year.holidays
    assert {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
            D(2026, 10, 10)} == set(year.workdays)
    assert {D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)} <= year.holidays
    assert D(2026, 1, 1) in year.holidays and D(2026, 6, 19) in year.holidays  # 端午
    assert year.names[D(2026, 10, 1)] == "国庆节" and year.names[D(2026, 2, 17)] == "春节"


def test_due_dates_skip_holidays_and_count_adjusted_workdays(db):
    holidays, workdays = calendar_around(D(2026, 9, 30))
    # 9-30 (Wed): 10-1..10-7 off; 10-8, 10-9 and 10-10 (Sat, 调休) count; 10-11 is Sunday
    assert add_working_days(D(2026, 9, 30), 1, holidays, workdays) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3, holidays, workdays) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4, holidays, workdays) == D(2026, 10, 12)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 6)  # weekends alone


def test_weekday_names():
    week = [weekday(D(2026, 11, 23) + dt.timedelta(days=i)) for i in range(7)]
    assert "".join(week) == "一二三四五六日"  # 2026-11-23 is a Monday


def test_unpublished_year_is_said_not_guessed(db, head_session):
    year = year_calendar(2027)
    assert not year.official
    assert year.holidays == {D(2027, 1, 1), D(2027, 5, 1), D(2027, 10, 1), D(2027, 10, 2),
                             D(2027, 10, 3)}
    assert unofficial_years(D(2026, 11, 1), D(2027, 2, 1)) == [2027]
    # the station head enters the notice once it is out
    set_calendar_day(D(2027, 2, 6), "holiday", "春节", head_session)
    set_calendar_day(D(2027, 2, 20), "workday", "春节调休", head_session)
    entered = year_calendar(2027)
    assert entered.official and D(2027, 2, 6) in entered.holidays
    assert D(2027, 2, 20) in entered.workdays
    assert unofficial_years(D(2026, 11, 1), D(2027, 2, 1)) == []
    set_calendar_day(D(2027, 2, 6), "workday", "", head_session)  # a correction
    assert D(2027, 2, 6) not in year_calendar(2027).holidays


def test_due_date_says_when_it_runs_into_an_unpublished_year(station):
    from models.errands.entities import ServiceItem
    from models.errands.intake import due_date_info
    item = ServiceItem.get(ServiceItem.name == "最低生活保障申请")  # 20 working days
    inside = due_date_info(item, D(2026, 11, 2))
    assert inside.unofficial_years == [] and inside.date.year == 2026
    across = due_date_info(item, D(2026, 12, 20))
    assert across.date.year == 2027 and across.unofficial_years == [2027]


def test_calendar_entries_as_typed():
    assert parse_calendar_entry("2027-02-06 休 春节", 2027) == (D(2027, 2, 6), "holiday", "春节")
    assert parse_calendar_entry("02-20 班", 2027) == (D(2027, 2, 20), "workday", "")
    for bad in ("", "休", "02-20", "02-30 休", "02-20 上班", "202612010930 休",
                "99999999999-1-1 休", "1-2-3-4 班", "\ud800 休", "2027-02-06\x00 休"):
        with pytest.raises(ValidationError):
            parse_calendar_entry(bad, 2027)


def test_holiday_names_are_cleaned_and_bounded(station, head_session):
    day = dt.date(2027, 2, 6)
    row = set_calendar_day(day, "holiday", " 春节\x1b]0;x\x07 ", head_session)
    assert row.name == "春节]0;x"
    with pytest.raises(ValidationError) as refused:
        set_calendar_day(day, "holiday", "节" * 31, head_session)
    assert refused.value.code == "invalid.text_too_long"
