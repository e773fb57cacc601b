"""The station head's cadre list and villager groups: adding, editing, deactivating,
coverage history, and who may do it."""
import datetime as dt

import pytest

from models.core.entities import Cadre, GroupCoverage, VillagerGroup
from models.core.history import StaleEdit, history
from models.core.session import Role, session_for
from models.duty.entities import Shift
from models.duty.roster import plan_month, save_plan
from models.errands.entities import Errand, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import reassign
from models.people.residents import ResidentForm, register_resident
from models.station.cadres import (
    CadreForm,
    add_cadre,
    covering,
    open_errands_of,
    set_cadre_active,
    team,
    update_cadre,
)
from models.station.groups import GroupForm, add_group, group_rows, update_group
from models.station.setup import SetupForm, set_up_station
from models.station.team import SignInRefused, active_cadres, sign_in
from tests.actors import acting, our_station

from .conftest import refused

TODAY = dt.date.today()



@pytest.fixture
def groups(station):
    return list(VillagerGroup.select().order_by(VillagerGroup.number))


def row_of(cadre_id):
    cadre = Cadre.get_by_id(cadre_id)
    return next(r for r in team(cadre.station_id) if r.cadre.id == cadre_id)


def coverage_history(cadre_id):
    return row_of(cadre_id).coverage


def current_group_ids(cadre_id):
    return [g.id for g in row_of(cadre_id).groups]



def test_add_a_cadre_who_covers_two_groups(head, groups):
    li = add_cadre(CadreForm("李华", login="lihua", phone="139 0000 1111",
                             group_ids=[groups[0].id, groups[2].id]), head)
    assert (li.name, li.login, li.phone, li.role, li.active, li.stays_in_village) == \
        ("李华", "lihua", "13900001111", "duty", True, True)
    assert current_group_ids(li.id) == [groups[0].id, groups[2].id]
    assert [(r.group.number, r.since, r.until) for r in coverage_history(li.id)] == \
        [(1, TODAY, None), (3, TODAY, None)]
    assert [e.action for e in history("cadre", li.id)] == ["create", "coverage"]
    assert sign_in("lihua").id == li.id  # the login signs in at once
    row = next(r for r in team(head.station_id) if r.cadre.id == li.id)
    assert [g.number for g in row.groups] == [1, 3] and row.open_errands == 0


@pytest.mark.parametrize("login", ["Zhang", "1abc", "-x", "a b", "王", "x" * 33,
                                   "li\x1b]0;x\x07", "[/bar]"])
def test_login_must_be_a_unix_login_name(head, login):
    refused("cadre.bad_login", add_cadre, CadreForm("李华", login=login), head)


def test_login_is_unique_and_may_be_left_empty(head):
    refused("cadre.login_taken", add_cadre, CadreForm("李华", login="tester"), head)
    first = add_cadre(CadreForm("无账号甲"), head)
    second = add_cadre(CadreForm("无账号乙", login="  "), head)
    assert first.login is None and second.login is None
    assert add_cadre(CadreForm("下划线", login="_svc-desk$"), head).login == "_svc-desk$"


def test_bad_fields_refused_and_nothing_saved(head, groups, station):
    before = Cadre.select().count()
    refused("invalid.text_empty", add_cadre, CadreForm("  "), head)
    refused("invalid.text_control", add_cadre, CadreForm("李\x1b[31m华"), head)
    refused("invalid.phone_invalid", add_cadre, CadreForm("李华", phone="12345"), head)
    refused("cadre.bad_role", add_cadre, CadreForm("李华", role="boss"), head)
    other, _ = set_up_station(SetupForm(station_name="另一站", admin_name="外站长",
                                        group_count="1", admin_login="far"))
    far_group = VillagerGroup.get(VillagerGroup.station == other.id)
    refused("cadre.bad_group", add_cadre, CadreForm("李华", group_ids=[far_group.id]), head)
    assert Cadre.select().count() == before + 1  # only the other station's head
    assert add_cadre(CadreForm("[/bar]"), head).name == "[/bar]"  # data, kept as typed


