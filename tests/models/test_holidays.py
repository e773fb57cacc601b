import datetime as dt

import pytest

from models.core.i18n import weekday
from models.core.validation import ValidationError
from models.duty.calendar import add_working_days
from models.core.entities import Event
from models.duty.entities import CalendarDay
from models.duty.holidays import (
    LIBRARY_NAMES,
    calendar_around,
    parse_calendar_entry,
    set_calendar_days,
    set_year_published,
    statutory_holidays,
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


def test_unpublished_year_has_the_holidays_of_the_law(db):
    """2027: the 13 days of the rules as revised in 2025 (元旦 1, 春节 4 from 除夕,
    清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3), festivals from the lunar calendar."""
    year = year_calendar(2027)
    assert not year.official and year.workdays == frozenset()  # 调休 unknown
    assert year.holidays == {D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7),
                             D(2027, 2, 8), D(2027, 4, 5), D(2027, 5, 1), D(2027, 5, 2),
                             D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1), D(2027, 10, 2),
                             D(2027, 10, 3)}
    assert year.names[D(2027, 2, 5)] == "春节" and year.names[D(2027, 4, 5)] == "清明节"
    assert year.names[D(2027, 6, 9)] == "端午节" and year.names[D(2027, 9, 15)] == "中秋节"
    assert year.names[D(2027, 5, 2)] == "劳动节"
    # 2028: 中秋 falls on 10-03, a day of 国庆 too; 春节 in January
    assert statutory_holidays(2028)[D(2028, 10, 3)] == "国庆节、中秋节"
    assert {D(2028, 1, 25), D(2028, 1, 28)} <= set(statutory_holidays(2028))
    assert len(statutory_holidays(2028)) == 12
    assert unofficial_years(D(2026, 11, 1), D(2027, 2, 1)) == [2027]


QINGMING_DAYS = [D(2008, 4, 4), D(2015, 4, 5), D(2019, 4, 5), D(2020, 4, 4), D(2021, 4, 4),
                 D(2022, 4, 5), D(2023, 4, 5), D(2024, 4, 4), D(2025, 4, 4), D(2026, 4, 5),
                 D(2027, 4, 5), D(2028, 4, 4), D(2029, 4, 4), D(2030, 4, 5)]


def test_computed_festivals_agree_with_every_published_year(db):
    """What the law gives, computed, is off in each schedule the State Council
    published since 清明, 端午 and 中秋 became holidays (2008)."""
    from chinese_calendar import constants
    for year in range(2008, 2027):
        published = {day: name for day, name in constants.holidays.items()
                     if day.year == year}
        computed = statutory_holidays(year)
        eve = min(day for day, name in computed.items() if name == "春节")
        for day, name in computed.items():
            if day == D(year, 5, 2) and year < 2025 or day == eve and 2014 <= year < 2025:
                continue  # May 2 and 除夕 were not days off by law then
            # (the library leaves out a weekend day of a holiday now and then)
            assert day in published or day.weekday() >= 5, (day, name)
            if day in published:
                assert LIBRARY_NAMES[published[day]] in name.split("、"), (day, name)
    assert [day for day in QINGMING_DAYS
            if statutory_holidays(day.year).get(day) != "清明节"] == []


