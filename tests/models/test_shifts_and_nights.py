"""Issue 10's roster and nights: a day of one 24-hour shift (or two, or three),
templates added and removed, the head's night corrections, the lodging rule and
missed shifts with a reason."""
import datetime as dt

import pytest

from kiosk.export import roster_ics, roster_text
from models.core.entities import Cadre, Event, Station
from models.core.history import StaleEdit, history
from models.core.validation import ValidationError
from models.duty.checkin import check_in, duty_now, explain_missed
from models.duty.entities import Leave, NightStay, Shift, ShiftTemplate
from models.duty.hours import month_span, templates_of
from models.duty.nights import (
    correct_night,
    lodging_nights,
    mark_night,
    night_corrections,
    nights_out_of_reach,
    nights_summary,
    parse_night_correction,
    required_nights,
)
from models.duty.roster import coverage_gaps, month_roster, plan_month, save_plan
from models.duty.summary import cadre_month_summary, missed_shifts
from models.station.settings import (
    SettingsForm,
    add_shift_template,
    nights_field,
    remove_shift_template,
    settings_of,
    shifts_to_drop,
    update_settings,
)
from tests.actors import acting, our_station

D = dt.date
T = dt.datetime
YEAR, MONTH = 2026, 10  # 国庆 10-01..10-07 off, Saturday 10-10 a working day
BEFORE = D(2026, 9, 1)


@pytest.fixture
def crew(station, admin):
    return [admin] + [Cadre.create(station=station, name=name, login=f"c{n}")
                      for n, name in enumerate(("李明", "张伟", "刘芳", "陈静"))]


