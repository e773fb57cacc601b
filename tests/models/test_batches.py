import datetime as dt

import pytest

from models.core.entities import Counter, Event, VillagerGroup
from models.core.history import history as history_of
from models.core.validation import ValidationError, id_check_char
from models.errands.batches import (
    batch_progress,
    HANDFUL,
    batch_targets,
    cancel_unstarted,
    create_batch,
    preview_batch,
    start_batch,
    station_batches,
)
from models.errands.entities import Errand, ErrandBatch, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, due_date_for, register_errand
from models.errands.lifecycle import Move, advance
from models.people.entities import Household, Resident
from models.people.residents import ResidentForm, register_resident
from tests.actors import our_station

TODAY = dt.date(2026, 6, 1)
MEDICAL = "城乡居民医疗保险参保缴费"  # 马上办, 身份证 + 户口簿


def id_number(born: dt.date, seq: int) -> str:
    first17 = f"110105{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def village(station, head_session):
    """Three groups: two households in group 1, one in group 2, an empty one in 3."""
    groups = list(VillagerGroup.select().order_by(VillagerGroup.number))
    for group, number in [(0, "01002"), (0, "01001"), (1, "02001"), (2, "03001")]:
        Household.create(group=groups[group], number=number)
    people = {}
    for name, household, relation, born in [
        ("张小明", "01001", "子", dt.date(1985, 3, 2)),  # registered before the head
        ("张大山", "01001", "户主", dt.date(1950, 1, 1)),
        ("李桂兰", "01001", "配偶", dt.date(1955, 7, 9)),
        ("王秀英", "01002", "", dt.date(1940, 2, 29)),  # no head recorded: first one
        ("王强", "01002", "", None),  # no ID number
        ("赵六", "02001", "户主", dt.date(1990, 5, 5)),
        ("赵老汉", "02001", "父", dt.date(1966, 6, 1)),  # 60 on TODAY
        ("赵二", "02001", "弟", dt.date(1966, 6, 2)),  # 60 the day after
        ("赵错号", "02001", "弟", dt.date(1950, 1, 1)),  # ID number spoiled below
    ]:
        number = id_number(born, len(people) + 1) if born else ""
        people[name] = register_resident(ResidentForm(
            name=name, id_number=number, household_number=household,
            relation=relation), head_session)
    Resident.update(id_number="12345").where(Resident.name == "赵错号").execute()
    return dict(groups=groups, people=people,
                item=ServiceItem.get(ServiceItem.name == MEDICAL))


def names(residents):
    return [r.name for r in residents]


def test_heads_of_households_by_group(village, station):
    g1, g2, g3 = village["groups"]
    targets = batch_targets(station.id, [g1.id])
    assert names(targets.residents) == ["张大山", "王秀英"]  # in household order
    assert targets.residents[0].household.group.name == g1.name
    assert (targets.households, targets.empty_households, targets.left_out) == (2, 0, [])
    targets = batch_targets(station.id, [g2.id, g3.id])
    assert names(targets.residents) == ["赵六"]
    assert (targets.households, targets.empty_households) == (2, 1)
    everyone = batch_targets(station.id, [])  # no group chosen: the whole village
    assert names(everyone.residents) == ["张大山", "王秀英", "赵六"]
    assert everyone.households == 4


def test_people_by_age_leave_out_those_without_an_id_number(village, station):
    targets = batch_targets(station.id, [], per_person_min_age=60, today=TODAY)
    assert names(targets.residents) == ["张大山", "李桂兰", "王秀英", "赵老汉"]
    assert sorted((entry.name, entry.reason) for entry in targets.left_out) == [
        ("王强", "no_id_number"), ("赵错号", "bad_id_number")]
    assert targets.left_out_by_reason() == {"no_id_number": 1, "bad_id_number": 1}
    later = batch_targets(station.id, [village["groups"][1].id], per_person_min_age=60,
                          today=TODAY + dt.timedelta(days=1))
    assert names(later.residents) == ["赵老汉", "赵二"]
    with pytest.raises(ValidationError):
        batch_targets(station.id, [], per_person_min_age=-1)


