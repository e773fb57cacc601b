"""The visit log (民情访问记录), households' tags, the visit rules, and a visit's
need turned into an errand."""
from __future__ import annotations

import datetime as dt

import pytest

from models.core.entities import Cadre, Event, VillagerGroup, now
from models.core.i18n import t
from models.errands.entities import Errand, ServiceItem
from models.people.entities import Household, Resident
from models.people.households import HouseholdForm, add_household
from models.station.setup import SetupForm, set_up_station
from models.village.entities import Duty, HouseholdTag, Tag, Visit, VisitErrand
from models.village.household_file import household_file, resident_household_file
from models.village.visits import (
    DEFAULT_PER_DAYS,
    DEFAULT_VISITS,
    MONTH,
    WEEK,
    Rule,
    VisitForm,
    edit_visit,
    errand_from_visit,
    errands_of_visit,
    follow_up_day,
    household_tags,
    log_visit,
    rule_for,
    set_household_tags,
    set_visit_rule,
    set_visit_rules,
    visit_need,
    visit_of_errand,
    visit_time,
    written_rule,
)
from tests.actors import acting, our_station
from tests.models.conftest import refused

YESTERDAY = now().replace(hour=10, minute=0, second=0) - dt.timedelta(days=1)


@pytest.fixture
def home(station):
    """Household 01001 of group 1 (made by a tool: no date it was made), with its
    head 张大山 and his wife."""
    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1))
    household = Household.create(group=group, number="01001")
    Resident.create(household=household, name="李秀英", relation="妻")
    Resident.create(household=household, name="张大山", relation="户主")
    return household


def form(household, **changes) -> VisitForm:
    values = dict(household_id=household.id, visited_at=YESTERDAY,
                  duties=[Duty.POLICY], found="身体还好", needs="想办医保报销")
    return VisitForm(**{**values, **changes})


def test_a_cadre_logs_a_visit(home, duty_session):
    wife = Resident.get(Resident.name == "李秀英")
    visit = log_visit(form(home, met_resident_id=wife.id, met="李秀英和邻居",
                           duties=[Duty.ERRANDS, Duty.POLICY, Duty.ERRANDS],
                           found="屋顶\x00\u202e漏雨\r\n需修缮",
                           follow_up_due=YESTERDAY.date() + dt.timedelta(days=7)),
                      duty_session)
    visit = Visit.get_by_id(visit.id)
    assert visit.cadre_id == duty_session.cadre_id
    assert visit.visited_at == YESTERDAY
    assert visit.duties == [Duty.POLICY, Duty.ERRANDS]  # once each, in the list's order
    assert visit.found == "屋顶漏雨\n需修缮"  # NUL and the bidi override gone, the line kept
    assert visit.met_resident_id == wife.id
    event = Event.get((Event.entity == "visit") & (Event.entity_id == visit.id))
    assert (event.action, event.actor_id) == ("create", duty_session.cadre_id)


@pytest.mark.parametrize("changes, field, key", [
    (dict(visited_at=now() + dt.timedelta(hours=2)), "visited_at", "visit.future"),
    (dict(visited_at="昨天"), "visited_at", "visit.bad_when"),
    (dict(duties=[]), "duties", "visit.no_duty"),
    (dict(duties=["gossip"]), "duties", "visit.bad_duty"),
    (dict(found="漏" * 10_000), "found", "invalid.text_too_long"),
    (dict(needs="要" * 10_000), "needs", "invalid.text_too_long"),
    (dict(met="人" * 10_000), "met", "invalid.text_too_long"),
    (dict(follow_up_due=YESTERDAY.date() - dt.timedelta(days=1)), "follow_up_due",
     "visit.bad_follow_up"),
])
def test_bad_input_is_refused_and_nothing_is_saved(home, duty_session, changes, field,
                                                    key):
    events = Event.select().count()
    error = refused(key, log_visit, form(home, **changes), duty_session)
    assert error.field == field
    assert Visit.select().count() == 0
    assert Event.select().count() == events


def test_only_the_household_s_own_people_are_met_by_reference(home, station, duty_session):
    stranger = Resident.create(name="过路人")
    refused("visit.met_elsewhere", log_visit, form(home, met_resident_id=stranger.id),
            duty_session)


def test_no_visit_before_the_household_existed(station, head_session, duty_session):
    household = add_household(HouseholdForm("02007", "2"), head_session)
    error = refused("visit.before_household", log_visit,
                    form(household, visited_at=YESTERDAY), duty_session)
    assert now().date().isoformat() in error.message
    assert log_visit(form(household, visited_at=now().replace(second=0)), duty_session)


def test_a_household_of_another_station_is_not_visited(home, duty_session):
    _, other_head = set_up_station(SetupForm(station_name="东风村便民服务站",
                                             group_count="1", admin_name="赵站长",
                                             admin_login="other-head"))
    refused("guard.other_station", log_visit, form(home), acting(other_head))
    refused("visit.no_household", log_visit, VisitForm(home.id + 99, YESTERDAY,
                                                       [Duty.POLICY]), duty_session)


