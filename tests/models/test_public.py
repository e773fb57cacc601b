"""The hall's public screen, below the screens: a lookup shows one errand to whoever
holds its receipt number and phone digits, and nobody else anything; guessing is
paused; the trail keeps every lookup but never the digits typed. The head keeps
the policies and publications the hall shows."""
from __future__ import annotations

import datetime as dt

import pytest

from models.core.audit import AuditFilter, audit_page
from models.core.entities import Cadre, Event
from models.core.session import PublicActor
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import Move, advance
from models.errands.public_lookup import (
    LookupLimiter,
    find_errand,
    look_up,
    receipt_number,
    record_lookup,
)
from models.people.residents import ResidentForm, register_resident
from models.public.board import (
    PolicyForm,
    PublicationForm,
    add_notice,
    notices_of,
    public_policies,
    public_publications,
    set_notice_active,
    update_notice,
)
from models.public.hall import hall_facts, hall_station, lunar_day
from models.station.pins import head_pin_matches, set_pin
from models.station.setup import SetupForm, set_up_station
from .conftest import refused


@pytest.fixture
def errand(station, head):
    person = register_resident(ResidentForm(name="张三", phone="138 1234 5678"), head)
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "城乡居民医保费用报销"))
    return register_errand(IntakeForm(person.id, item.id, "carried", ["身份证"], ["身份证"]),
                           station.id, head)


@pytest.fixture
def hall(station):
    return PublicActor(station.id)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_receipt_number_and_phone_digits_find_only_that_errand(errand, hall):
    found = look_up(errand.number, "5678", hall, LookupLimiter()).errand
    assert found is not None
    assert (found.number, found.item, found.status) == (errand.number, "城乡居民医保费用报销",
                                                        "已登记")
    assert found.due_date == errand.due_date and not found.closed
    materials = {m.name: m.received for m in ErrandMaterial.select()
                 .where(ErrandMaterial.errand == errand.id)}
    assert found.held == ["身份证"]
    assert found.to_bring == [name for name, got in materials.items() if not got]
    assert found.to_bring  # the item asks for more than the ID card


@pytest.mark.parametrize("typed", ["2026000001", "2026-000001", "2026 1", "２０２６１"])
def test_a_receipt_number_may_be_typed_in_digits_only(typed):
    assert receipt_number(typed) == "2026-000001"


def test_a_wrong_pair_is_the_same_not_found(errand, hall, station):
    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                        admin_name="赵站长", admin_login="other-head"))
    year = errand.number[:4]
    for number, digits in [(errand.number, "5679"), (errand.number, ""),
                           (errand.number, "45678"), (f"{year}-999999", "5678"),
                           ("", "5678"), ("abc", "x")]:
        assert find_errand(station.id, receipt_number(number), digits) is None
    assert find_errand(other.id, errand.number, "5678") is None  # another station's hall


def test_a_villager_without_a_phone_cannot_be_found(station, head, hall):
    person = register_resident(ResidentForm(name="李四"), head)
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "城乡居民医保费用报销"))
    mine = register_errand(IntakeForm(person.id, item.id, "carried"), station.id, head)
    assert find_errand(station.id, mine.number, "") is None
    assert find_errand(station.id, mine.number, "0000") is None


def test_a_closed_errand_asks_for_nothing_more(errand, hall, head):
    Errand.update(status="delivered").where(Errand.id == errand.id).execute()
    found = find_errand(hall.station_id, errand.number, "5678")
    assert found.closed and found.to_bring == [] and found.status == "已送达"


def test_status_words_follow_the_errand(errand, hall, head):
    advance(errand.id, errand.version, Move("in_progress"), head)
    found = find_errand(hall.station_id, errand.number, "5678")
    assert (found.status, found.explained) == ("办理中", "正在办理")