def test_more_than_a_handful_only_once_confirmed(village, station, head_session):
    people, item = village["people"], village["item"]
    ids = [p.id for p in people.values()][:HANDFUL + 1]
    preview = preview_batch(station.id, item.id, [], per_person_min_age=0)
    assert preview.to_create > HANDFUL and preview.needs_confirm
    assert not preview_batch(station.id, item.id, [village["groups"][1].id]).needs_confirm
    with pytest.raises(ValidationError) as refused:
        create_batch(station.id, item.id, "carried", ids, head_session)
    assert str(HANDFUL + 1) in str(refused.value)
    assert Errand.select().count() == 0
    assert create_batch(station.id, item.id, "carried", ids[:HANDFUL], head_session).created \
        == HANDFUL
    Errand.delete().execute()
    assert create_batch(station.id, item.id, "carried", ids, head_session,
                        confirmed=True).created == HANDFUL + 1


def test_cancel_the_batch_errands_not_started(village, station, head_session):
    people, item = village["people"], village["item"]
    ids = [people[n].id for n in ("张大山", "王秀英", "赵六")]
    result = create_batch(station.id, item.id, "carried", ids, head_session)
    started = Errand.get(Errand.number == result.numbers[1])
    advance(started.id, started.version, Move("in_progress"), head_session)
    with pytest.raises(ValidationError):
        cancel_unstarted(result.batch_id, "  ", head_session)
    cancelled = cancel_unstarted(result.batch_id, "县里改为个人网上申报", head_session)
    assert cancelled == [result.numbers[0], result.numbers[2]]
    statuses = {e.number: e.status for e in Errand.select()}
    assert statuses == {result.numbers[0]: "cancelled", result.numbers[1]: "in_progress",
                        result.numbers[2]: "cancelled"}
    errand = Errand.get(Errand.number == result.numbers[0])
    assert any(e.detail.get("reason") == "县里改为个人网上申报"
               for e in history_of("errand", errand.id))
    assert history_of("batch", result.batch_id)[-1].detail["cancelled"] == cancelled
    with pytest.raises(ValidationError):  # nothing left that has not started
        cancel_unstarted(result.batch_id, "再撤一次", head_session)


def test_create_batch_registers_one_errand_each(village, station, head_session):
    people, item = village["people"], village["item"]
    before = register_errand(IntakeForm(people["赵六"].id, item.id, "carried"),
                             station.id, head_session)  # a walk-in first: numbers continue
    ids = [people[n].id for n in ("张大山", "王秀英", "李桂兰")]
    result = create_batch(station.id, item.id, "on_the_spot", ids, head_session)
    batch = ErrandBatch.get_by_id(result.batch_id)
    assert MEDICAL in batch.title and batch.item_id == item.id
    assert batch.created_by_id == head_session.cadre_id
    errands = list(Errand.select().where(Errand.batch == batch.id).order_by(Errand.number))
    assert result.created == 3 and len(errands) == 3 and result.skipped == []
    year, last = before.number.split("-")
    assert [e.number for e in errands] == result.numbers == [
        f"{year}-{int(last) + k:06d}" for k in (1, 2, 3)]
    assert [e.resident_id for e in errands] == ids
    assert Counter.get(Counter.name == f"errand-{year}").value == int(last) + 3
    for errand in errands:
        assert (errand.mode, errand.status, errand.owner_id, errand.created_by_id) == (
            "on_the_spot", "registered", head_session.cadre_id, head_session.cadre_id)
        assert errand.due_date == due_date_for(item, errand.created_at.date())
        materials = ErrandMaterial.select().where(ErrandMaterial.errand == errand.id)
        assert sorted((m.name, m.received, m.original) for m in materials) == [
            ("户口簿", False, False), ("身份证", False, False)]
        created = list(Event.select().where((Event.entity == "errand")
                                            & (Event.entity_id == errand.id)))
        assert [(e.action, e.actor_id) for e in created] == [("create", head_session.cadre_id)]
        assert created[0].detail == dict(number=errand.number, mode="on_the_spot",
                                         item=MEDICAL, received=[], batch=batch.id)
    # the same details as a walk-in intake, plus the batch
    walk_in = Event.get((Event.entity == "errand") & (Event.entity_id == before.id))
    assert set(created[0].detail) == set(walk_in.detail) | {"batch"}
    logged = Event.get((Event.entity == "batch") & (Event.entity_id == batch.id))
    assert logged.detail["created"] == 3