def test_a_visit_is_corrected_by_its_cadre_or_the_head(home, station, duty_session,
                                                       head_session, hua):
    visit = log_visit(form(home), duty_session)
    refused("guard.own_only", edit_visit, visit.id, visit.version,
            form(home, found="改"), acting(hua))
    visit = edit_visit(visit.id, visit.version, form(home, found="屋顶已修好"), duty_session)
    assert (visit.found, visit.version) == ("屋顶已修好", 2)
    visit = edit_visit(visit.id, visit.version, form(home, duties=[Duty.DISPUTES]),
                       head_session)
    assert visit.duties == [Duty.DISPUTES] and visit.cadre_id == duty_session.cadre_id
    refused("visit.no_duty", edit_visit, visit.id, visit.version, form(home, duties=[]),
            head_session)
    assert Visit.get_by_id(visit.id).duties == [Duty.DISPUTES]


def test_tags_are_set_as_a_whole(home, duty_session):
    assert set_household_tags(home.id, [Tag.DIBAO, Tag.ALONE_ELDERLY], duty_session) \
        == sorted([Tag.DIBAO, Tag.ALONE_ELDERLY])
    set_household_tags(home.id, [Tag.ALONE_ELDERLY, Tag.SANLAO], duty_session)
    assert household_tags(home.id, station_id=our_station()) == sorted([Tag.ALONE_ELDERLY, Tag.SANLAO])
    refused("visit.bad_tag", set_household_tags, home.id, ["vip"], duty_session)
    assert HouseholdTag.select().count() == 2
    set_household_tags(home.id, [], duty_session)
    assert household_tags(home.id, station_id=our_station()) == []


def test_every_tag_and_duty_has_its_words():
    assert [t(f"tag.{tag}") for tag in Tag] == [
        "低保户", "特困/五保", "独居老人", "留守儿童", "留守妇女", "残疾人", "困难户", "三老"]
    assert [t(f"five_duty.{duty}") for duty in Duty] == [
        "政策宣讲", "惠农政策落实", "民事代办", "产业开发", "纠纷调解"]


def test_the_tightest_rule_applies(home, head_session, duty_session):
    assert rule_for(home.id, station_id=our_station()) == Rule(DEFAULT_VISITS, DEFAULT_PER_DAYS)  # the county's
    set_visit_rule("", 1, MONTH, head_session)
    set_visit_rule(Tag.ALONE_ELDERLY, 1, WEEK, head_session)
    set_visit_rule(Tag.DIBAO, 2, MONTH, head_session)
    assert rule_for(home.id, station_id=our_station()) == Rule(1, MONTH)
    set_household_tags(home.id, [Tag.DIBAO], duty_session)
    assert rule_for(home.id, station_id=our_station()) == Rule(2, MONTH)
    set_household_tags(home.id, [Tag.DIBAO, Tag.ALONE_ELDERLY], duty_session)
    assert rule_for(home.id, station_id=our_station()) == Rule(1, WEEK)
    set_visit_rule(Tag.ALONE_ELDERLY, None, None, head_session)  # its own rule dropped
    assert rule_for(home.id, station_id=our_station()) == Rule(2, MONTH)
    set_visit_rule(Tag.DIBAO, 1, 60, head_session)  # looser than the station's: no effect
    assert rule_for(home.id, station_id=our_station()) == Rule(1, MONTH)


@pytest.mark.parametrize("tag, visits, per_days, key", [
    ("", None, None, "visit.bad_visits"),  # the station's rule stays
    ("", 0, 7, "visit.bad_visits"),
    ("", 32, 7, "visit.bad_visits"),
    ("", 2, 10_000, "visit.bad_per_days"),
    ("", 2, 0, "visit.bad_per_days"),
    ("", True, 7, "visit.bad_visits"),
    ("vip", 1, 7, "visit.bad_tag"),
])
def test_bad_rules_are_refused(station, head_session, tag, visits, per_days, key):
    refused(key, set_visit_rule, tag, visits, per_days, head_session)


def test_the_rules_are_the_head_s(station, duty_session):
    refused("guard.head_only", set_visit_rule, "", 1, MONTH, duty_session)


def test_a_need_becomes_an_errand_linked_both_ways(home, station, duty_session):
    visit = log_visit(form(home), duty_session)
    need = visit_need(visit.id, station_id=our_station())  # nobody named as met: the head of household
    assert need.resident_id == Resident.get(Resident.name == "张大山").id
    assert need.note == "想办医保报销"
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "城乡居民医保费用报销"))
    errand = errand_from_visit(visit.id, need.form(item.id, "carried"), duty_session)
    assert (errand.resident_id, errand.note, errand.mode) == (need.resident_id,
                                                              "想办医保报销", "carried")
    assert errands_of_visit(visit.id, station_id=our_station()) == [errand]
    assert visit_of_errand(errand.id, station_id=our_station()) == visit
    assert Event.get((Event.entity == "visit") & (Event.action == "errand")).detail == {
        "errand": errand.number}