def test_a_year_counts_as_published_only_when_the_head_marks_it(db, head_session, admin):
    # the station head enters the notice once it is out
    set_calendar_days(D(2027, 2, 5), D(2027, 2, 13), "holiday", "春节", head_session)
    set_calendar_days(D(2027, 2, 20), D(2027, 2, 20), "workday", "春节调休", head_session)
    entered = year_calendar(2027)
    assert D(2027, 2, 13) in entered.holidays and D(2027, 2, 20) in entered.workdays
    assert not entered.official  # a day or two is not the whole notice
    assert unofficial_years(D(2026, 11, 1), D(2027, 2, 1)) == [2027]
    set_year_published(2027, True, head_session)
    assert year_calendar(2027).official
    assert unofficial_years(D(2026, 11, 1), D(2027, 2, 1)) == []
    set_year_published(2027, True, head_session)  # again: nothing more
    assert [e.action for e in Event.select().where(Event.entity == "calendar")
            .order_by(Event.id)][-1:] == ["publish"]
    set_year_published(2027, False, head_session)
    assert not year_calendar(2027).official
    set_calendar_days(D(2027, 2, 6), D(2027, 2, 6), "workday", "", head_session)  # a correction
    assert D(2027, 2, 6) not in year_calendar(2027).holidays
    # a year the library knows is published already
    with pytest.raises(ValidationError) as refused:
        set_year_published(2026, False, head_session)
    assert refused.value.code == "calendar.published_by_library"


def test_due_date_says_when_it_runs_into_an_unpublished_year(station):
    from models.errands.entities import ServiceItem
    from models.errands.intake import due_date_info
    item = ServiceItem.get(ServiceItem.name == "最低生活保障申请")  # 20 working days
    inside = due_date_info(item, D(2026, 11, 2))
    assert inside.unofficial_years == [] and inside.date.year == 2026
    across = due_date_info(item, D(2026, 12, 20))
    assert across.date.year == 2027 and across.unofficial_years == [2027]


def test_calendar_entries_as_typed():
    spring = (D(2027, 1, 31), D(2027, 2, 8), "holiday", "春节")
    for text in ("2027-01-31 至 2027-02-08 春节", "01-31至02-08 休 春节", "01-31~02-08 放假 春节"):
        assert parse_calendar_entry(text, 2027) == spring, text
    assert parse_calendar_entry("2027-02-06 休 春节", 2027) == (D(2027, 2, 6), D(2027, 2, 6),
                                                             "holiday", "春节")
    assert parse_calendar_entry("02-20 班", 2027) == (D(2027, 2, 20), D(2027, 2, 20),
                                                     "workday", "")
    assert parse_calendar_entry("02-20 上班 春节调休", 2027)[2:] == ("workday", "春节调休")
    assert parse_calendar_entry("12-31 至 01-01 元旦", 2027)[:2] == (D(2027, 12, 31),
                                                                 D(2028, 1, 1))
    for bad in ("", "休", "02-20", "02-30 休", "02-20 至 02-30 春节", "202612010930 休",
                "99999999999-1-1 休", "1-2-3-4 班", "\ud800 休", "2027-02-06\x00 休"):
        with pytest.raises(ValidationError):
            parse_calendar_entry(bad, 2027)


def test_holiday_names_are_cleaned_and_bounded(station, head_session):
    day = dt.date(2027, 2, 6)
    [row] = set_calendar_days(day, day, "holiday", " 春节\x1b]0;x\x07 ", head_session)
    assert row.name == "春节]0;x"
    for first, last, name, code in [
            (day, day, "节" * 31, "invalid.text_too_long"),
            (day, day - dt.timedelta(days=1), "春节", "calendar.span_order"),
            (day, day + dt.timedelta(days=31), "春节", "calendar.span_too_long"),
            (D(2100, 1, 1), D(2100, 1, 1), "元旦", "calendar.year_out_of_range")]:
        with pytest.raises(ValidationError) as refused:
            set_calendar_days(first, last, "holiday", name, head_session)
        assert refused.value.code == code
    assert CalendarDay.select().count() == 1


def test_a_span_of_days_is_entered_at_once(station, head_session):
    rows = set_calendar_days(D(2027, 1, 31), D(2027, 2, 8), "holiday", "春节", head_session)
    assert [r.day for r in rows] == [D(2027, 1, 31) + dt.timedelta(days=i) for i in range(9)]
    assert {(r.kind, r.name) for r in CalendarDay.select()} == {("holiday", "春节")}
    assert Event.select().where(Event.entity == "calendar").count() == 9
