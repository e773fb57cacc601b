"""The demo village: what the acceptance tests and the benchmarks rely on."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from kiosk.demo import build_demo
from models.core.entities import (
    Cadre,
    Counter,
    Event,
    GroupCoverage,
    Station,
    VillagerGroup,
)
from models.core.schema import all_models
from models.core.validation import gender_from_id, normalize_id_number
from models.errands.entities import (
    CLOSED_STATUSES,
    MODES,
    OPEN_STATUSES,
    Errand,
    ErrandMaterial,
    ServiceItem,
    Status,
)
from models.errands.intake import due_date_for, reserve_numbers
from models.people import residents as people
from models.people.entities import Household, Resident, ResidentKey
from tests.actors import our_station

TODAY = dt.date(2026, 5, 13)  # a Wednesday


def build(**kwargs) -> dict:
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("admin_login", "zhanzhang")
    return build_demo("small", **kwargs)


def snapshot() -> dict:
    return dict(
        residents=list(Resident.select(Resident.name, Resident.id_number, Resident.phone,
                                       Resident.relation).order_by(Resident.id).tuples()),
        errands=list(Errand.select(Errand.number, Errand.mode, Errand.status,
                                   Errand.created_at).order_by(Errand.number).tuples()),
        cadres=list(Cadre.select(Cadre.name, Cadre.login).order_by(Cadre.id).tuples()),
    )


def empty_database() -> None:
    for model in reversed(all_models()):
        model.delete().execute()


def test_small_build_counts_and_progress(db):
    calls = []
    counts = build(progress=lambda done, total, label: calls.append((done, total, label)))

    assert counts["residents"] == Resident.select().count() == 300
    assert 75 <= counts["households"] == Household.select().count() <= 105
    assert 380 <= counts["errands"] == Errand.select().count() <= 420
    assert counts["materials"] == ErrandMaterial.select().count()
    assert counts["events"] == Event.select().count()
    assert counts["resident_keys"] == ResidentKey.select().count()
    assert Station.select().count() == 1
    assert VillagerGroup.select().count() == counts["groups"] == 10
    assert 7 <= Cadre.select().count() <= 9
    assert ServiceItem.select().count() >= 25

    assert calls and calls[-1][0] == calls[-1][1]
    assert all(0 <= done <= total for done, total, _ in calls)


def test_cadres_one_admin_signed_in_as_the_given_login(db):
    build(admin_login="duty-desk-user")
    admins = list(Cadre.select().where(Cadre.role == "admin"))
    assert [a.login for a in admins] == ["duty-desk-user"]
    others = Cadre.select().where(Cadre.role == "duty")
    assert all(re.fullmatch(r"cadre\d+", c.login) for c in others)
    for cadre in Cadre.select():
        assert re.fullmatch(r"1[3-9]\d{9}", cadre.phone)
    covers = [(row.cadre_id, row.group_id) for row in GroupCoverage.select()]
    assert sorted(c for c, _ in covers) == [c.id for c in Cadre.select().order_by(Cadre.id)]
    assert len({g for _, g in covers}) == len(covers)  # each looks after a group of their own


def test_admin_login_defaults_to_the_os_user(db, monkeypatch):
    monkeypatch.setattr("kiosk.demo.os_login", lambda: "os-user")
    build_demo("small", today=TODAY)
    assert Cadre.get(Cadre.role == "admin").login == "os-user"


def test_same_seed_same_village(db):
    build(seed=7)
    first = snapshot()
    empty_database()
    build(seed=7)
    assert snapshot() == first
    empty_database()
    build(seed=8)
    assert snapshot()["residents"] != first["residents"]


def test_every_status_and_mode(db):
    build()
    statuses = {s for (s,) in Errand.select(Errand.status).distinct().tuples()}
    modes = {m for (m,) in Errand.select(Errand.mode).distinct().tuples()}
    assert statuses == set(Status)
    assert modes == set(MODES)

    is_open = Errand.status.in_(OPEN_STATUSES)
    assert Errand.select().where(is_open, Errand.due_date < TODAY).count() >= 1
    assert Errand.select().where(is_open, Errand.due_date == TODAY).count() >= 1
    # Closed errands have a closing time, open ones none; nothing after today.
    end_of_today = dt.datetime.combine(TODAY, dt.time.max)
    for errand in Errand.select(Errand, ServiceItem).join(ServiceItem):
        assert (errand.closed_at is not None) == (errand.status in CLOSED_STATUSES)
        assert errand.created_at <= errand.updated_at <= end_of_today
        assert errand.created_at.date() >= TODAY - dt.timedelta(days=400)
        assert errand.mode in errand.item.allowed_modes  # as intake would have it
        if errand.closed_at:
            assert errand.created_at <= errand.closed_at <= errand.updated_at
        assert errand.due_date == due_date_for(errand.item, errand.created_at.date())
        assert errand.owner_id and errand.created_by_id


def test_materials_and_history_of_each_errand(db):
    build()
    materials = {}
    for errand_id, name in (ErrandMaterial.select(ErrandMaterial.errand, ErrandMaterial.name)
                            .order_by(ErrandMaterial.id).tuples()):
        materials.setdefault(errand_id, []).append(name)
    for errand in Errand.select(Errand, ServiceItem).join(ServiceItem):
        assert materials.get(errand.id, []) == errand.item.materials
    assert ErrandMaterial.select().where(ErrandMaterial.original).count() > 0
    assert ErrandMaterial.select().where(~ErrandMaterial.received).count() > 0

    creates = Event.select().where(Event.entity == "errand", Event.action == "create")
    assert creates.count() == Errand.select().count()
    event = creates.order_by(Event.id).first()
    assert event.detail["number"] == Errand.get_by_id(event.entity_id).number
    advanced = Errand.select().where(Errand.status != "registered").count()
    assert Event.select().where(Event.entity == "errand",
                                Event.action == "status").count() == advanced
    # a callback is recorded as the desk records it, so the month's figures count it
    called_back = Errand.select().where(Errand.status == "called_back").count()
    assert called_back and Event.select().where(Event.entity == "errand",
                                                Event.action == "callback").count() == called_back


def test_residents_are_valid_and_findable(db):
    build()
    residents = list(Resident.select())
    numbers = [r.id_number for r in residents]
    assert len(set(numbers)) == len(numbers)
    for resident in residents:
        assert normalize_id_number(resident.id_number) == resident.id_number
        assert gender_from_id(resident.id_number) == resident.gender
        assert resident.phone == "" or re.fullmatch(r"1[3-9]\d{9}", resident.phone)
        assert resident.relation in ("户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女")
    with_phone = [r for r in residents if r.phone]
    assert len(with_phone) > len(residents) // 2
    assert len({r.phone for r in with_phone}) == len(with_phone)
    for household in Household.select():
        assert re.fullmatch(r"\d{5}", household.number)
        assert re.fullmatch(r"第.+村民小组 \d+号", household.address)
        assert [r.relation for r in household.residents].count("户主") == 1

    zhang = Resident.get(Resident.name == "张三")
    assert zhang.phone.endswith("1234")
    keys = {k for (k,) in ResidentKey.select(ResidentKey.key)
            .where(ResidentKey.resident == zhang).tuples()}
    assert {"zs", "zhangsan"} <= keys
    for query in ("zs", "zhangsan", "1234", zhang.phone[:7], "张三"):
        assert zhang.id in [r.id for r in people.search_residents(query, station_id=our_station())], query
    zs_names = {r.name for r in Resident.select().where(Resident.name.startswith("张"))}
    assert {"张顺", "张松"} <= zs_names

    # The stored keys are exactly what saving the resident by hand would store.
    for resident in residents[::37] + [zhang]:
        stored = [k for (k,) in ResidentKey.select(ResidentKey.key)
                  .where(ResidentKey.resident == resident).order_by(ResidentKey.id).tuples()]
        copy = Resident(name=resident.name, phone=resident.phone,
                        id_number=resident.id_number, pinyin_override="")
        assert stored == people.resident_keys(copy, resident.household.number)
        assert resident.pinyin == copy.pinyin


def test_tricky_names_are_there(db):
    build_demo("small", seed=3, today=TODAY, admin_login=None)
    names = [n for (n,) in Resident.select(Resident.name).tuples()]
    assert "[red]王[/red]" in names and "[/bar]" in names
    tricky = ("单", "曾", "解", "仇", "区", "查", "朴", "覃", "缪", "欧阳", "长孙", "尉迟", "司马")
    assert any(name.startswith(tricky) for name in names)
    assert Cadre.get(Cadre.role == "admin").login is None


def test_zhang_san_has_errands_in_several_modes(db):
    build()
    modes = {e.mode for e in Errand.select().join(Resident).where(Resident.name == "张三")}
    assert set(MODES) <= modes


def test_numbering_continues_after_the_demo(db):
    build()
    for year in {e.created_at.year for e in Errand.select()}:
        last = (Errand.select(Errand.number).where(Errand.number.startswith(f"{year}-"))
                .order_by(Errand.number.desc()).scalar())
        count = Errand.select().where(Errand.number.startswith(f"{year}-")).count()
        assert last == f"{year}-{count:06d}"
        assert Counter.get_by_id(f"errand-{year}").value == count
        with db.atomic():
            assert reserve_numbers(year) == [f"{year}-{count + 1:06d}"]
    # Numbers follow intake order within a year.
    ordered = [n for (n,) in Errand.select(Errand.number)
               .order_by(Errand.created_at, Errand.number).tuples()]
    assert ordered == sorted(ordered)


def test_refuses_a_database_that_already_holds_a_station(db):
    build()
    before = Resident.select().count()
    with pytest.raises(ValueError):
        build()
    assert Resident.select().count() == before
    assert Station.select().count() == 1


def test_unknown_size_is_refused(db):
    with pytest.raises(ValueError):
        build_demo("huge", today=TODAY)
    assert Station.select().count() == 0


def test_a_year_of_visits_leaves_the_village_as_it_was(db, monkeypatch):
    from kiosk.demo import SIZES
    from models.village.entities import Visit

    def visits() -> list[tuple]:
        return list(Visit.select(Household.number, Cadre.login, Visit.visited_at)
                    .join(Household).switch(Visit).join(Cadre)
                    .order_by(Visit.visited_at, Household.number).tuples())
    monkeypatch.setitem(SIZES["small"], "visits", 0)
    build(seed=7)
    without = snapshot()
    empty_database()
    monkeypatch.setitem(SIZES["small"], "visits", 600)
    assert build(seed=7)["visits"] == 600 == Visit.select().count()
    assert snapshot() == without  # the village's own draws untouched
    made = visits()
    assert all(TODAY - dt.timedelta(days=365) <= at.date() < TODAY for _, _, at in made)
    assert len({number for number, _, _ in made}) > Household.select().count() / 2
    empty_database()
    build(seed=7)
    assert visits() == made


def test_the_village_has_tags_disputes_and_a_diary(db):
    """What a new user sees on the coverage board, the dispute list and the diary."""
    from models.village.coverage import station_totals
    from models.village.dispute_lists import disputes_needing_attention
    from models.village.disputes import DisputeForm, PartyForm, record_dispute
    from models.village.entities import DiaryEntry, Dispute, HouseholdTag
    from tests.actors import acting
    counts = build()
    assert counts["disputes"] == Dispute.select().count() == 3
    assert counts["diary"] == DiaryEntry.select().count() > 0
    assert HouseholdTag.select().count() >= counts["tagged"] > 0
    station = Station.get()
    assert disputes_needing_attention(station.id, today=TODAY).count >= 1  # the high-risk one
    week = station_totals(station.id, TODAY - dt.timedelta(days=6), TODAY + dt.timedelta(days=1))
    visited, households = week.visited, week.households
    assert 0 < visited < households / 2  # some visited this week, most not
    admin = Cadre.get(Cadre.role == "admin")
    resident = Resident.select().where(Resident.household.is_null(False)).first()
    made = record_dispute(DisputeForm("新纠纷", "other", "low", [PartyForm(resident.id)],
                                      found_on=TODAY), acting(admin))
    assert made.number not in {d.number for d in Dispute.select().where(Dispute.id != made.id)}
