"""Whatever a cadre types or pastes ends in the desk's own message, never a traceback.

Every validator and parser, every function that saves typed text, and the searches
are driven with arbitrary text: control characters, NUL, lone surrogates, escape
sequences, 10,000 characters, huge numbers, full-width digits. The only exceptions
allowed out are ValidationError (and StaleEdit where a version is given). Each
example runs in a savepoint that is rolled back, so one world serves them all.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from models.core.drafts import save_draft
from models.core.entities import Cadre, Station, VillagerGroup
from models.core.history import StaleEdit
from models.core.session import PublicActor
from models.core.validation import (
    ValidationError,
    birth_date_from_id,
    gender_from_id,
    mask_id,
    mask_phone,
    normalize_id_number,
    normalize_mobile,
    parse_when,
    require_text,
)
from models.duty.entities import Shift, ShiftTemplate
from models.duty.handover import check_out, search_handovers
from models.duty.holidays import parse_calendar_entry, set_calendar_days
from models.duty.leave import add_leave, parse_leave
from models.duty.swaps import fill_slot, substitute, swap_shifts
from models.errands.batches import cancel_unstarted, check_min_age, create_batch
from models.errands.catalogue import filter_items
from models.errands.entities import Errand, ServiceItem, Status
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import Move, add_note, advance, record_callback
from models.errands.public_lookup import LookupLimiter, look_up
from models.errands.queue import QueueFilter, queue_page
from models.errands.records import errand_by_number
from models.people.entities import Household, Resident
from models.people.residents import (
    ResidentForm,
    normalize_query,
    register_resident,
    search_residents,
    update_resident,
)
from models.public.board import PolicyForm, PublicationForm, add_notice, public_policies
from models.station.pins import set_pin
from models.station.settings import SettingsForm, update_settings
from models.station.setup import SetupForm, set_up_station
from tests.actors import our_station

EXAMPLES = 200
D = dt.date(2030, 3, 4)  # every shift of the world is still to come
T = dt.datetime.combine(D, dt.time(8))

# Any code point at all: lone surrogates (Cs), NUL and ESC (Cc), bidi overrides (Cf)
any_char = st.characters(exclude_categories=())
pieces = st.one_of(
    st.text(any_char, max_size=12),
    st.sampled_from(["\x00", "\ud800", "\udfff", "\x1b]52;c;aGk=\x07", "\x1b[2J", "\u202e",
                     "\u200b", "\r\n", "[red]", "{given}", "%", "_", "\\", "'", "０", "１２",
                     "－", "：", "+86", "0086", "(0)", "至", "~", "-", ":", "/", " ", "休", "班",
                     "2026", "12-30", "9:30", "13800000001", "11010519491231002X", "户主"]),
    st.integers(-10**40, 10**40).map(str),
    st.text("0123456789０１２３４５６７８９-－:：/ ", max_size=24),
)
short_text = st.lists(pieces, max_size=6).map("".join)
# 10,000 characters: one piece over and over (random ones that long are slow to make)
long_text = pieces.filter(bool).map(lambda piece: (piece * 10_000)[:10_000])
typed = st.one_of(short_text, short_text, short_text, long_text)


def field(*accepted: str):
    """Mostly a value the field accepts, else anything: a form with several checked
    fields must get past them, so the odd text in the others reaches the saving."""
    return st.integers(0, 3).flatmap(lambda n: typed if n == 0 else st.sampled_from(accepted))


def refused_or_done(fn: Callable, *args, **kwargs) -> None:
    """(--hypothesis-show-statistics shows how many went through and why the rest
    were refused: the examples must reach the saving, not only the first check.)"""
    try:
        fn(*args, **kwargs)
        event("done")
    except ValidationError as refused:
        event(f"refused: {refused.code}")
    except StaleEdit:
        event("stale")


def rolled_back(db, fn: Callable, *args, **kwargs) -> None:
    """Run a save and throw its changes away: the next example starts the same."""
    with db.atomic() as savepoint:
        refused_or_done(fn, *args, **kwargs)
        savepoint.rollback()


# ---- validators and parsers: no database ----

VALIDATORS = {
    "normalize_id_number": normalize_id_number,
    "birth_date_from_id": birth_date_from_id,
    "gender_from_id": gender_from_id,
    "normalize_mobile": normalize_mobile,
    "require_text": lambda text: require_text("name", text, "姓名", 40),
    "parse_when": parse_when,
    "parse_leave": lambda text: parse_leave(text, 2026),
    "parse_calendar_entry": lambda text: parse_calendar_entry(text, 2026),
    "normalize_query": normalize_query,
    "filter_items": lambda text: filter_items([ServiceItem(name="异地就医备案", category="医疗",
                                                           search_keys="ydjyba")], text),
}


@pytest.mark.parametrize("name", VALIDATORS)
@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(text=typed)
def test_validators_refuse_with_their_own_message(name, text):
    refused_or_done(VALIDATORS[name], text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=typed)
def test_masks_never_fail(text):
    assert isinstance(mask_id(text), str) and isinstance(mask_phone(text), str)


@settings(max_examples=EXAMPLES, deadline=None)
@given(age=st.one_of(st.integers(-10**40, 10**40), st.none()))
def test_minimum_age(age):
    refused_or_done(check_min_age, age)


# ---- saving typed text, and searching for it ----

@pytest.fixture
def world(station, admin, head_session):
    """A resident in a household, an errand, a checked-in shift, two future shifts."""
    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1))
    Household.create(group=group, number="01001")
    person = register_resident(ResidentForm(name="张三", household_number="01001"),
                               head_session)
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "城乡居民医保费用报销"))
    errand, delivered = (register_errand(IntakeForm(person.id, item.id, "carried", ["身份证"],
                                                    ["身份证"]), station.id, head_session)
                         for _ in range(2))
    Errand.update(status=Status.DELIVERED).where(Errand.id == delivered.id).execute()
    colleague = Cadre.create(station=station, name="王同事", login="colleague")
    day = ShiftTemplate.get((ShiftTemplate.station == station) & (ShiftTemplate.name == "日班"))

    def shift(cadre, offset, **extra):
        starts = T + dt.timedelta(days=offset)
        return Shift.create(station=station, template=day, day=starts.date(),
                            starts_at=starts, ends_at=starts + dt.timedelta(hours=12),
                            cadre=cadre, **extra)

    return SimpleNamespace(
        station=Station.get_by_id(station.id), head=head_session, person=person, item=item,
        errand=errand, delivered=Errand.get_by_id(delivered.id), colleague=colleague,
        day=day, worked=shift(admin, 0, checked_in_at=T), mine=shift(admin, 3),
        theirs=shift(colleague, 6))


def resident_forms():
    return st.builds(ResidentForm, name=field("李四", "覃小明"),
                     id_number=field("", "11010519491231002X"), phone=field("", "13800000002"),
                     household_number=field("", "01001"), relation=typed,
                     pinyin_override=typed, note=typed)


SAVES: dict[str, tuple] = {
    "set_up_station": (lambda w, form: set_up_station(form), st.builds(
        SetupForm, station_name=field("东风村便民服务站"), township=typed,
        group_count=field("3", "１２"), admin_name=field("赵站长"), admin_phone=field("", "0"),
        admin_login=st.just("first-run"))),
    "update_settings": (lambda w, name, township, days, nights, shift, shared:
                        update_settings(w.station.id, w.station.version, SettingsForm(
                            name, township, days, nights, {w.day.id: shift}, shared),
                            w.head),
                        field("红旗村便民服务站"), typed, field("3", "３０"), field("15"),
                        field("日班 08:00-20:00", "白班 ０７：３０－１９：３０"),
                        field("", "zhiban")),
    "set_pin": (lambda w, pin: set_pin(w.head.cadre_id, pin, w.head), field("2026", "２０２６")),
    "register_resident": (lambda w, form: register_resident(form, w.head),
                          resident_forms()),
    "update_resident": (lambda w, form, stale: update_resident(
        w.person.id, w.person.version - stale, form, w.head),
        resident_forms(), st.integers(0, 1)),
    "register_errand": (lambda w, mode, received, note: register_errand(
        IntakeForm(w.person.id, w.item.id, mode, received, received[:1], note),
        w.station.id, w.head),
        field("carried", "mobile"), st.lists(field("身份证"), max_size=3), typed),
    "advance": (lambda w, to, reason, place, note, when: advance(
        w.errand.id, w.errand.version, Move(to, reason, when, place, False, note),
        w.head),
        field(*Status), typed, typed, typed,
        st.one_of(st.none(), st.datetimes())),
    "record_callback": (lambda w, reached, satisfaction, comment: record_callback(
        w.delivered.id, w.delivered.version, w.head, reached=reached,
        satisfaction=satisfaction, comment=comment), st.booleans(), field("满意", "不满意"),
        typed),
    "add_note": (lambda w, text: add_note(w.errand.id, text, w.head), typed),
    "cancel_unstarted": (lambda w, reason: cancel_unstarted(create_batch(
        w.station.id, ServiceItem.get(ServiceItem.name == "养老保险待遇资格认证").id,
        "on_the_spot", [w.person.id], w.head).batch_id,
        reason, w.head), typed),
    "create_batch": (lambda w, mode, title: create_batch(
        w.station.id, ServiceItem.get(ServiceItem.name == "高龄津贴申领").id, mode,
        [w.person.id], w.head, title), field("carried"), typed),
    "set_calendar_days": (lambda w, kind, name: set_calendar_days(
        dt.date(2030, 5, 6), dt.date(2030, 5, 8), kind, name, w.head),
        st.sampled_from(["holiday", "workday"]), typed),
    "add_leave": (lambda w, reason: add_leave(
        w.colleague.id, D + dt.timedelta(days=20), D + dt.timedelta(days=21), reason,
        w.head), field("培训", "")),
    "swap_shifts": (lambda w, note: swap_shifts(
        w.mine.id, w.theirs.id, w.head, note, at=T - dt.timedelta(days=1)), typed),
    "substitute": (lambda w, note: substitute(
        w.theirs.id, w.head.cadre_id, w.head, note, at=T - dt.timedelta(days=1)),
        typed),
    "fill_slot": (lambda w, note: fill_slot(
        w.station.id, D + dt.timedelta(days=10), w.day.id, w.colleague.id,
        w.head, note, at=T - dt.timedelta(days=1)), typed),
    "check_out": (lambda w, note: check_out(
        w.worked.id, w.head, note, now=w.worked.ends_at), typed),
    "save_draft": (lambda w, key, text: save_draft(
        "tester", "intake", {"note": text, key: [text]}), typed, typed),
    "add_notice": (lambda w, title, text, tag: add_notice(
        PolicyForm(title, text, text, text, text, tag), w.head),
        field("城乡低保金"), typed, field("", "dibao")),
    "add_notice_publication": (lambda w, title, day, text: add_notice(
        PublicationForm(title, day, text, text), w.head),
        field("修建村道"), field("2026-01-05", "01-05"), typed),
    # what a villager types at the hall's screen, and the policies' search there
    "look_up": (lambda w, number, digits: look_up(
        number, digits, PublicActor(w.station.id), LookupLimiter()),
        field("2026-000001"), field("0000", "1234")),
    "public_policies": (lambda w, text: public_policies(w.station.id, text), typed),
    # what a cadre types into a search box goes into a query parameter too
    "search_residents": (lambda w, text: search_residents(text, station_id=our_station()), typed),
    "errand_by_number": (lambda w, text: errand_by_number(text, station_id=our_station()), typed),
    "search_handovers": (lambda w, text: search_handovers(w.station.id, text), typed),
    "queue_page": (lambda w, text: queue_page(QueueFilter(w.station.id, text=text)),
                   typed),
}


@pytest.mark.parametrize("name", SAVES)
def test_saves_and_searches_refuse_with_their_own_message(db, world, name):
    call, *strategies = SAVES[name]

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(values=st.tuples(*strategies))
    def drive(values):
        rolled_back(db, call, world, *values)

    drive()
    # every example was rolled back: the world is as it was
    assert Resident.select().count() == 1 and Errand.select().count() == 2