def test_every_lookup_is_in_the_trail_without_the_digits(errand, hall, head):
    limiter = LookupLimiter()
    look_up(errand.number, "5678", hall, limiter)
    look_up(errand.number, "9999", hall, limiter)
    events = list(Event.select().where(Event.entity == "public").order_by(Event.id))
    assert [(e.entity_id, e.action, e.actor_id, e.detail) for e in events] == [
        (hall.station_id, "lookup", None, {"number": errand.number, "found": True}),
        (hall.station_id, "lookup", None, {"number": errand.number, "found": False})]
    assert not any("5678" in str(e.detail) or "9999" in str(e.detail) for e in events)
    # the head reads them in the audit, also by the errand's number
    for wanted in (AuditFilter(), AuditFilter(errand_number=errand.number)):
        page = audit_page(head, wanted)
        assert sum(row.event.entity == "public" for row in page.rows) == 2


def test_five_wrong_tries_in_a_minute_pause_the_lookup(errand, hall):
    clock = Clock()
    limiter = LookupLimiter(clock=clock)
    for _ in range(5):
        assert look_up(errand.number, "0000", hall, limiter).paused == 0
        clock.now += 5
    answer = look_up(errand.number, "5678", hall, limiter)  # even the right pair
    assert answer.errand is None and answer.paused > 0
    lookups = Event.select().where(Event.entity == "public").count()
    assert lookups == 5  # nothing looked up while paused
    clock.now += answer.paused
    assert look_up(errand.number, "5678", hall, limiter).errand is not None


def test_wrong_tries_spread_out_do_not_pause(errand, hall):
    clock = Clock()
    limiter = LookupLimiter(clock=clock)
    for _ in range(12):
        assert look_up(errand.number, "0000", hall, limiter).paused == 0
        clock.now += 20  # five of them span more than a minute
    assert look_up(errand.number, "5678", hall, limiter).errand is not None


def test_the_public_actor_writes_only_its_lookups(station, hall, head, errand):
    with pytest.raises(TypeError):  # a cadre's write refuses the hall
        advance(errand.id, errand.version, Move("in_progress"), hall)
    with pytest.raises(TypeError):  # and the hall's write refuses a cadre
        record_lookup(errand.number, True, head)
    assert not Event.select().where(Event.entity == "public").exists()


def test_the_head_keeps_policies_searched_by_pinyin(station, head, duty_session):
    policy = add_notice(PolicyForm("城乡低保金", "家庭人均收入低于当地低保标准",
                                   "身份证、户口簿", "村便民服务站", "每人每月 600 元",
                                   "dibao"), head)
    add_notice(PolicyForm("耕地地力保护补贴", amount="每亩 100 元"), head)
    assert [p.title for p in public_policies(station.id, "dbj")] == ["城乡低保金"]
    assert [p.title for p in public_policies(station.id, "gengdi")] == ["耕地地力保护补贴"]
    assert len(public_policies(station.id)) == 2
    refused("guard.head_only", add_notice, PolicyForm("医疗救助"), duty_session)
    refused("policy.bad_tag", add_notice, PolicyForm("医疗救助", tag="rich"), head)
    refused("invalid.text_empty", add_notice, PolicyForm("  "), head)
    changed = update_notice(policy.id, policy.version,
                            PolicyForm("农村低保金", amount="每人每月 650 元"), head)
    assert [p.title for p in public_policies(station.id, "ncdbj")] == ["农村低保金"]
    with pytest.raises(Exception):  # a stale save
        update_notice(policy.id, policy.version, PolicyForm("别的"), head)
    set_notice_active("policy", changed.id, changed.version, False, head)
    assert [p.title for p in public_policies(station.id)] == ["耕地地力保护补贴"]
    assert [p.title for p in notices_of("policy", station.id)] == ["耕地地力保护补贴",
                                                                  "农村低保金"]
    actions = [e.action for e in Event.select().where(Event.entity == "policy")
               .order_by(Event.id)]
    assert actions == ["create", "create", "edit", "retire"]


