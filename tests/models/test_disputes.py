"""Disputes (矛盾纠纷排查调处): recording one with its parties, mediating it, moving
it on by the one move table, escalating it, a visit's dispute linked both ways,
what the home screen and the month summary count."""
from __future__ import annotations

import datetime as dt

import pytest

from models.core.entities import Cadre, Event, VillagerGroup, now
from models.core.history import StaleEdit
from models.duty.summary import cadre_month_summary
from models.people.entities import Household, Resident
from models.village.dispute_lists import (
    dispute_counts,
    dispute_detail,
    dispute_list,
    disputes_needing_attention,
    disputes_of_visit,
)
from models.village.disputes import (
    MOVES,
    DisputeForm,
    DisputeMove,
    PartyForm,
    SessionForm,
    dispute_from_visit,
    dispute_parties,
    edit_dispute,
    hold_session,
    move_dispute,
    record_dispute,
    record_escalation_result,
)
from models.village.entities import (
    Dispute,
    DisputeKind,
    DisputeParty,
    DisputeStatus,
    Escalation,
    MediationSession,
    Risk,
    Visit,
)
from models.village.visits import VisitForm, log_visit
from tests.models.conftest import refused
from tests.actors import our_station

S = DisputeStatus
TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def neighbours(station):
    """Two households of group 1: 张大山 and 李老四, at odds over a boundary."""
    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1))
    people = []
    for number, name in (("01001", "张大山"), ("01002", "李老四")):
        household = Household.create(group=group, number=number)
        people.append(Resident.create(household=household, name=name, relation="户主"))
    return people


def form(people, **changes) -> DisputeForm:
    values = dict(title="宅基地界址争议", kind=DisputeKind.LAND, risk=Risk.MEDIUM,
                  parties=[PartyForm(p.id) for p in people] + [PartyForm(name="王外地")],
                  summary="两家为院墙位置争执", found_on=YESTERDAY)
    return DisputeForm(**{**values, **changes})


def count_rows() -> tuple[int, ...]:
    return tuple(model.select().count() for model in
                 (Dispute, DisputeParty, MediationSession, Escalation, Event))


def test_a_cadre_records_a_dispute(neighbours, duty_session):
    dispute = record_dispute(form(neighbours, title="  宅基地\x1b]0;x\x07界址  "), duty_session)
    assert dispute.number == f"JF{YESTERDAY.year}-0001"
    assert (dispute.status, dispute.owner_id, dispute.found_on) == (
        S.FOUND, duty_session.cadre_id, YESTERDAY)
    assert dispute.title == "宅基地]0;x界址"
    assert dispute.review_due == YESTERDAY + dt.timedelta(days=7)  # medium risk
    assert dispute_parties(dispute.id) == [PartyForm(neighbours[0].id),
                                           PartyForm(neighbours[1].id),
                                           PartyForm(name="王外地")]
    assert record_dispute(form(neighbours), duty_session).number.endswith("-0002")
    event = Event.get((Event.entity == "dispute") & (Event.entity_id == dispute.id))
    assert (event.action, event.actor_id) == ("create", duty_session.cadre_id)


def test_high_risk_is_reviewed_sooner_and_a_review_date_may_be_given(neighbours, head):
    assert record_dispute(form(neighbours, risk=Risk.HIGH), head).review_due == \
        YESTERDAY + dt.timedelta(days=3)
    given = TODAY + dt.timedelta(days=30)
    assert record_dispute(form(neighbours, review_due=given), head).review_due == given


@pytest.mark.parametrize("changes, key", [
    ({"parties": []}, "dispute.no_party"),
    ({"parties": [PartyForm(name="   ")]}, "dispute.no_party"),
    ({"parties": [PartyForm(99999)]}, "dispute.no_resident"),
    ({"parties": [PartyForm(name="王" * 41)]}, "invalid.text_too_long"),
    ({"title": ""}, "invalid.text_empty"),
    ({"title": "争" * 10_000}, "invalid.text_too_long"),
    ({"summary": "情况" * 5_000}, "invalid.text_too_long"),
    ({"kind": "feud"}, "dispute.bad_kind"),
    ({"risk": "extreme"}, "dispute.bad_risk"),
    ({"found_on": TODAY + dt.timedelta(days=1)}, "dispute.future"),
    ({"found_on": now()}, "dispute.bad_day"),
    ({"review_due": YESTERDAY - dt.timedelta(days=1)}, "dispute.bad_review"),
])
def test_bad_input_is_refused_and_nothing_saved(neighbours, head, changes, key):
    before = count_rows()
    refused(key, record_dispute, form(neighbours, **changes), head)
    assert count_rows() == before


