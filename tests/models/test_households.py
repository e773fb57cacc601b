"""Households: the new-household form, the resident form's villager group, moving a
resident (分户 / 迁入), and residents who died or moved away."""
import datetime as dt

import pytest

from models.core.entities import Cadre, VillagerGroup
from models.core.history import StaleEdit, history
from models.core.session import session_for
from models.errands.entities import Errand, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.queue import preset_filter, queue_page
from models.people.entities import Household, Resident
from models.people.households import (
    HouseholdForm,
    add_household,
    departed_open_errands,
    find_households,
    mark_resident,
    members_of,
    move_resident,
    parse_day,
)
from models.people.residents import (
    ResidentForm,
    form_of,
    load_resident,
    register_resident,
    search_residents,
    update_resident,
)
from models.station.cadres import CadreForm, add_cadre
from models.station.head_notes import head_notes
from tests.actors import acting, our_station

from .conftest import refused

TODAY = dt.date.today()




def test_new_household_with_its_head(head, station):
    household = add_household(HouseholdForm("03021", "3", "东头 [/bar] 12号", "王大山",
                                            "11010519491231002X", "13812341234"), head)
    assert (household.number, household.group.number, household.address) == \
        ("03021", 3, "东头 [/bar] 12号")
    [member] = members_of(household.id, station_id=our_station())
    assert (member.resident.name, member.resident.relation) == ("王大山", "户主")
    assert [r.name for r in search_residents("03021", station_id=our_station())] == ["王大山"]
    [row] = find_households(station.id, "wds")  # found by the head's initials
    assert (row.head, row.members, row.departed) == ("王大山", 1, 0)
    assert [e.action for e in history("household", household.id)] == ["create"]
    # without a head: someone is moved in later
    assert members_of(add_household(HouseholdForm("03022", "3"), head).id, station_id=our_station()) == []


def test_new_household_refusals_save_nothing(head):
    add_household(HouseholdForm("03021", "3"), head)
    refused("household.number_taken", add_household, HouseholdForm("03021", "3"), head)
    refused("invalid.text_empty", add_household, HouseholdForm(" ", "3"), head)
    refused("group.unknown", add_household, HouseholdForm("09001", "9"), head)
    refused("group.bad_number", add_household, HouseholdForm("09001", ""), head)
    refused("invalid.text_control", add_household,
            HouseholdForm("03023", "3", "东头\x1b]52;c;x\x07"), head)
    # a bad head leaves no household behind
    refused("invalid.id_check_digit", add_household,
            HouseholdForm("03024", "3", "", "王大山", "110105194912310021"), head)
    assert Household.select().count() == 1


def test_resident_form_group_implies_or_makes_the_household(head, admin):
    # a new household number needs its group, and then the household is made
    refused("resident.no_household", register_resident,
            ResidentForm(name="李四", household_number="02007"), acting(admin))
    li = register_resident(ResidentForm(name="李四", household_number="02007",
                                        group_number="2"), acting(admin))
    assert (li.household.number, li.household.group.number) == ("02007", 2)
    # an existing number implies the group; a group that says otherwise is refused
    assert register_resident(ResidentForm(name="李五", household_number="02007"),
                             acting(admin)).household_id == li.household_id
    refused("resident.wrong_group", register_resident,
            ResidentForm(name="李六", household_number="02007", group_number="1"), acting(admin))
    refused("resident.group_needs_household", register_resident,
            ResidentForm(name="李七", group_number="1"), acting(admin))
    # nothing half-saved: a bad name leaves no new household
    refused("invalid.text_empty", register_resident,
            ResidentForm(name="", household_number="02008", group_number="2"), acting(admin))
    assert not Household.select().where(Household.number == "02008").exists()
    assert form_of(load_resident(li.id, station_id=our_station())).group_number == "2"


def test_move_to_another_household_or_a_new_one(head, admin):
    add_household(HouseholdForm("01001", "1", "", "张老汉"), head)
    son = register_resident(ResidentForm(name="张小山", household_number="01001",
                                         relation="子"), acting(admin))
    # 分户: the son becomes head of a new household in group 2
    moved = move_resident(son.id, son.version, "02001", "2", "户主", head)
    assert (moved.household.number, moved.household.group.number, moved.relation) == \
        ("02001", 2, "户主")
    assert [r.name for r in search_residents("02001", station_id=our_station())] == ["张小山"]
    assert search_residents("01001", station_id=our_station())[0].name == "张老汉"
    # 迁入: back into the old household
    moved = move_resident(son.id, moved.version, "01001", "", "子", head)
    assert moved.household.number == "01001"
    assert [e.action for e in history("resident", son.id)][-2:] == ["move", "move"]
    refused("household.move_where", move_resident, son.id, moved.version, "", "", "", head)
    refused("resident.no_household", move_resident, son.id, moved.version, "07777", "", "",
            head)
    with pytest.raises(StaleEdit):
        move_resident(son.id, son.version, "02001", "", "", head)


