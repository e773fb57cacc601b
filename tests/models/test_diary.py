"""The 民情日记: entries written, corrected by their author or the head, searched by
words and days a page at a time; bad input refused with nothing saved."""
from __future__ import annotations

import datetime as dt

import pytest

from models.core.entities import Event, VillagerGroup, now
from models.core.history import StaleEdit
from models.errands.entities import ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.people.entities import Household, Resident
from models.village.diary import (
    TEXT_MAX,
    DiaryForm,
    add_diary_entry,
    diary_page,
    edit_diary_entry,
)
from models.village.entities import DiaryEntry
from tests.models.conftest import refused

TODAY = now().date()


@pytest.fixture
def home(station):
    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1))
    household = Household.create(group=group, number="01001")
    Resident.create(household=household, name="张大山", relation="户主")
    return household


def test_an_entry_about_a_household(home, duty_session):
    entry = add_diary_entry(DiaryForm("张大山\x1b]52;c;eA==\x07说想养羊\r\n想问补贴", "",
                                      "０１００１"), duty_session)
    entry = DiaryEntry.get_by_id(entry.id)
    assert (entry.day, entry.cadre_id, entry.household_id) == (TODAY, duty_session.cadre_id,
                                                               home.id)
    assert entry.text == "张大山]52;c;eA==说想养羊\n想问补贴"  # the escapes gone, the line kept
    event = Event.get((Event.entity == "diary") & (Event.entity_id == entry.id))
    assert (event.action, event.actor_id) == ("create", duty_session.cadre_id)
    [row] = diary_page(duty_session.station_id).rows
    assert (row.about, row.about_number) == ("01001 张大山", "01001")


def test_an_entry_about_an_errand(station, zhang, errand, head_session):
    entry = add_diary_entry(DiaryForm("证明已开好", about=errand.number), head_session)
    assert DiaryEntry.get_by_id(entry.id).errand_id == errand.id
    [row] = diary_page(station.id).rows
    assert row.about == f"{errand.number} 张三"


def test_an_entry_about_a_dispute(home, duty_session):
    from models.village.disputes import DisputeForm, PartyForm, record_dispute
    dispute = record_dispute(DisputeForm("院墙越界", "neighbours", "low", [PartyForm(name="赵大")],
                                         found_on=TODAY), duty_session)
    entry = add_diary_entry(DiaryForm("两家都愿意再谈", about=dispute.number.lower()),
                            duty_session)
    assert DiaryEntry.get_by_id(entry.id).dispute_id == dispute.id
    [row] = diary_page(duty_session.station_id).rows
    assert (row.about, row.about_number) == (f"{dispute.number} 院墙越界", dispute.number)


@pytest.mark.parametrize("form, key", [
    (DiaryForm(""), "invalid.text_empty"),
    (DiaryForm(" \x00\u202e "), "invalid.text_empty"),
    (DiaryForm("长" * 10_000), "invalid.text_too_long"),
    (DiaryForm("好", (TODAY + dt.timedelta(days=1)).isoformat()), "diary.future"),
    (DiaryForm("好", "昨天"), "visit.bad_day"),
    (DiaryForm("好", "2026-02-30"), "visit.bad_day"),
    (DiaryForm("好", "99999-01-01"), "visit.bad_day"),
    (DiaryForm("好", about="09999"), "diary.bad_about"),
])
def test_bad_input_is_refused_and_nothing_saved(home, duty_session, form, key):
    error = refused(key, add_diary_entry, form, duty_session)
    if key == "invalid.text_too_long":
        assert str(TEXT_MAX) in error.message and "10000" in error.message
    assert DiaryEntry.select().count() == 0
    assert Event.select().where(Event.entity == "diary").count() == 0


def test_own_entries_corrected_by_the_author_or_the_head(home, duty_session, head_session, hua):
    entry = add_diary_entry(DiaryForm("路灯坏了"), duty_session)
    entry = edit_diary_entry(entry.id, entry.version, DiaryForm("路灯坏了，已报修", "",
                                                                "01001"), duty_session)
    assert (entry.text, entry.household_id, entry.version) == ("路灯坏了，已报修", home.id, 2)
    entry = edit_diary_entry(entry.id, entry.version, DiaryForm("路灯已修好"), head_session)
    assert entry.household_id is None
    with pytest.raises(StaleEdit):
        edit_diary_entry(entry.id, 1, DiaryForm("旧的"), head_session)
    from tests.actors import acting
    refused("guard.own_only", edit_diary_entry, entry.id, entry.version,
            DiaryForm("别人的"), acting(hua))
    assert DiaryEntry.get_by_id(entry.id).text == "路灯已修好"


def test_search_by_words_and_days_newest_first_in_pages(home, duty_session, head_session):
    days = [TODAY - dt.timedelta(days=n) for n in range(6)]
    for n, day in enumerate(days):
        add_diary_entry(DiaryForm(f"第{n}篇 100%_路灯" if n % 2 else f"第{n}篇 养羊",
                                  day.isoformat()), duty_session if n < 3 else head_session)
    station_id = duty_session.station_id
    page = diary_page(station_id, limit=4)
    assert [r.entry.day for r in page.rows] == days[:4] and page.more
    last = page.rows[-1].entry
    rest = diary_page(station_id, after=(last.day, last.id), limit=4)
    assert [r.entry.day for r in rest.rows] == days[4:] and not rest.more
    assert [r.entry.text for r in diary_page(station_id, "养羊").rows] == [
        "第0篇 养羊", "第2篇 养羊", "第4篇 养羊"]
    # the user's % and _ are letters, not wildcards
    assert len(diary_page(station_id, "100%_").rows) == 3
    assert diary_page(station_id, "100%x").rows == []
    # by the author's name
    assert len(diary_page(station_id, "王建国").rows) == 3
    span = f"{days[3].isoformat()}~{days[1].isoformat()}"
    assert [r.entry.day for r in diary_page(station_id, days=span).rows] == days[1:4]
    assert [r.entry.text for r in diary_page(station_id, "路灯", span).rows] == [
        "第1篇 100%_路灯", "第3篇 100%_路灯"]
    refused("audit.bad_days", diary_page, station_id, "", "下周")


def test_another_stations_entries_are_not_found(home, duty_session):
    from models.station.setup import SetupForm, set_up_station
    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                        admin_name="赵站长", admin_login="other"))
    add_diary_entry(DiaryForm("路灯坏了"), duty_session)
    assert diary_page(other.id).rows == []


def test_an_errand_of_another_station_is_not_named(station, zhang, head_session):
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "村委会证明开具"))
    errand = register_errand(IntakeForm(zhang.id, item.id, "on_the_spot"), station.id,
                             head_session)
    from models.core.entities import Cadre
    from models.station.setup import SetupForm, set_up_station
    from tests.actors import acting
    set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                             admin_name="赵站长", admin_login="other"))
    other_head = acting(Cadre.get(Cadre.login == "other"))
    refused("diary.bad_about", add_diary_entry, DiaryForm("看看", about=errand.number),
            other_head)