def test_the_message_about_too_long_text_says_how_long(neighbours, head):
    error = refused("invalid.text_too_long", record_dispute,
                    form(neighbours, title="争" * 10_000), head)
    assert "10000" in error.message and "60" in error.message


def test_a_resident_of_another_station_is_no_party(neighbours, head):
    from models.station.setup import SetupForm, set_up_station
    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                        admin_name="赵站长"))
    group = VillagerGroup.get(VillagerGroup.station == other)
    stranger = Resident.create(household=Household.create(group=group, number="09001"),
                               name="赵外村")
    refused("guard.other_station", record_dispute, form([stranger]), head)


def test_mediating_and_settling(neighbours, duty_session):
    dispute = record_dispute(form(neighbours), duty_session)
    session = hold_session(dispute.id, SessionForm(TODAY, "村委会调解室", "双方、调解员",
                                                   "各让半米", TODAY + dt.timedelta(days=5)),
                           duty_session)
    assert (session.place, session.cadre_id) == ("村委会调解室", duty_session.cadre_id)
    dispute = Dispute.get_by_id(dispute.id)
    assert dispute.status == S.MEDIATING  # a session moves a found dispute on
    assert dispute.review_due == TODAY + dt.timedelta(days=5)
    refused("invalid.text_empty", move_dispute, dispute.id, dispute.version,
            DisputeMove(S.SETTLED), duty_session)
    settled = move_dispute(dispute.id, dispute.version,
                           DisputeMove(S.SETTLED, agreement="院墙后退半米，费用各半"),
                           duty_session)
    assert (settled.status, settled.agreement, settled.closed_by_id) == (
        S.SETTLED, "院墙后退半米，费用各半", duty_session.cadre_id)
    assert settled.closed_at is not None
    detail = dispute_detail(dispute.id, station_id=our_station())
    assert [s.place for s in detail.sessions] == ["村委会调解室"]
    assert detail.parties == ["张大山", "李老四", "王外地"]
    assert detail.moves == (S.MEDIATING,)
    assert [e.action for e in detail.events] == ["create", "session", "status", "status"]


def test_a_session_on_a_closed_dispute_is_refused(neighbours, head):
    dispute = record_dispute(form(neighbours), head)
    dispute = move_dispute(dispute.id, dispute.version,
                           DisputeMove(S.WITHDRAWN, reason="双方已和好"), head)
    before = count_rows()
    refused("dispute.closed_no_session", hold_session, dispute.id,
            SessionForm(TODAY, "村委会", "双方"), head)
    assert count_rows() == before


@pytest.mark.parametrize("changes, key", [
    ({"held_on": TODAY + dt.timedelta(days=1)}, "dispute.future"),
    ({"held_on": YESTERDAY - dt.timedelta(days=1)}, "dispute.before_found"),
    ({"place": ""}, "invalid.text_empty"),
    ({"participants": "人" * 10_000}, "invalid.text_too_long"),
    ({"agreed": "议" * 10_000}, "invalid.text_too_long"),
    ({"next_review": YESTERDAY - dt.timedelta(days=1)}, "dispute.bad_next_review"),
])
def test_a_bad_session_is_refused_and_nothing_saved(neighbours, head, changes, key):
    dispute = record_dispute(form(neighbours), head)
    before = count_rows()
    values = dict(held_on=TODAY, place="村委会", participants="双方")
    refused(key, hold_session, dispute.id, SessionForm(**{**values, **changes}), head)
    assert count_rows() == before
    assert Dispute.get_by_id(dispute.id).status == S.FOUND


def _at(dispute: Dispute, status: str) -> Dispute:
    Dispute.update(status=status).where(Dispute.id == dispute.id).execute()
    return Dispute.get_by_id(dispute.id)


@pytest.mark.parametrize("start", list(S))
def test_only_the_moves_of_the_table_are_allowed(neighbours, head, start):
    dispute = record_dispute(form(neighbours), head)
    for to in S:
        dispute = _at(dispute, start)
        move = DisputeMove(to, agreement="协议", to_whom="镇司法所", reason="原因")
        if to in MOVES[start]:
            assert move_dispute(dispute.id, dispute.version, move, head).status == to
        else:
            error = refused("dispute.illegal_move", move_dispute, dispute.id,
                            dispute.version, move, head)
            assert Dispute.get_by_id(dispute.id).status == start
            assert "“" in error.message