def test_the_head_publishes_decisions_newest_first(station, head):
    today = dt.date.today()
    add_notice(PublicationForm("修建村道", (today - dt.timedelta(days=40)).isoformat(),
                               "村民会议决议修建 2 公里村道", ""), head)
    later = add_notice(PublicationForm("集体收益分红", today.isoformat(), "每户分红 300 元"),
                       head)
    assert [p.title for p in public_publications(station.id)] == ["集体收益分红", "修建村道"]
    refused("publication.future", add_notice,
            PublicationForm("明年的事", (today + dt.timedelta(days=1)).isoformat()), head)
    refused("publication.bad_day", add_notice, PublicationForm("某事", "昨天"), head)
    refused("publication.bad_day", add_notice,  # no overflow out of the date
            PublicationForm("某事", "9" * 40 + "-01-01"), head)
    update_notice(later.id, later.version,
                  PublicationForm("集体收益分红", today.isoformat(), "每户分红 300 元",
                                  "已发放到户"), head)
    assert public_publications(station.id)[0].result == "已发放到户"


def test_the_hall_home_says_the_station_and_the_lunar_day(station):
    facts = hall_facts(station.id, dt.datetime(2026, 2, 17, 9, 0))
    assert facts.station_name == "红旗村便民服务站"
    assert facts.today == "2026年2月17日 星期二"
    assert facts.lunar == "农历正月初一"  # 春节 2026
    assert lunar_day(dt.date(2025, 7, 25)) == "农历闰六月初一"


def test_the_hall_is_the_only_station_or_the_one_named(station):
    assert hall_station().id == station.id
    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", admin_name="东站长",
                                        admin_login="dong", group_count="1"))
    refused("public.which_station", hall_station)  # a township server: which hall?
    assert hall_station("东风村便民服务站").id == other.id
    assert hall_station(" 红旗村便民服务站 ").id == station.id
    refused("public.which_station", hall_station, "西山村")


def test_the_operator_leaves_with_a_heads_pin(station, head, duty_session):
    assert not head_pin_matches(station.id, "2468")  # no PIN set yet
    set_pin(head.cadre_id, "2468", head)
    set_pin(duty_session.cadre_id, "1357", duty_session)
    assert head_pin_matches(station.id, "2468")
    assert not head_pin_matches(station.id, "1357")  # a duty cadre's PIN does not
    Cadre.update(active=False).where(Cadre.id == head.cadre_id).execute()
    assert not head_pin_matches(station.id, "2468")



def test_a_groups_policy_cards_name_what_concerns_each_household(station, head):
    from models.people.entities import Household
    from models.public.cards import policy_cards, policy_cards_html
    from models.village.visits import set_household_tags
    register_resident(ResidentForm(name="刘大[/bar]", household_number="01001",
                                   group_number="1", relation="户主"), head)
    register_resident(ResidentForm(name="刘二", household_number="01002",
                                   group_number="1", relation="户主"), head)
    set_household_tags(Household.get(Household.number == "01002").id, ["dibao"], head)
    add_notice(PolicyForm("耕地地力保护补贴", amount="每亩 105 元"), head)
    add_notice(PolicyForm("城乡低保金", amount="每人每月 520 元<b>", tag="dibao"), head)
    withdrawn = add_notice(PolicyForm("已停的政策"), head)
    set_notice_active("policy", withdrawn.id, withdrawn.version, False, head)
    cards = policy_cards(station.id, 1)
    assert [(c.number, c.head, [p.title for p in c.policies]) for c in cards.cards] == [
        ("01001", "刘大[/bar]", ["耕地地力保护补贴"]),
        ("01002", "刘二", ["城乡低保金", "耕地地力保护补贴"])]
    page = policy_cards_html(cards)
    assert page.count('class="card"') == 2 and "每人每月 520 元&lt;b&gt;" in page
    assert "已停的政策" not in page
    refused("cards.no_group", policy_cards, station.id, 9)