def test_the_person_met_is_whom_the_errand_is_for(home, duty_session):
    wife = Resident.get(Resident.name == "李秀英")
    visit = log_visit(form(home, met_resident_id=wife.id), duty_session)
    assert visit_need(visit.id, station_id=our_station()).resident_id == wife.id


def test_an_errand_refused_leaves_no_link(home, station, duty_session):
    visit = log_visit(form(home), duty_session)
    need = visit_need(visit.id, station_id=our_station())
    refused("intake.bad_mode", errand_from_visit, visit.id, need.form(1, "teleport"),
            duty_session)
    assert Errand.select().count() == VisitErrand.select().count() == 0


def test_a_cadre_who_left_logs_nothing(home, duty_session):
    Cadre.update(active=False).where(Cadre.id == duty_session.cadre_id).execute()
    refused("guard.inactive", log_visit, form(home), duty_session)


# ---- what the visit form's fields say, and the household's file ----

def test_when_and_the_follow_up_as_cadres_write_them():
    moment = visit_time("")
    assert abs((now() - moment).total_seconds()) < 61 and moment.second == 0
    assert visit_time("2025-11-03 9:30") == dt.datetime(2025, 11, 3, 9, 30)
    assert visit_time("２０２５－１１－０３　９：３０") == dt.datetime(2025, 11, 3, 9, 30)
    refused("invalid.when_invalid", visit_time, "昨天下午")
    refused("invalid.when_invalid", visit_time, "11-31 9:00")
    assert follow_up_day("") is None
    assert follow_up_day("2025-12-01") == dt.date(2025, 12, 1)
    assert follow_up_day("12-01") == dt.date(now().year, 12, 1)
    refused("visit.bad_day", follow_up_day, "下周")
    refused("visit.bad_day", follow_up_day, "99999-1-1")


def test_the_rules_as_the_head_writes_them_all_or_none(station, head_session):
    assert written_rule(" ２/７ ") == (2, 7) and written_rule("") is None
    set_visit_rules({"": "1/30", Tag.ALONE_ELDERLY: "1/7", Tag.DIBAO: ""}, head_session)
    assert rule_for_tags(station, [Tag.ALONE_ELDERLY]) == Rule(1, 7)
    assert rule_for_tags(station, []) == Rule(1, 30)
    # a bad one anywhere: none of them changes
    refused("rules.bad", set_visit_rules, {"": "2/7", Tag.DIBAO: "两次"}, head_session)
    refused("visit.bad_visits", set_visit_rules, {"": "2/7", Tag.DIBAO: "99/7"}, head_session)
    refused("rules.bad", set_visit_rules, {"": ""}, head_session)
    assert rule_for_tags(station, []) == Rule(1, 30)
    # a tag left empty drops its own rule
    set_visit_rules({"": "1/30", Tag.ALONE_ELDERLY: ""}, head_session)
    assert rule_for_tags(station, [Tag.ALONE_ELDERLY]) == Rule(1, 30)


def rule_for_tags(station, tags) -> Rule:
    from models.village.visits import tightest, visit_rules
    return tightest(visit_rules(station.id), tags)


def test_the_households_file_beside_the_visit(home, station, duty_session):
    set_household_tags(home.id, [Tag.DIBAO], duty_session)
    older = log_visit(form(home, visited_at=YESTERDAY - dt.timedelta(days=3), needs=""),
                      duty_session)
    visit = log_visit(form(home), duty_session)
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "城乡居民医保费用报销"))
    need = visit_need(visit.id, station_id=our_station())
    errand = errand_from_visit(visit.id, need.form(item.id, "carried"), duty_session)
    Resident.create(household=home, name="张小山", relation="子", status="deceased")
    file = household_file(home.id, visit.id, station_id=our_station())
    assert [m.name for m in file.members] == ["张大山", "李秀英"]  # the head first, the living
    assert (file.head.name, file.tags, file.rule) == ("张大山", [Tag.DIBAO],
                                                     Rule(DEFAULT_VISITS, DEFAULT_PER_DAYS))
    assert [v.id for v in file.last_visits] == [visit.id, older.id]
    assert [e.id for e in file.open_errands] == [e.id for e in file.visit_errands] == [errand.id]
    assert household_file(home.id, station_id=our_station()).visit_errands == []
    head = Resident.get(Resident.name == "张大山")
    assert resident_household_file(head.id, station_id=our_station()).household.id == home.id
    assert resident_household_file(Resident.create(name="无户").id,
                                   station_id=our_station()) is None
