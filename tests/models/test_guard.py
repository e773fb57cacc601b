"""Who may change what, proved for every function that changes data.

The write functions are found, not listed: every function of models/ marked by
`@writes`. Each has a rule below (head only, anyone, their own, or exempt with the
reason); a new write function without a rule fails the first test. For each rule
the second test shows a duty cadre refused where the head is required, allowed
where the rule says so, and the head of another station refused on this
station's rows — each call rolled back, so the cases do not touch each other.
"""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

import models
from models.core.entities import Cadre, Event, Station, VillagerGroup
from models.core.session import Role, session_for
from models.core.validation import ValidationError
from models.duty.checkin import check_in, explain_missed
from models.duty.entities import Handover, Shift, ShiftTemplate
from models.duty.handover import acknowledge, check_out
from models.duty.holidays import (
    clear_calendar_day,
    set_calendar_days,
    set_year_published,
)
from models.duty.leave import add_leave
from models.duty.nights import correct_night, mark_night
from models.duty.roster import plan_month, save_plan
from models.duty.swaps import fill_slot, substitute, swap_shifts
from models.errands.batches import cancel_unstarted, create_batch
from models.errands.catalogue import install_standard_catalogue
from models.errands.catalogue_admin import (
    ItemForm,
    add_item,
    set_item_active,
    update_item,
)
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import (
    Move,
    add_note,
    advance,
    hand_original,
    link,
    mark_carried,
    merge_into,
    reassign,
    receive_material,
    record_callback,
    return_original,
)
from models.people.entities import Household, Resident
from models.public.board import (
    PolicyForm,
    add_notice,
    set_notice_active,
    update_notice,
)
from models.public.entities import Policy
from models.people.households import (
    HouseholdForm,
    add_household,
    mark_resident,
    move_resident,
)
from models.people.register_import import note_export
from models.reports.township import note_township_export
from models.people.residents import (
    ResidentForm,
    register_resident,
    reveal_identity,
    update_resident,
)
from models.station.cadres import CadreForm, add_cadre, set_cadre_active, update_cadre
from models.station.groups import GroupForm, add_group, update_group
from models.station.pins import set_pin
from models.station.settings import (
    SettingsForm,
    add_shift_template,
    remove_shift_template,
    update_settings,
)
from models.station.setup import SetupForm, set_up_station
from models.station.township import add_township_cadre
from models.village.disputes import (
    DisputeForm,
    DisputeMove,
    PartyForm,
    SessionForm,
    dispute_from_visit,
    edit_dispute,
    hold_session,
    move_dispute,
    record_dispute,
    record_escalation_result,
)
from models.village.diary import DiaryForm, add_diary_entry, edit_diary_entry
from models.village.entities import DiaryEntry, Dispute, Duty, Escalation, Tag, Visit
from models.village.visits import (
    VisitForm,
    edit_visit,
    errand_from_visit,
    log_visit,
    set_household_tags,
    set_visit_rule,
    set_visit_rules,
)
from tests.actors import acting

D = dt.date(2030, 3, 4)  # a Monday well ahead: every shift of the world is still to come
T = dt.datetime.combine(D, dt.time(8))
BEFORE = T - dt.timedelta(days=1)  # "now" for swaps and substitutions
EVENING = dt.datetime.combine(D, dt.time(20))  # "stayed tonight" can be marked


def model_functions() -> Iterator[tuple[str, str, Callable]]:
    """(module, name, function) for every function defined in models/, migrations aside."""
    for info in pkgutil.walk_packages(models.__path__, "models."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                yield info.name, name, value


def write_functions() -> dict[str, Callable]:
    """Every function of models/ marked by @writes, by name."""
    found: dict[str, Callable] = {}
    for _, name, value in model_functions():
        if getattr(value, "is_write", False):
            assert name not in found, f"two write functions called {name}"
            found[name] = value
    return found


@dataclass(frozen=True)
class Rule:
    """Who may call a write function. `call(world, actor)` makes a change on this
    station's rows; for "own", on the actor's own (their leave, their shift, taking
    an errand over) and `others` the same for someone else, which a duty cadre may
    not. `other_station`: the code that refuses the head of another station, or
    None when the call touches no station's rows (say why in `why`)."""
    # "head" | "anyone" | "own" | "self" (only ever one's own) | "exempt" | "township"
    # (the township cadre's alone: every station's cadre is refused)
    who: str
    call: Callable | None = None
    others: Callable | None = None
    other_station: str | None = "guard.other_station"
    why: str = ""


def exempt(why: str) -> Rule:
    return Rule("exempt", why=why)


RECENT = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=1)  # visits are past