def test_deceased_resident_kept_and_open_errands_flagged(head, admin, station):
    person = register_resident(ResidentForm(name="张三"), acting(admin))
    item = ServiceItem.get(ServiceItem.name == "高龄津贴申领")
    open_one = register_errand(IntakeForm(person.id, item.id, "carried"), station.id, acting(admin))
    closed = register_errand(IntakeForm(person.id, item.id, "carried"), station.id, acting(admin))
    Errand.update(status="cancelled").where(Errand.id == closed.id).execute()
    died = TODAY - dt.timedelta(days=3)
    departure = mark_resident(person.id, person.version, "deceased", died.isoformat(), head)
    assert (departure.resident.status, departure.resident.status_since) == ("deceased", died)
    assert departure.flagged == [open_one.number]
    assert Errand.get_by_id(open_one.id).flagged and not Errand.get_by_id(closed.id).flagged
    assert [e.number for e in departed_open_errands(station.id)] == [open_one.number]
    assert head_notes(station.id).departed[0].number == open_one.number
    flagged = queue_page(preset_filter("flagged", station.id, admin.id))
    assert [r.number for r in flagged.rows] == [open_one.number]
    assert Resident.get_by_id(person.id).name == "张三"  # kept
    assert [r.name for r in search_residents("zhangsan", station_id=our_station())] == ["张三"]
    # no new errand for them: the model says why
    refused("intake.deceased", register_errand, IntakeForm(person.id, item.id, "carried"),
            station.id, acting(admin))
    # back to present (a mistake): no longer listed
    person = Resident.get_by_id(person.id)
    back = mark_resident(person.id, person.version, "present", "", head)
    assert (back.resident.status, back.resident.status_since) == ("present", None)
    assert departed_open_errands(station.id) == []


def test_search_puts_the_departed_last_and_marked(head, admin):
    """One name, three people: the one still here first, however the keys rank."""
    gone = register_resident(ResidentForm(name="张三"), acting(admin))
    moved = register_resident(ResidentForm(name="张三"), acting(admin))
    here = register_resident(ResidentForm(name="张三丰"), acting(admin))  # a prefix match
    mark_resident(gone.id, gone.version, "deceased", "", head)
    mark_resident(moved.id, moved.version, "moved_away", "", head)
    found = search_residents("zhangsan", station_id=our_station())
    assert [r.id for r in found][0] == here.id
    assert [r.status for r in found] == ["present", "deceased", "moved_away"]
    # someone who moved away may still settle an errand here
    item = ServiceItem.get(ServiceItem.name == "高龄津贴申领")
    assert register_errand(IntakeForm(moved.id, item.id, "carried"), head.station_id,
                           acting(admin)).resident_id == moved.id


def test_status_refusals(head, admin):
    person = register_resident(ResidentForm(name="张三"), acting(admin))
    refused("household.bad_status", mark_resident, person.id, person.version, "gone", "", head)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    refused("household.day_future", mark_resident, person.id, person.version, "moved_away",
            tomorrow, head)
    refused("household.bad_day", mark_resident, person.id, person.version, "moved_away",
            "yesterday", head)
    assert parse_day("2026-02-03", dt.date(2026, 5, 1)) == dt.date(2026, 2, 3)
    assert parse_day("２/３", dt.date(2026, 5, 1)) == dt.date(2026, 2, 3)
    assert parse_day("", dt.date(2026, 5, 1)) == dt.date(2026, 5, 1)
    refused("household.bad_day", parse_day, "2-30")


def test_duty_cadres_cannot_keep_households(head, admin, station):
    lihua = add_cadre(CadreForm("李华", login="lihua"), head)
    duty = session_for(station, lihua, "lihua")
    person = register_resident(ResidentForm(name="张三"), acting(admin))
    refused("guard.head_only", add_household, HouseholdForm("01001", "1"), duty)
    refused("guard.head_only", move_resident, person.id, person.version, "01001", "1", "",
            duty)
    refused("guard.head_only", mark_resident, person.id, person.version, "deceased", "",
            duty)
    # nor through the resident form: a new household number is refused, an existing
    # one is theirs to use
    refused("resident.new_household_head_only", register_resident,
            ResidentForm(name="李四", household_number="02007", group_number="2"), duty)
    refused("resident.new_household_head_only", update_resident, person.id, person.version,
            ResidentForm(name="张三", household_number="02007", group_number="2"), duty)
    assert Household.select().count() == 0
    add_household(HouseholdForm("02007", "2"), head)
    li = register_resident(ResidentForm(name="李四", household_number="02007"), duty)
    assert li.household.number == "02007"


def test_first_day_notes(head, station):
    notes = head_notes(station.id)
    assert (notes.households, notes.cadres, notes.setting_up) == (0, 1, True)
    add_household(HouseholdForm("01001", "1"), head)
    assert head_notes(station.id).setting_up  # still the head alone
    add_cadre(CadreForm("李华"), head)
    assert not head_notes(station.id).setting_up
    Cadre.update(active=False).where(Cadre.name == "李华").execute()
    assert head_notes(station.id).setting_up


def test_other_stations_households_are_not_ours(head, admin, station):
    from models.station.setup import SetupForm, set_up_station
    other, far_head = set_up_station(SetupForm(station_name="另一站", admin_name="外站长",
                                               group_count="1", admin_login="far"))
    far = session_for(other, far_head, "far")
    theirs = add_household(HouseholdForm("01001", "1"), far)
    refused("resident.no_household", register_resident,
            ResidentForm(name="李四", household_number="01001"), acting(admin))
    assert find_households(station.id) == []
    # each station numbers its own households: ours is 01001 too
    li = register_resident(ResidentForm(name="李四", household_number="01001",
                                        group_number="1"), acting(admin))
    assert [row.household.id for row in find_households(station.id)] == [li.household_id]
    assert li.household_id != theirs.id and li.household.station_id == station.id
    mine = register_resident(ResidentForm(name="张三", household_number="01002",
                                          group_number="1"), acting(admin))
    refused("guard.other_station", mark_resident, mine.id, mine.version, "deceased", "", far)
    assert VillagerGroup.select().count() == 4
    update_resident(mine.id, mine.version, ResidentForm(name="张三丰", household_number="01002"),
                    acting(admin))