def test_coverage_history_keeps_who_covered_what_when(head, groups, station):
    li = add_cadre(CadreForm("李华", group_ids=[groups[0].id]), head)
    # the cover began a while ago
    GroupCoverage.update(since=TODAY - dt.timedelta(days=40)).execute()
    li = Cadre.get_by_id(li.id)
    update_cadre(li.id, li.version, CadreForm("李华", group_ids=[groups[1].id]), head)
    spans = [(r.group.number, r.since, r.until) for r in coverage_history(li.id)]
    assert spans == [(2, TODAY, None), (1, TODAY - dt.timedelta(days=40), TODAY)]
    assert covering(station.id, TODAY - dt.timedelta(days=1)) == {groups[0].id: [li.id]}
    assert covering(station.id, TODAY) == {groups[1].id: [li.id]}
    # a cover changed again on the day it began never took effect
    li = Cadre.get_by_id(li.id)
    update_cadre(li.id, li.version, CadreForm("李华", group_ids=[groups[2].id]), head)
    assert [(r.group.number, r.until) for r in coverage_history(li.id)] == \
        [(3, None), (1, TODAY)]
    coverage = [e.detail for e in history("cadre", li.id) if e.action == "coverage"]
    assert coverage[-1] == {"before": [2], "after": [3]}


def test_edit_refused_when_someone_saved_first(head):
    li = add_cadre(CadreForm("李华"), head)
    update_cadre(li.id, li.version, CadreForm("李华", phone="13900001111"), head)
    with pytest.raises(StaleEdit) as stale:
        update_cadre(li.id, li.version, CadreForm("李华生"), head)
    assert stale.value.fresh.phone == "13900001111"


def test_deactivated_cadre_cannot_sign_in_and_leaves_the_roster(head, groups, station):
    li = add_cadre(CadreForm("李华", login="lihua", group_ids=[groups[0].id]), head)
    next_month = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    save_plan(plan_month(station.id, next_month.year, next_month.month), head)
    assert Shift.select().where(Shift.cadre == li.id).exists()
    li = Cadre.get_by_id(li.id)
    set_cadre_active(li.id, li.version, False, head)
    with pytest.raises(SignInRefused):
        sign_in("lihua")
    assert li.id not in [c.id for c in active_cadres(station.id)]
    assert not Shift.select().where(Shift.cadre == li.id).exists()  # freed: gaps show
    plan = plan_month(station.id, next_month.year, next_month.month)
    assert li.id not in plan.spread
    assert current_group_ids(li.id) == []  # their cover ended (begun today: never was)
    assert Cadre.get_by_id(li.id).name == "李华"  # kept, not deleted
    refused("cadre.inactive_covers", update_cadre, li.id, li.version + 1,
            CadreForm("李华", group_ids=[groups[0].id]), head)
    li = Cadre.get_by_id(li.id)
    set_cadre_active(li.id, li.version, True, head)
    assert sign_in("lihua").id == li.id


def test_open_errands_listed_for_reassignment(head, admin, station):
    li = add_cadre(CadreForm("李华", login="lihua"), head)
    person = register_resident(ResidentForm(name="张三"), acting(admin))
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    errands = [register_errand(IntakeForm(person.id, item.id, "carried"), station.id, acting(li))
               for _ in range(2)]
    li = Cadre.get_by_id(li.id)
    set_cadre_active(li.id, li.version, False, head)
    assert [e.id for e in open_errands_of(li.id, station_id=our_station())] == [e.id for e in errands]
    assert next(r for r in team(station.id) if r.cadre.id == li.id).open_errands == 2
    for errand in open_errands_of(li.id, station_id=our_station()):
        reassign(errand.id, errand.version, admin.id, acting(admin))
    assert open_errands_of(li.id, station_id=our_station()) == []
    assert {e.owner_id for e in Errand.select()} == {admin.id}


def test_the_last_active_head_stays(head, admin):
    me = Cadre.get_by_id(admin.id)
    refused("cadre.last_head", update_cadre, me.id, me.version,
            CadreForm(me.name, login="tester", role=Role.DUTY), head)
    refused("cadre.last_head", set_cadre_active, me.id, me.version, False, head)
    assert Cadre.get_by_id(me.id).role == "admin" and Cadre.get_by_id(me.id).active
    # with a second head, either may step down
    deputy = add_cadre(CadreForm("副站长", login="deputy", role=Role.HEAD), head)
    update_cadre(me.id, me.version, CadreForm(me.name, login="tester", phone=me.phone,
                                              role=Role.DUTY), head)
    assert Cadre.get_by_id(me.id).role == "duty"
    deputy_session = session_for(me.station, Cadre.get_by_id(deputy.id), "deputy")
    deputy = Cadre.get_by_id(deputy.id)
    refused("cadre.last_head", set_cadre_active, deputy.id, deputy.version, False,
            deputy_session)


