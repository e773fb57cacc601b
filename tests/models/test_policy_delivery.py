"""Policy delivery (惠农政策落实): the policies a visit explained or delivered,
what a household has had, and the tagged households a policy has not reached."""
from __future__ import annotations

import datetime as dt

import pytest

from models.core.entities import Event, VillagerGroup, now
from models.people.entities import Household, Resident
from models.public.entities import Policy
from models.station.setup import SetupForm, set_up_station
from models.village.entities import Delivery, Duty, PolicyDelivery, Tag, Visit
from models.village.policy_delivery import household_policies, policy_gaps
from models.village.visits import VisitForm, edit_visit, log_visit, set_household_tags
from tests.actors import acting
from tests.models.conftest import refused

YESTERDAY = now().replace(hour=10, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
EXPLAINED, DELIVERED = Delivery.EXPLAINED.value, Delivery.DELIVERED.value


def household(station, group_number: int, number: str, head: str, tags, actor) -> Household:
    group = VillagerGroup.get((VillagerGroup.station == station)
                              & (VillagerGroup.number == group_number))
    row = Household.create(group=group, number=number)
    Resident.create(household=row, name=head, relation="户主")
    set_household_tags(row.id, tags, actor)
    return row


@pytest.fixture
def village(station, head_session):
    """Four households (one whose 残疾人 tag was removed) and four policies (one
    retired)."""
    v = type("Village", (), {})()
    v.h1 = household(station, 1, "01001", "张大山", [Tag.DIBAO, Tag.DISABLED], head_session)
    v.h2 = household(station, 1, "01002", "李四", [Tag.DIBAO], head_session)
    v.h3 = household(station, 1, "01003", "王五", [Tag.DISABLED], head_session)
    set_household_tags(v.h3.id, [], head_session)
    v.h4 = household(station, 2, "02001", "赵六", [Tag.DIBAO], head_session)
    v.dibao = Policy.create(station=station, title="城乡低保金", tag=Tag.DIBAO, search_keys="a")
    v.disabled = Policy.create(station=station, title="残疾人两项补贴", tag=Tag.DISABLED,
                               search_keys="b")
    v.everyone = Policy.create(station=station, title="耕地地力保护补贴", search_keys="c")
    v.retired = Policy.create(station=station, title="旧低保政策", tag=Tag.DIBAO, active=False,
                              search_keys="d")
    return v


def form(row, policies, duties=(Duty.POLICY,)) -> VisitForm:
    return VisitForm(household_id=row.id, visited_at=YESTERDAY, duties=list(duties),
                     policies=policies)


def gaps(station, group_id=None) -> list[tuple[str, list[str]]]:
    return [(gap.policy.title, [h.number for h in gap.households])
            for gap in policy_gaps(group_id, station_id=station.id)]


def test_a_visit_records_the_policies_it_explained_and_delivered(station, village,
                                                                 duty_session):
    visit = log_visit(form(village.h1, [(village.dibao.id, EXPLAINED),
                                        (village.everyone.id, DELIVERED)]), duty_session)
    assert sorted(PolicyDelivery.select(PolicyDelivery.policy, PolicyDelivery.kind)
                  .where(PolicyDelivery.visit == visit.id).tuples()) == [
        (village.dibao.id, EXPLAINED), (village.everyone.id, DELIVERED)]
    assert Event.select().where((Event.entity == "visit") & (Event.entity_id == visit.id)
                                & (Event.action == "policies")).count() == 1
    lines = household_policies(village.h1.id, visit.id, station_id=station.id)
    assert [line.policy.title for line in lines] == ["城乡低保金", "残疾人两项补贴", "耕地地力保护补贴"]
    assert [(line.tagged_for, line.qualifies, line.on_visit) for line in lines] == [
        (True, True, EXPLAINED), (True, True, ""), (False, True, DELIVERED)]
    assert lines[0].last_explained == YESTERDAY and lines[0].last_delivered is None
    assert lines[2].last_delivered == YESTERDAY and not lines[2].never_explained
    assert lines[1].never_explained


@pytest.mark.parametrize("which, kind, duties, key", [
    ("retired", EXPLAINED, (Duty.POLICY,), "policy_delivery.unknown"),
    ("dibao", "told", (Duty.POLICY,), "policy_delivery.bad_kind"),
    ("dibao", EXPLAINED, (Duty.DISPUTES,), "policy_delivery.no_duty"),
])
def test_bad_policies_are_refused_and_no_visit_is_saved(station, village, duty_session,
                                                        which, kind, duties, key):
    policy = getattr(village, which)
    refused(key, log_visit, form(village.h1, [(policy.id, kind)], duties), duty_session)
    assert Visit.select().count() == 0


def test_another_station_s_policy_is_refused(station, village, duty_session):
    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                        admin_name="赵站长", admin_login="other-head"))
    theirs = Policy.create(station=other, title="东风村补贴")
    refused("policy_delivery.unknown", log_visit,
            form(village.h1, [(theirs.id, EXPLAINED)]), duty_session)
    refused("policy_delivery.twice", log_visit, form(village.h1, [
        (village.dibao.id, EXPLAINED), (village.dibao.id, DELIVERED)]), duty_session)


def test_the_visit_s_cadre_or_the_head_changes_its_policies(station, village, duty_session,
                                                            head_session, hua):
    visit = log_visit(form(village.h1, [(village.dibao.id, EXPLAINED)]), duty_session)
    refused("guard.own_only", edit_visit, visit.id, visit.version,
            form(village.h1, []), acting(hua))
    visit = edit_visit(visit.id, visit.version, form(village.h1, None, (Duty.BENEFITS,)),
                       head_session)  # None keeps them
    assert [(d.policy_id, d.kind) for d in visit.policies] == [(village.dibao.id, EXPLAINED)]
    refused("policy_delivery.no_duty", edit_visit, visit.id, visit.version,
            form(village.h1, None, (Duty.DISPUTES,)), head_session)
    visit = edit_visit(visit.id, visit.version,
                       form(village.h1, [(village.dibao.id, DELIVERED)]), duty_session)
    assert [(d.policy_id, d.kind) for d in visit.policies] == [(village.dibao.id, DELIVERED)]
    edit_visit(visit.id, visit.version, form(village.h1, []), duty_session)
    assert PolicyDelivery.select().count() == 0


def test_the_gaps_are_the_tagged_households_never_told(station, village, duty_session):
    log_visit(form(village.h2, [(village.dibao.id, EXPLAINED)]), duty_session)
    # h1 has two tags: first; h3's tag was removed; the retired policy and the one
    # for everyone are no gaps
    assert gaps(station) == [("城乡低保金", ["01001", "02001"]), ("残疾人两项补贴", ["01001"])]
    group_2 = VillagerGroup.get((VillagerGroup.station == station)
                                & (VillagerGroup.number == 2))
    assert gaps(station, group_2.id) == [("城乡低保金", ["02001"])]
    first = policy_gaps(station_id=station.id)[0]
    assert (first.count, first.households[0].head, first.households[0].tag_count,
            first.households[0].group) == (2, "张大山", 2, 1)
    log_visit(form(village.h1, [(village.disabled.id, DELIVERED)], (Duty.BENEFITS,)),
              duty_session)  # delivered counts as told
    assert gaps(station) == [("城乡低保金", ["01001", "02001"])]
    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                        admin_name="赵站长", admin_login="other-head"))
    assert policy_gaps(station_id=other.id) == []