def test_residents_with_the_item_open_are_skipped(village, station, head_session):
    people, item = village["people"], village["item"]
    open_one = register_errand(IntakeForm(people["张大山"].id, item.id, "carried"),
                               station.id, head_session)
    closed = register_errand(IntakeForm(people["赵六"].id, item.id, "carried"),
                             station.id, head_session)
    advance(closed.id, closed.version, Move("cancelled", reason="重复"), head_session)
    other_item = ServiceItem.get(ServiceItem.name == "村委会证明开具")
    register_errand(IntakeForm(people["王秀英"].id, other_item.id, "on_the_spot"),
                    station.id, head_session)
    heads = batch_targets(station.id, []).residents
    preview = preview_batch(station.id, item.id, [])
    assert (len(preview.targets.residents), preview.already_open) == (3, 1)
    result = create_batch(station.id, item.id, "on_the_spot", [r.id for r in heads], head_session)
    assert result.created == 2
    assert [(s.name, s.open_number) for s in result.skipped] == [("张大山", open_one.number)]
    in_batch = Errand.select().where(Errand.batch == result.batch_id)
    assert sorted(e.resident.name for e in in_batch) == ["王秀英", "赵六"]
    assert Errand.select().where(Errand.resident == people["张大山"].id).count() == 1


def test_refuses_without_leaving_anything_behind(village, station, head_session):
    item = village["item"]
    zhang = village["people"]["张大山"].id
    for ids, mode in [([], "on_the_spot"), ([zhang], "by_pigeon"), ([zhang, 999_999],
                                                                    "carried")]:
        with pytest.raises(ValidationError) as refused:
            create_batch(station.id, item.id, mode, ids, head_session)
        assert refused.value.message  # a sentence from the catalogue
    with pytest.raises(ValidationError, match="没有要办理的群众"):
        create_batch(station.id, item.id, "carried", [], head_session)
    create_batch(station.id, item.id, "carried", [zhang], head_session)
    with pytest.raises(ValidationError, match="都已有未办结的该事项"):
        create_batch(station.id, item.id, "carried", [zhang], head_session)
    assert ErrandBatch.select().count() == 1 and Errand.select().count() == 1
    with pytest.raises(ValidationError, match="没有要办理的群众"):
        start_batch(station.id, item.id, "carried", [village["groups"][2].id],
                    per_person_min_age=None, actor=head_session)


def test_progress_follows_the_errands(village, station, head_session):
    people, item = village["people"], village["item"]
    # numbered against household order: the rows must still come by household
    heads = [people[name].id for name in ("赵六", "王秀英", "张大山")]
    result = create_batch(station.id, item.id, "on_the_spot", heads, head_session,
                          title="2026年度医保参保")
    progress = batch_progress(result.batch_id, station_id=our_station())
    assert (progress.total, progress.done, progress.counts) == (3, 0, {"registered": 3})
    wang = next(row for row in progress.rows if row.resident_name == "王秀英")
    advance(wang.errand_id, wang.version, Move("delivered", missing_ok=True), head_session)
    progress = batch_progress(result.batch_id, station_id=our_station())
    assert progress.title == "2026年度医保参保" and progress.item_name == MEDICAL
    assert (progress.total, progress.done, progress.open) == (3, 1, 2)
    assert progress.counts == {"registered": 2, "delivered": 1}
    assert [(r.household_number, r.resident_name, r.group_name, r.status)
            for r in progress.rows] == [
        ("01001", "张大山", "第一村民小组", "registered"),
        ("01002", "王秀英", "第一村民小组", "delivered"),
        ("02001", "赵六", "第二村民小组", "registered")]
    assert progress.rows[0].due_date == due_date_for(item, dt.date.today())
    summaries = station_batches(station.id)
    assert [(s.batch_id, s.title, s.total, s.done) for s in summaries] == [
        (result.batch_id, "2026年度医保参保", 3, 1)]
    with pytest.raises(ValidationError):
        batch_progress(result.batch_id + 1, station_id=our_station())


def test_fifteen_hundred_errands_in_one_go(station, head_session):
    group = VillagerGroup.get(VillagerGroup.number == 1)
    Household.insert_many([dict(group=group, station=group.station, number=f"01{n:04d}") for n in range(1500)]
                          ).execute()
    households = Household.select(Household.id).order_by(Household.number).tuples()
    Resident.insert_many([dict(name=f"村民{n}", household=h, relation="户主")
                          for n, (h,) in enumerate(households)]).execute()
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")  # six materials
    result = start_batch(station.id, item.id, "carried", [], per_person_min_age=None,
                         actor=head_session, confirmed=True)
    assert result.created == 1500 and len(set(result.numbers)) == 1500
    assert ErrandMaterial.select().count() == 1500 * 6
    assert Event.select().where(Event.action == "create", Event.entity == "errand"
                                ).count() == 1500