def visit_form(w) -> VisitForm:
    return VisitForm(w.household.id, RECENT, [Duty.POLICY])


def visit_by(w, cadre_id: int) -> Visit:
    return Visit.create(household=w.household, cadre=cadre_id, visited_at=RECENT,
                        duties=[Duty.POLICY])


def policy_of(w) -> Policy:
    return Policy.create(station=w.station, title="城乡低保金")


def dispute_form(w) -> DisputeForm:
    return DisputeForm("宅基地界址争议", "land", "medium", [PartyForm(w.person.id)],
                       found_on=RECENT.date())


def dispute_of(w) -> Dispute:
    return Dispute.create(station=w.station, number=f"JF-{Dispute.select().count()}",
                          title="院墙", kind="land", risk="low", found_on=RECENT.date(),
                          review_due=RECENT.date(), owner=w.head)


def escalation_of(w) -> Escalation:
    dispute = dispute_of(w)
    dispute.status = "escalated"
    dispute.save()
    return Escalation.create(dispute=dispute, to_whom="镇司法所", escalated_on=RECENT.date(),
                             cadre=w.head)
def diary_entry_by(w, cadre_id: int) -> DiaryEntry:
    return DiaryEntry.create(station=w.station, cadre=cadre_id, day=RECENT.date(), text="路灯坏了")


def settings_form(w) -> SettingsForm:
    return SettingsForm("红旗村便民服务站", "城关镇", "5", "12")