def refused(code, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert "{" not in caught.value.message


def one_shift_a_day(station, head_session, at=T(2026, 9, 1, 9)):
    """The station's day made one 24-hour 值班: added, the day and night shifts removed."""
    duty = add_shift_template(station.id, "值班 08:00-08:00", head_session)
    for template in templates_of(station.id):
        if template.id != duty.id:
            remove_shift_template(template.id, head_session, at=at)
    return duty


# ---- templates ----

def test_a_24_hour_shift_is_a_night_ending_the_next_morning(station, head_session):
    duty = add_shift_template(station.id, "值班 ０８:００-08:00", head_session)
    assert (duty.name, duty.starts, duty.ends, duty.night) == ("值班", "08:00", "08:00", True)
    assert [tp.name for tp in templates_of(station.id)] == ["日班", "夜班", "值班"]
    assert history("shift_template", duty.id)[0].detail["after"] == "值班 08:00-08:00"
    refused("settings.too_many_shifts", add_shift_template, station.id, "中班 16:00-00:00",
            head_session)
    remove_shift_template(duty.id, head_session)
    refused("settings.shift_name_taken", add_shift_template, station.id, "日班 07:00-19:00",
            head_session)
    refused("settings.bad_shift", add_shift_template, station.id, "值班 全天", head_session)


def test_removing_drops_shifts_to_come_and_keeps_the_worked(station, head_session, crew):
    day, night = templates_of(station.id)
    worked = Shift.create(station=station, template=day, day=D(2026, 9, 1),
                          starts_at=T(2026, 9, 1, 8), ends_at=T(2026, 9, 1, 20),
                          cadre=crew[1], checked_in_at=T(2026, 9, 1, 8))
    past = Shift.create(station=station, template=day, day=D(2026, 8, 31),
                        starts_at=T(2026, 8, 31, 8), ends_at=T(2026, 8, 31, 20), cadre=crew[2])
    save_plan(plan_month(station.id, YEAR, MONTH, today=BEFORE), head_session)
    now = T(2026, 9, 1, 9)
    assert shifts_to_drop(day.id, now, station_id=our_station()) == 31
    assert remove_shift_template(day.id, head_session, at=now) == 31
    retired = ShiftTemplate.get_by_id(day.id)
    assert retired.retired and {s.id for s in retired.shifts} == {worked.id, past.id}
    assert [tp.id for tp in templates_of(station.id)] == [night.id]
    assert [tp.id for tp in settings_of(station.id)[1]] == [night.id]
    # September's grid still has the retired column, October's does not
    assert [(tp.name, tp.retired) for tp in month_roster(station.id, 2026, 9,
                                                         at=now).templates] == [
        ("日班", True), ("夜班", False)]
    assert [tp.name for tp in month_roster(station.id, YEAR, MONTH, at=now).templates] == [
        "夜班"]
    event = history("shift_template", day.id)[-1]
    assert (event.action, event.detail["dropped"], event.detail["kept"]) == ("retire", 31, 2)
    refused("settings.last_shift", remove_shift_template, night.id, head_session)
    refused("settings.no_shift", remove_shift_template, day.id, head_session)
    unused = add_shift_template(station.id, "值班 08:00-08:00", head_session)
    remove_shift_template(unused.id, head_session, at=now)
    assert ShiftTemplate.get_or_none(ShiftTemplate.id == unused.id) is None  # never used


def test_a_one_shift_a_day_month_is_covered_with_rest_the_day_after(station, head_session,
                                                                    crew):
    duty = one_shift_a_day(station, head_session)
    plan = plan_month(station.id, YEAR, MONTH, today=BEFORE)
    assert len(plan.shifts) == 31 and not plan.gaps
    first = plan.shifts[0]
    assert (first.starts_at, first.ends_at) == (T(2026, 10, 1, 8), T(2026, 10, 2, 8))
    for before, after in zip(plan.shifts, plan.shifts[1:]):
        assert before.cadre_id != after.cadre_id  # nobody two days in a row
    totals = [s.total for s in plan.spread.values()]
    assert sum(totals) == 31 and max(totals) - min(totals) <= 1
    assert all(s.night == s.total for s in plan.spread.values())  # every one a night
    save_plan(plan, head_session)
    assert coverage_gaps(station.id, *month_span(templates_of(station.id), YEAR, MONTH)) == []
    grid = month_roster(station.id, YEAR, MONTH, at=T(2026, 9, 1, 9))
    assert [tp.id for tp in grid.templates] == [duty.id] and not grid.gaps
    # on duty now and next: today's 值班 until tomorrow 08:00, then the next cadre's
    now = duty_now(station.id, T(2026, 10, 5, 23))
    assert now.current.day == D(2026, 10, 5) and now.next.day == D(2026, 10, 6)
    assert now.current.ends_at == now.next.starts_at == T(2026, 10, 6, 8)
    assert "10-05 周一  值班 08:00–08:00" in roster_text(station.id, YEAR, MONTH)
    assert "DTEND;TZID=Asia/Shanghai:20261002T080000" in roster_ics(station.id, YEAR, MONTH)
    # checking in records the night
    shift = Shift.get((Shift.template == duty.id) & (Shift.day == D(2026, 10, 5)))
    check_in(shift.id, acting(shift.cadre), now=shift.starts_at)
    assert NightStay.get(NightStay.cadre == shift.cadre_id).night == D(2026, 10, 5)


def test_three_shifts_a_day(station, head_session, crew):
    day, night = templates_of(station.id)
    settings = SettingsForm(station.name, station.township, "3", "15",
                            {day.id: "早班 00:00-08:00", night.id: "白班 08:00-16:00"})
    update_settings(station.id, station.version, settings, head_session)
    add_shift_template(station.id, "晚班 16:00-00:00", head_session)
    plan = plan_month(station.id, YEAR, MONTH, today=BEFORE)
    assert len(plan.shifts) == 93 and not plan.gaps
    save_plan(plan, head_session)
    assert coverage_gaps(station.id, T(2026, 10, 1), T(2026, 11, 1)) == []


# ---- nights: stayed tonight, the head's corrections ----

def test_the_head_corrects_a_night_with_a_reason(station, head_session, crew):
    ming = crew[1]
    mark_night(acting(ming), now=T(2026, 3, 2, 21))
    refused("invalid.text_empty", correct_night, ming.id, D(2026, 3, 3), True, "  ",
            head_session, today=D(2026, 3, 31))
    added = correct_night(ming.id, D(2026, 3, 3), True, "在村调解纠纷到深夜", head_session,
                          today=D(2026, 3, 31))
    assert (added.source, added.counted, added.reason) == ("correction", True, "在村调解纠纷到深夜")
    refused("duty.night_already", correct_night, ming.id, D(2026, 3, 3), True, "再补",
            head_session, today=D(2026, 3, 31))
    correct_night(ming.id, D(2026, 3, 2), False, "当晚回了县城", head_session,
                  today=D(2026, 3, 31))
    refused("duty.night_none", correct_night, ming.id, D(2026, 3, 2), False, "再划",
            head_session, today=D(2026, 3, 31))
    refused("duty.night_future", correct_night, ming.id, D(2026, 4, 1), True, "提前",
            head_session, today=D(2026, 3, 31))
    # a mark later does not bring the struck-off night back
    mark_night(acting(ming), now=T(2026, 3, 2, 23))
    assert not NightStay.get((NightStay.cadre == ming) & (NightStay.night == D(2026, 3, 2))
                             ).counted
    rows = {row.name: row for row in nights_summary(station.id, 2026, 3)}
    assert rows["李明"].nights == 1
    corrections = night_corrections(station.id, 2026, 3)
    assert [(c.cadre_name, c.night, c.counted, c.reason) for c in corrections] == [
        ("李明", D(2026, 3, 2), False, "当晚回了县城"),
        ("李明", D(2026, 3, 3), True, "在村调解纠纷到深夜")]
    events = Event.select().where((Event.entity == "night") & (Event.action == "correct")
                              ).order_by(Event.id)
    assert [e.detail["reason"] for e in events] == ["在村调解纠纷到深夜", "当晚回了县城"]
    assert parse_night_correction("03-05 开会", 2026) == (D(2026, 3, 5), "开会")
    refused("duty.correction_bad", parse_night_correction, "开会", 2026)


# ---- the lodging rule ----

def test_lodging_monday_to_friday(station, head_session, crew):
    form = SettingsForm(station.name, station.township, "3", "周一至周五",
                        {tp.id: f"{tp.name} {tp.starts}-{tp.ends}"
                         for tp in templates_of(station.id)})
    saved = update_settings(station.id, station.version, form, head_session)
    assert (saved.nights_rule, saved.nights_required, nights_field(saved)) == (
        "weekdays", 15, "周一至周五")
    # March 2026: Monday to Thursday evenings, 18 of them
    assert len(lodging_nights(2026, 3, set())) == 18
    assert D(2026, 3, 6) not in lodging_nights(2026, 3, set())  # a Friday evening
    # October: the National Day week off; Friday 10-09 before the working Saturday counts
    october = lodging_nights(2026, 10, set())
    assert D(2026, 10, 9) in october and D(2026, 10, 10) not in october
    assert not {D(2026, 10, d) for d in range(1, 8)} & set(october)
    ming, hua = crew[1], crew[2]
    Cadre.update(stays_in_village=True).where(Cadre.id.in_([ming.id, hua.id])).execute()
    Leave.create(cadre=hua, first_day=D(2026, 3, 16), last_day=D(2026, 3, 20))
    station = Station.get_by_id(station.id)
    required = required_nights(station, [ming.id, hua.id], 2026, 3)
    assert required == {ming.id: 18, hua.id: 14}
    for day in range(2, 12):
        mark_night(acting(ming), now=T(2026, 3, day, 20))
    # on the 20th: 李明's 10 and twelve still to come reach 18; 张伟 has none
    out = {row.name for row in nights_out_of_reach(station.id, D(2026, 3, 20))}
    assert "李明" not in out and "张伟" in out
    month = {row.name: row for row in cadre_month_summary(station.id, 2026, 3,
                                                          now=T(2026, 4, 1))}
    assert (month["李明"].required, month["李明"].nights, month["李明"].missing_nights) == (
        18, 10, 8)
    assert month["张伟"].required == 14


# ---- missed shifts ----

def test_a_missed_shift_keeps_the_heads_reason(station, head_session, crew):
    day, _ = templates_of(station.id)
    shift = Shift.create(station=station, template=day, day=D(2026, 3, 2),
                         starts_at=T(2026, 3, 2, 8), ends_at=T(2026, 3, 2, 20), cadre=crew[1])
    refused("duty.not_missed", explain_missed, shift.id, "开会", shift.version, head_session,
            now=T(2026, 3, 2, 8, 10))
    grid = month_roster(station.id, 2026, 3, at=T(2026, 3, 2, 9))
    assert grid.cell(D(2026, 3, 2), day.id).missed
    explained = explain_missed(shift.id, "去镇里开会，已报备", shift.version, head_session,
                               now=T(2026, 3, 2, 9))
    assert explained.missed_reason == "去镇里开会，已报备" and explained.version == 2
    assert history("shift", shift.id)[-1].action == "missed_reason"
    cell = month_roster(station.id, 2026, 3, at=T(2026, 3, 3)).cell(D(2026, 3, 2), day.id)
    assert cell.missed and cell.missed_reason == "去镇里开会，已报备"
    assert [(s.id, s.missed_reason) for s in missed_shifts(station.id, 2026, 3,
                                                           now=T(2026, 4, 1))] == [
        (shift.id, "去镇里开会，已报备")]
    with pytest.raises(StaleEdit):  # a stale version is refused
        explain_missed(shift.id, "别的原因", 1, head_session, now=T(2026, 3, 2, 9))