def test_only_the_head_of_the_station_may_change_the_team(head, station, admin, groups):
    duty_cadre = add_cadre(CadreForm("李华", login="lihua"), head)
    duty = session_for(station, duty_cadre, "lihua")
    refused("guard.head_only", add_cadre, CadreForm("王五"), duty)
    refused("guard.head_only", update_cadre, admin.id, admin.version, CadreForm("改名"), duty)
    refused("guard.head_only", set_cadre_active, admin.id, admin.version, False, duty)
    refused("guard.head_only", add_group, GroupForm("9"), duty)
    # a head of another station cannot touch this one's cadres
    other, far_head = set_up_station(SetupForm(station_name="另一站", admin_name="外站长",
                                               group_count="1", admin_login="far"))
    far = session_for(other, far_head, "far")
    li = Cadre.get_by_id(duty_cadre.id)
    refused("guard.other_station", set_cadre_active, li.id, li.version, False, far)
    refused("guard.other_station", update_group, groups[0].id, groups[0].version,
            GroupForm("7"), far)
    # a session that still says head after a demotion is refused at once
    deputy = add_cadre(CadreForm("副站长", login="deputy", role=Role.HEAD), head)
    deputy_session = session_for(station, deputy, "deputy")
    deputy = Cadre.get_by_id(deputy.id)
    update_cadre(deputy.id, deputy.version, CadreForm("副站长", login="deputy"), head)
    refused("guard.head_only", add_cadre, CadreForm("王五"), deputy_session)


def test_groups_added_renamed_and_renumbered(head, groups, station):
    ninth = add_group(GroupForm("９"), head)  # full-width digits from an IME
    assert (ninth.number, ninth.name) == (9, "第九村民小组")
    refused("group.number_taken", add_group, GroupForm("1"), head)
    refused("group.bad_number", add_group, GroupForm("0"), head)
    refused("group.bad_number", add_group, GroupForm("1000"), head)
    refused("group.bad_number", add_group, GroupForm("三"), head)
    refused("invalid.text_control", add_group, GroupForm("10", "东\x00头"), head)
    # a default name follows the number; a name of its own stays
    moved = update_group(ninth.id, ninth.version, GroupForm("12", ninth.name), head)
    assert (moved.number, moved.name) == (12, "第十二村民小组")
    named = update_group(moved.id, moved.version, GroupForm("12", "[/bar]东头组"), head)
    named = update_group(named.id, named.version, GroupForm("4", named.name), head)
    assert (named.number, named.name) == (4, "[/bar]东头组")
    refused("group.number_taken", update_group, groups[0].id, groups[0].version,
            GroupForm("2"), head)
    with pytest.raises(StaleEdit):
        update_group(named.id, ninth.version, GroupForm("5"), head)
    assert [(r.group.number, r.households) for r in group_rows(station.id)] == \
        [(1, 0), (2, 0), (3, 0), (4, 0)]
    assert [e.action for e in history("villager_group", ninth.id)] == \
        ["create", "edit", "edit", "edit"]


def test_renumbering_breaks_nothing(head, admin, groups, station):
    """Households, covers and residents refer to the group itself."""
    li = add_cadre(CadreForm("李华", group_ids=[groups[0].id]), head)
    person = register_resident(ResidentForm(name="张三", household_number="01001",
                                            group_number="1"), acting(admin))
    first = VillagerGroup.get_by_id(groups[0].id)
    update_group(first.id, first.version, GroupForm("21", first.name), head)
    rows = {r.group.number: r for r in group_rows(station.id)}
    assert rows[21].households == 1 and rows[21].covered_by == ["李华"]
    assert person.household.group_id == first.id
    assert current_group_ids(li.id) == [first.id]
    register_resident(ResidentForm(name="张四", household_number="21001", group_number="21"),
                      acting(admin))
    refused("group.unknown", register_resident,
            ResidentForm(name="张五", household_number="01002", group_number="1"), acting(admin))