RULES: dict[str, Rule] = {
    # the station
    "set_up_station": exempt("first run or `kiosk township add-station`: nobody signed in"),
    "set_up_first_station": exempt("first run: no station, nobody can be signed in yet"),
    "add_township_cadre": exempt("`kiosk township add-user` on the server: nobody signed in"),
    "sign_in": exempt("makes the Session: takes the OS login"),
    "_try_pin": exempt("makes the Session: takes the shared login and a PIN"),
    "set_pin": Rule("own", lambda w, a: set_pin(a.cadre_id, "2468", a),
                    others=lambda w, a: set_pin(w.colleague.id, "2468", a)),
    "save_draft": exempt("a draft belongs to a login, not to a station's data"),
    "clear_draft": exempt("a draft belongs to a login, not to a station's data"),
    "update_settings": Rule("head", lambda w, a: update_settings(
        w.station.id, w.station.version, settings_form(w), a)),
    "install_standard_catalogue": Rule("head", lambda w, a: install_standard_catalogue(
        w.station.id, a)),
    # people
    "register_resident": Rule("anyone", lambda w, a: register_resident(
        ResidentForm(name="李四", household_number="01001"), a),
        other_station="resident.no_household"),  # the household is not theirs to name
    "update_resident": Rule("anyone", lambda w, a: update_resident(
        w.person.id, w.person.version, ResidentForm(name="张三丰", household_number="01001"),
        a)),
    # errands
    "register_errand": Rule("anyone", lambda w, a: register_errand(
        IntakeForm(w.person.id, w.other_item.id, "on_the_spot"), w.station.id, a)),
    "advance": Rule("anyone", lambda w, a: advance(
        w.errand.id, w.errand.version, Move("in_progress"), a)),
    "return_original": Rule("anyone", lambda w, a: return_original(w.original.id, a)),
    "hand_original": Rule("anyone", lambda w, a: hand_original(
        w.original.id, w.colleague.id, a)),
    "record_callback": Rule("anyone", lambda w, a: record_callback(
        w.delivered.id, w.delivered.version, a, reached=False)),
    "receive_material": Rule("anyone", lambda w, a: receive_material(ErrandMaterial.get(
        (ErrandMaterial.errand == w.errand.id) & ~ErrandMaterial.received).id, a)),
    "add_note": Rule("anyone", lambda w, a: add_note(w.errand.id, "已电话告知", a)),
    "reassign": Rule("own",  # taking an errand over; moving another's to a third
                     lambda w, a: reassign(w.errand.id, w.errand.version, a.cadre_id, a),
                     others=lambda w, a: reassign(w.errand.id, w.errand.version,
                                                  w.colleague.id, a)),
    "merge_into": Rule("anyone", lambda w, a: merge_into(
        w.second.id, w.second.version, w.errand.id, a)),
    "link": Rule("anyone", lambda w, a: link(w.errand.id, w.second.id, a)),
    "mark_carried": Rule("anyone", lambda w, a: mark_carried([w.errand.id], a, missing_ok=True)),
    "cancel_unstarted": Rule("anyone", lambda w, a: cancel_unstarted(
        w.batch, "县里改了办法", a)),
    "create_batch": Rule("anyone", lambda w, a: create_batch(
        w.station.id, w.other_item.id, "on_the_spot", [w.person.id], a)),
    # out in the village
    "set_household_tags": Rule("anyone", lambda w, a: set_household_tags(
        w.household.id, [Tag.DIBAO], a)),
    "set_visit_rule": Rule("head", lambda w, a: set_visit_rule("", 1, 30, a),
                           other_station=None, why="a rule of the actor's own station"),
    "log_visit": Rule("anyone", lambda w, a: log_visit(visit_form(w), a)),
    "edit_visit": Rule("own",  # one's own visit; the head any of the station's
                       lambda w, a: edit_visit((v := visit_by(w, a.cadre_id)).id, v.version,
                                               visit_form(w), a),
                       others=lambda w, a: edit_visit((v := visit_by(w, w.colleague.id)).id,
                                                      v.version, visit_form(w), a)),
    "errand_from_visit": Rule("anyone", lambda w, a: errand_from_visit(
        visit_by(w, w.head.id).id, IntakeForm(w.person.id, w.other_item.id, "on_the_spot"),
        a)),
    # disputes: any cadre of the station records, mediates and moves them on
    "record_dispute": Rule("anyone", lambda w, a: record_dispute(dispute_form(w), a)),
    "dispute_from_visit": Rule("anyone", lambda w, a: dispute_from_visit(
        visit_by(w, w.head.id).id, dispute_form(w), a)),
    "edit_dispute": Rule("anyone", lambda w, a: edit_dispute(
        (d := dispute_of(w)).id, d.version, dispute_form(w), a)),
    "hold_session": Rule("anyone", lambda w, a: hold_session(
        dispute_of(w).id, SessionForm(RECENT.date(), "村委会", "双方"), a)),
    "move_dispute": Rule("anyone", lambda w, a: move_dispute(
        (d := dispute_of(w)).id, d.version, DisputeMove("mediating"), a)),
    "record_escalation_result": Rule("anyone", lambda w, a: record_escalation_result(
        (e := escalation_of(w)).id, e.version, "镇里调解成功", a)),
    "set_visit_rules": Rule("head", lambda w, a: set_visit_rules({"": "1/30"}, a),
                            other_station=None, why="rules of the actor's own station"),
    "add_diary_entry": Rule("anyone", lambda w, a: add_diary_entry(
        DiaryForm("张三说想养羊", about="01001"), a),
        other_station="diary.bad_about"),  # another station's household is not found
    "edit_diary_entry": Rule("own",  # one's own entry; the head any of the station's
                             lambda w, a: edit_diary_entry(
                                 (e := diary_entry_by(w, a.cadre_id)).id, e.version,
                                 DiaryForm("路灯已报修"), a),
                             others=lambda w, a: edit_diary_entry(
                                 (e := diary_entry_by(w, w.colleague.id)).id, e.version,
                                 DiaryForm("路灯已报修"), a)),
    # the roster
    "save_plan": Rule("head", lambda w, a: save_plan(
        plan_month(w.station.id, 2030, 4, today=D), a)),
    "fill_slot": Rule("head", lambda w, a: fill_slot(
        w.station.id, D + dt.timedelta(days=10), w.day_template.id, w.colleague.id, a,
        at=BEFORE)),
    "set_calendar_days": Rule("head", lambda w, a: set_calendar_days(
        dt.date(2030, 5, 6), dt.date(2030, 5, 7), "holiday", "调休", a), other_station=None,
        why="calendar days are the database's, shared by every station"),
    "set_year_published": Rule("head", lambda w, a: set_year_published(2030, True, a),
                               other_station=None,
                               why="calendar days are the database's, shared by every station"),
    "clear_calendar_day": Rule("head", lambda w, a: clear_calendar_day(w.entered_day, a),
                               other_station=None,
                               why="calendar days are the database's, shared by every station"),
    "add_leave": Rule("own", lambda w, a: add_leave(
        a.cadre_id, D + dt.timedelta(days=20), D + dt.timedelta(days=21), "", a),
        others=lambda w, a: add_leave(w.colleague.id, D + dt.timedelta(days=20),
                                      D + dt.timedelta(days=21), "", a)),
    "swap_shifts": Rule("own", lambda w, a: swap_shifts(
        w.duty_shift.id, w.colleague_shift.id, a, at=BEFORE),
        others=lambda w, a: swap_shifts(w.colleague_shift.id, w.head_shift.id, a,
                                        at=BEFORE)),
    "substitute": Rule("own", lambda w, a: substitute(
        w.duty_shift.id, w.colleague.id, a, at=BEFORE),
        others=lambda w, a: substitute(w.colleague_shift.id, w.head.id, a, at=BEFORE)),
    # the duty desk: what a cadre does for themselves
    "check_in": Rule("self", lambda w, a: check_in(
        w.duty_shift.id, a, now=T - dt.timedelta(minutes=30))),
    "check_out": Rule("self", lambda w, a: check_out(
        w.worked_shift.id, a, "钥匙在抽屉里", now=w.worked_shift.ends_at)),
    "acknowledge": Rule("anyone", lambda w, a: acknowledge(
        w.handover.id, a, now=T - dt.timedelta(minutes=30))),
    "mark_night": Rule("self", lambda w, a: mark_night(a, now=EVENING), other_station=None,
                       why="a cadre's own night: no row of a station to refuse"),
    "correct_night": Rule("head", lambda w, a: correct_night(
        w.colleague.id, D, True, "在村调解纠纷", a, today=D)),
    "explain_missed": Rule("head", lambda w, a: explain_missed(
        w.colleague_shift.id, "去镇里开会", w.colleague_shift.version, a,
        now=w.colleague_shift.starts_at + dt.timedelta(hours=1))),
    "add_shift_template": Rule("head", lambda w, a: add_shift_template(
        w.station.id, "中班 16:00-00:00", a)),
    "remove_shift_template": Rule("head", lambda w, a: remove_shift_template(
        w.day_template.id, a, at=BEFORE)),
    "reveal_identity": Rule("anyone", lambda w, a: reveal_identity(w.person.id, a)),
    "note_export": Rule("anyone", lambda w, a: note_export(a, "catalogue", "/tmp/x.csv", 1),
                        other_station=None, why="an event of the actor's own station"),
    "note_township_export": Rule("township", lambda w, a: note_township_export(
        a, "report", "/tmp/x.xlsx", 1), other_station=None,
        why="the township's own report: an event of the township cadre, of no station"),
    # the station head's lists
    "add_cadre": Rule("head", lambda w, a: add_cadre(CadreForm("新干部"), a),
                      other_station=None, why="made at the actor's own station"),
    "update_cadre": Rule("head", lambda w, a: update_cadre(
        w.colleague.id, Cadre.get_by_id(w.colleague.id).version,
        CadreForm("王同事", login="colleague", phone="13900000009"), a)),
    "set_cadre_active": Rule("head", lambda w, a: set_cadre_active(
        w.colleague.id, Cadre.get_by_id(w.colleague.id).version, False, a)),
    "add_group": Rule("head", lambda w, a: add_group(GroupForm("9"), a),
                      other_station=None, why="made at the actor's own station"),
    "update_group": Rule("head", lambda w, a: update_group(
        w.group.id, VillagerGroup.get_by_id(w.group.id).version, GroupForm("1", "一组"), a)),
    "add_household": Rule("head", lambda w, a: add_household(HouseholdForm("01002", "1"), a),
                          other_station=None, why="made in a group of the actor's station"),
    "move_resident": Rule("head", lambda w, a: move_resident(
        w.person.id, Resident.get_by_id(w.person.id).version, "01003", "1", "", a)),
    "mark_resident": Rule("head", lambda w, a: mark_resident(
        w.person.id, Resident.get_by_id(w.person.id).version, "present", "", a)),
    "add_item": Rule("head", lambda w, a: add_item(ItemForm("其他", "新事项"), a),
                     other_station=None, why="made at the actor's own station"),
    "update_item": Rule("head", lambda w, a: update_item(
        w.other_item.id, ServiceItem.get_by_id(w.other_item.id).version,
        ItemForm("社会保障", "养老保险待遇资格认证"), a)),
    "add_notice": Rule("head", lambda w, a: add_notice(PolicyForm("医疗救助"), a),
        other_station=None, why="made at the actor's own station"),
    "update_notice": Rule("head", lambda w, a: update_notice(
        (p := policy_of(w)).id, p.version, PolicyForm("农村低保金"), a)),
    "set_notice_active": Rule("head", lambda w, a: set_notice_active(
        "policy", (p := policy_of(w)).id, p.version, False, a)),
    # the hall's public screen
    "record_lookup": exempt("the hall's PublicActor, no cadre: a cadre's Session is refused "
                            "(tests/models/test_public.py)"),
    "set_item_active": Rule("head", lambda w, a: set_item_active(
        w.other_item.id, ServiceItem.get_by_id(w.other_item.id).version, False, a)),
}