def test_withdrawing_and_reopening_need_a_reason(neighbours, head):
    dispute = record_dispute(form(neighbours), head)
    refused("invalid.text_empty", move_dispute, dispute.id, dispute.version,
            DisputeMove(S.WITHDRAWN), head)
    dispute = move_dispute(dispute.id, dispute.version,
                           DisputeMove(S.WITHDRAWN, reason="当事人撤回"), head)
    refused("invalid.text_empty", move_dispute, dispute.id, dispute.version,
            DisputeMove(S.FOUND, reason=" "), head)
    reopened = move_dispute(dispute.id, dispute.version,
                            DisputeMove(S.FOUND, reason="又吵起来了"), head)
    assert (reopened.status, reopened.closed_at, reopened.closed_by_id) == (S.FOUND, None, None)
    notes = [e.detail for e in Event.select().where(
        (Event.entity == "dispute") & (Event.action == "note")).order_by(Event.id)]
    assert notes == [{"reason": "当事人撤回"}, {"reason": "又吵起来了"}]


def test_a_stale_move_is_refused(neighbours, head, duty_session):
    dispute = record_dispute(form(neighbours), head)
    move_dispute(dispute.id, dispute.version, DisputeMove(S.MEDIATING), duty_session)
    with pytest.raises(StaleEdit):
        move_dispute(dispute.id, dispute.version,
                     DisputeMove(S.WITHDRAWN, reason="撤回"), head)


def test_escalation_and_the_townships_result(neighbours, duty_session):
    dispute = record_dispute(form(neighbours, risk=Risk.HIGH), duty_session)
    refused("invalid.text_empty", move_dispute, dispute.id, dispute.version,
            DisputeMove(S.ESCALATED), duty_session)
    refused("dispute.future", move_dispute, dispute.id, dispute.version,
            DisputeMove(S.ESCALATED, to_whom="镇司法所",
                        escalated_on=TODAY + dt.timedelta(days=1)), duty_session)
    assert Escalation.select().count() == 0
    escalated = move_dispute(dispute.id, dispute.version,
                             DisputeMove(S.ESCALATED, to_whom="城关镇司法所 刘所长"),
                             duty_session)
    assert escalated.status == S.ESCALATED
    escalation = Escalation.get(Escalation.dispute == dispute.id)
    assert (escalation.to_whom, escalation.escalated_on, escalation.result) == (
        "城关镇司法所 刘所长", TODAY, "")
    # at the township awaiting its result: still among the open ones, not on home
    assert [r.dispute.id for r in dispute_list(dispute.station_id)] == [dispute.id]
    assert disputes_needing_attention(dispute.station_id).count == 0
    refused("invalid.text_empty", record_escalation_result, escalation.id,
            escalation.version, "", duty_session)
    answered = record_escalation_result(escalation.id, escalation.version,
                                        "镇里调解成功", duty_session)
    assert answered.result == "镇里调解成功"
    assert dispute_list(dispute.station_id) == []
    assert [r.dispute.id for r in dispute_list(dispute.station_id, open_only=False)] == [
        dispute.id]
    with pytest.raises(StaleEdit):
        record_escalation_result(escalation.id, escalation.version, "又一次", duty_session)


def test_a_dispute_found_on_a_visit_is_linked_both_ways(neighbours, duty_session):
    visited = now().replace(second=0) - dt.timedelta(days=2)
    visit = log_visit(VisitForm(neighbours[0].household_id, visited, ["disputes"],
                                needs="和邻居为院墙吵架"), duty_session)
    refused("dispute.before_found", dispute_from_visit, visit.id,
            form(neighbours, found_on=visited.date() - dt.timedelta(days=1)), duty_session)
    dispute = dispute_from_visit(visit.id, form(neighbours, found_on=None), duty_session)
    assert (dispute.visit_id, dispute.found_on) == (visit.id, visited.date())
    assert [d.id for d in disputes_of_visit(visit.id, station_id=our_station())] == [dispute.id]
    assert dispute_detail(dispute.id, station_id=our_station()).visit.id == visit.id
    event = Event.get((Event.entity == "visit") & (Event.action == "dispute"))
    assert event.detail == {"dispute": dispute.number}
    before = count_rows()
    refused("visit.gone", dispute_from_visit, 99999, form(neighbours), duty_session)
    assert count_rows() == before