def test_every_write_function_has_a_rule():
    found = set(write_functions())
    assert not found - set(RULES), f"write functions without a rule: {found - set(RULES)}"
    assert not set(RULES) - found, f"rules for no write function: {set(RULES) - found}"
    for name, rule in RULES.items():
        assert rule.who in ("head", "anyone", "own", "self", "exempt", "township"), name
        assert (rule.call is None) == (rule.who == "exempt"), name
        assert (rule.others is not None) == (rule.who == "own"), name
        assert rule.other_station or rule.why, f"{name}: say why no station is checked"


@pytest.fixture
def world(station, admin, head_session, duty_session):
    """One station's rows for every rule to act on, the duty cadre's and a
    colleague's shifts, the head of a second station, and the township's cadre."""
    _, other_head = set_up_station(SetupForm(
        station_name="东风村便民服务站", group_count="1", admin_name="赵站长",
        admin_login="other-head"))
    duty = Cadre.get_by_id(duty_session.cadre_id)
    colleague = Cadre.create(station=station, name="王同事", login="colleague")
    household = Household.create(group=VillagerGroup.get(
        (VillagerGroup.station == station) & (VillagerGroup.number == 1)), number="01001")
    person = register_resident(ResidentForm(name="张三", household_number="01001"),
                               head_session)
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "城乡居民医保费用报销"))
    other_item = ServiceItem.get((ServiceItem.station == station)
                                 & (ServiceItem.name == "养老保险待遇资格认证"))

    def errand():
        return register_errand(IntakeForm(person.id, item.id, "carried", ["身份证"],
                                          ["身份证"]), station.id, head_session)

    first, second, delivered = errand(), errand(), errand()
    certificate = ServiceItem.get((ServiceItem.station == station)
                                  & (ServiceItem.name == "村委会证明开具"))
    batch = create_batch(station.id, certificate.id, certificate.default_mode, [person.id],
                         head_session).batch_id
    Errand.update(status="delivered").where(Errand.id == delivered.id).execute()
    templates = {tp.name: tp for tp in ShiftTemplate.select().where(
        ShiftTemplate.station == station)}
    day = templates["日班"]

    def shift(cadre, offset, **extra):
        starts = T + dt.timedelta(days=offset)
        return Shift.create(station=station, template=day, day=starts.date(),
                            starts_at=starts, ends_at=starts + dt.timedelta(hours=12),
                            cadre=cadre, **extra)

    worked = shift(duty, 1, checked_in_at=T + dt.timedelta(days=1))
    set_calendar_days(dt.date(2030, 5, 5), dt.date(2030, 5, 5), "workday", "", head_session)
    return SimpleNamespace(
        station=Station.get_by_id(station.id), head=admin, colleague=colleague,
        group=VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1)),
        person=person, household=household, other_item=other_item, errand=first, second=second, batch=batch,
        delivered=Errand.get_by_id(delivered.id),
        original=ErrandMaterial.get(ErrandMaterial.errand == first.id),
        day_template=day, duty_shift=shift(duty, 0), worked_shift=worked,
        colleague_shift=shift(colleague, 3), head_shift=shift(admin, 6),
        handover=Handover.create(shift=worked, from_cadre=colleague, to_cadre=None),
        entered_day=dt.date(2030, 5, 5),
        sessions={"head": head_session, "duty": duty_session, "away": acting(other_head),
                  # the township's cadre, looking at this station
                  "township": session_for(station, add_township_cadre("xiang", "乡镇督查"),
                                          "xiang")})


def outcome(db, fn, world, actor) -> str:
    """"ok", or the refusal's code; the change is rolled back either way. A refusal
    must name the actor (when it is the guard's) and leave no event behind."""
    with db.atomic() as savepoint:
        events = Event.select().count()
        try:
            fn(world, actor)
            result = "ok"
        except ValidationError as refused:
            assert Event.select().count() == events, f"{refused.code} after writing"
            assert refused.field == "actor" or not refused.code.startswith("guard."), \
                refused.code
            result = refused.code
        savepoint.rollback()
    return result


def test_roles_and_stations_are_enforced_in_every_write(db, world):
    head, duty, away, township = (world.sessions[who]
                                  for who in ("head", "duty", "away", "township"))
    wrong = []

    def expect(name: str, fn, actor, wanted: str) -> None:
        got = outcome(db, fn, world, actor)
        if got != wanted:
            wrong.append(f"{name} as {actor.cadre_name}: {got}, expected {wanted}")

    for name, rule in RULES.items():
        if rule.who == "exempt":
            continue
        if rule.who == "township":
            expect(name, rule.call, township, "ok")
            for actor in (head, duty, away):
                expect(name, rule.call, actor, "guard.township_only")
            continue
        if rule.who == "head":
            expect(name, rule.call, head, "ok")
            expect(name, rule.call, duty, "guard.head_only")
        else:
            expect(name, rule.call, duty, "ok")
        if rule.who == "own":
            expect(name, rule.others, duty, "guard.own_only")
            expect(name, rule.others, head, "ok")
        if rule.other_station:
            expect(name, rule.others or rule.call, away, rule.other_station)
        expect(name, rule.call, township, "guard.read_only")
    assert wrong == []