def test_editing_a_dispute_and_its_parties(neighbours, head, duty_session):
    dispute = record_dispute(form(neighbours), duty_session)
    edited = edit_dispute(dispute.id, dispute.version,
                          form(neighbours, risk=Risk.HIGH, title="院墙纠纷",
                               parties=[PartyForm(neighbours[0].id)]), head)
    assert (edited.title, edited.risk, edited.version) == ("院墙纠纷", Risk.HIGH, 2)
    assert dispute_parties(dispute.id) == [PartyForm(neighbours[0].id)]
    actions = [e.action for e in Event.select().where(Event.entity == "dispute")]
    assert actions == ["create", "edit", "parties"]
    with pytest.raises(StaleEdit):
        edit_dispute(dispute.id, dispute.version, form(neighbours), head)
    before = count_rows()
    refused("dispute.no_party", edit_dispute, dispute.id, edited.version,
            form(neighbours, parties=[]), head)
    assert count_rows() == before and dispute_parties(dispute.id) == [
        PartyForm(neighbours[0].id)]


def test_worst_first_and_what_home_shows(neighbours, head):
    def made(title, risk, review_due, status=S.FOUND):
        dispute = record_dispute(form(neighbours, title=title, risk=risk,
                                      found_on=YESTERDAY - dt.timedelta(days=30),
                                      review_due=review_due), head)
        return _at(dispute, status).id

    calm = made("平常", Risk.LOW, TODAY + dt.timedelta(days=9))
    overdue = made("逾期", Risk.LOW, YESTERDAY)
    high = made("高风险", Risk.HIGH, TODAY + dt.timedelta(days=9))
    medium = made("中等", Risk.MEDIUM, TODAY + dt.timedelta(days=9), S.MEDIATING)
    settled = made("已调解的高风险", Risk.HIGH, YESTERDAY, S.SETTLED)
    station = Dispute.get_by_id(calm).station_id
    rows = dispute_list(station)
    assert [r.dispute.id for r in rows] == [high, overdue, medium, calm]
    assert [r.stands_out(TODAY) for r in rows] == [True, True, False, False]
    assert rows[0].parties == ["张大山", "李老四", "王外地"]
    assert [r.dispute.id for r in dispute_list(station, open_only=False)][-1] == settled
    attention = disputes_needing_attention(station)
    assert (attention.count, [r.dispute.id for r in attention.rows]) == (2, [high, overdue])


def test_counts_per_cadre_for_a_month(neighbours, head, duty_session):
    first = record_dispute(form(neighbours), duty_session)
    record_dispute(form(neighbours), duty_session)
    third = record_dispute(form(neighbours), head)
    hold_session(first.id, SessionForm(TODAY, "村委会", "双方"), duty_session)
    first = Dispute.get_by_id(first.id)
    move_dispute(first.id, first.version, DisputeMove(S.SETTLED, agreement="和解"), head)
    move_dispute(third.id, third.version, DisputeMove(S.ESCALATED, to_whom="镇司法所"),
                 duty_session)
    month_first = YESTERDAY.replace(day=1)
    after = (month_first + dt.timedelta(days=32)).replace(day=1)
    # the counts of yesterday's month and today's (a month boundary between them)
    found = dispute_counts(first.station_id, month_first, after)
    closed = dispute_counts(first.station_id, TODAY.replace(day=1),
                            (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1))
    duty, boss = duty_session.cadre_id, head.cadre_id
    assert (found[duty].found, found[boss].found) == (2, 1)
    assert (closed[boss].settled, closed[duty].escalated, closed[duty].settled) == (1, 1, 0)
    summary = {row.cadre_id: row for row in cadre_month_summary(
        first.station_id, TODAY.year, TODAY.month)}
    assert summary[boss].disputes.settled == 1
    assert summary[duty].disputes.escalated == 1
    assert dispute_counts(first.station_id, after + dt.timedelta(days=40),
                          after + dt.timedelta(days=70)) == {}


def test_a_deactivated_cadre_records_nothing(neighbours, duty_session):
    Cadre.update(active=False).where(Cadre.id == duty_session.cadre_id).execute()
    refused("guard.inactive", record_dispute, form(neighbours), duty_session)
    assert Visit.select().count() == 0 and Dispute.select().count() == 0


def test_the_audit_names_the_dispute(neighbours, head, duty_session):
    from models.core.audit import AuditFilter, audit_page
    dispute = record_dispute(form(neighbours), duty_session)
    rows = audit_page(head, AuditFilter(cadre_id=duty_session.cadre_id)).rows
    assert [(row.event.entity, row.subject) for row in rows] == [
        ("dispute", f"{dispute.number} 宅基地界址争议")]