# ---- the session against the database ----

def test_a_head_demoted_meanwhile_is_refused_at_once(station, admin, head_session):
    Cadre.update(role=Role.DUTY.value).where(Cadre.id == admin.id).execute()
    with pytest.raises(ValidationError) as refused:  # the session still says head
        update_settings(station.id, station.version, settings_form(None), head_session)
    assert refused.value.code == "guard.head_only"


def test_a_session_saying_duty_is_not_head_until_read_again(station, duty_session):
    Cadre.update(role=Role.HEAD.value).where(Cadre.id == duty_session.cadre_id).execute()
    with pytest.raises(ValidationError) as refused:
        update_settings(station.id, station.version, settings_form(None), duty_session)
    assert refused.value.code == "guard.head_only"


@pytest.mark.parametrize("change", [{"active": False}, {"station": None}])
def test_a_cadre_deactivated_or_moved_is_refused_everything(station, duty_session, change):
    if "station" in change:
        other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                            admin_name="赵站长"))
        change = {"station": other.id}
    Cadre.update(**change).where(Cadre.id == duty_session.cadre_id).execute()
    with pytest.raises(ValidationError) as refused:
        mark_night(duty_session, now=EVENING)
    assert (refused.value.field, refused.value.code) == ("actor", "guard.inactive")


def test_the_actor_must_be_a_session(station, admin):
    with pytest.raises(TypeError):
        mark_night(admin.id, now=EVENING)
