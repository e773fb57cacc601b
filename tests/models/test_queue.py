import datetime as dt

import pytest

from models.core.entities import Cadre, VillagerGroup
from models.core.validation import ValidationError
from models.core.history import history
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, open_duplicates, register_errand
from models.errands.lifecycle import Move, advance, mark_carried
from models.errands.queue import QueueFilter, carry_list, preset_filter, queue_page
from models.people.entities import Household
from models.people.residents import ResidentForm, register_resident
from tests.actors import our_station

TODAY = dt.date.today()


@pytest.fixture
def desk(station, head_session, any_way):
    """Two groups' villagers with errands due at different times."""
    groups = list(VillagerGroup.select().order_by(VillagerGroup.number))
    Household.create(group=groups[0], number="01001")
    Household.create(group=groups[1], number="02001")
    zhang = register_resident(ResidentForm(name="张三", household_number="01001"), head_session)
    li = register_resident(ResidentForm(name="李四", household_number="02001"), head_session)
    other = Cadre.create(station=station, name="赵六", login="zhaoliu")
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    spot = ServiceItem.get(ServiceItem.name == "村委会证明开具")
    made = {}
    for key, person, it, mode, due in [
        ("late", zhang, item, "carried", TODAY - dt.timedelta(days=2)),
        ("today", li, item, "carried", TODAY),
        ("week", zhang, spot, "mobile", TODAY + dt.timedelta(days=3)),
        ("later", li, spot, "accompanied", TODAY + dt.timedelta(days=30)),
    ]:
        errand = register_errand(IntakeForm(person.id, it.id, mode), station.id, head_session)
        Errand.update(due_date=due).where(Errand.id == errand.id).execute()
        made[key] = Errand.get_by_id(errand.id)
    Errand.update(owner=other).where(Errand.id == made["later"].id).execute()
    return dict(made, groups=groups, other=other, zhang=zhang, item=item, head_session=head_session,
                station=station)


def numbers(page):
    return [r.number for r in page.rows]


def test_open_queue_most_urgent_first(desk):
    page = queue_page(QueueFilter(desk["station"].id))
    assert numbers(page) == [desk[k].number for k in ("late", "today", "week", "later")]
    assert page.total == 4 and not page.more
    urgency = [r.urgency(TODAY) for r in page.rows]
    assert urgency == ["overdue", "today", "", ""]


def test_keyset_pages_cover_everything_once(desk):
    f = QueueFilter(desk["station"].id)
    first = queue_page(f, limit=3)
    assert first.more and len(first.rows) == 3
    last = first.rows[-1]
    second = queue_page(f, after=(last.due_date, last.id), limit=3)
    assert numbers(first) + numbers(second) == numbers(queue_page(f))
    assert second.total is None and not second.more


def test_filters(desk):
    sid = desk["station"].id
    assert numbers(queue_page(preset_filter("overdue", sid, None))) == [desk["late"].number]
    assert numbers(queue_page(preset_filter("today", sid, None))) == [desk["today"].number]
    assert numbers(queue_page(preset_filter("mine", sid, desk["other"].id))) == [desk["later"].number]
    assert len(queue_page(QueueFilter(sid, modes=("carried",))).rows) == 2
    group_one = QueueFilter(sid, group_id=desk["groups"][0].id)
    assert set(numbers(queue_page(group_one))) == {desk["late"].number, desk["week"].number}
    by_item = QueueFilter(sid, item_id=desk["item"].id, due="week")
    assert numbers(queue_page(by_item)) == [desk["late"].number, desk["today"].number]
    assert numbers(queue_page(QueueFilter(sid, text="zs"))) == [desk["late"].number,
                                                                desk["week"].number]
    assert numbers(queue_page(QueueFilter(sid, text=desk["week"].number[-6:]))) == \
        [desk["week"].number]
    overdue_carried_group1 = QueueFilter(sid, modes=("carried",), due="overdue",
                                         group_id=desk["groups"][0].id)
    assert numbers(queue_page(overdue_carried_group1)) == [desk["late"].number]


def test_paused_errands_are_not_late(desk):
    late = desk["late"]
    advance(late.id, late.version, Move("waiting_villager", reason="缺发票"), desk["head_session"])
    page = queue_page(preset_filter("overdue", desk["station"].id, None))
    assert page.rows == []
    row = queue_page(QueueFilter(desk["station"].id)).rows[0]
    assert row.paused and row.urgency(TODAY) == ""


def test_callback_and_all_presets(desk):
    sid, head_session = desk["station"].id, desk["head_session"]
    week = desk["week"]
    week = advance(week.id, week.version, Move("in_progress"), head_session)
    week = advance(week.id, week.version, Move("appointment_set",
                                                appointment_at=dt.datetime.now()), head_session)
    advance(week.id, week.version, Move("delivered", missing_ok=True), head_session)
    assert numbers(queue_page(preset_filter("callback", sid, None))) == [week.number]
    assert queue_page(preset_filter("open", sid, None)).total == 3
    assert queue_page(preset_filter("all", sid, None)).total == 4


def test_carry_list_and_bulk_mark(desk):
    entries = carry_list(desk["station"].id)
    assert [e.row.number for e in entries] == [desk["late"].number, desk["today"].number]
    assert "住院发票原件" in entries[0].missing
    with pytest.raises(ValidationError) as refused:  # some paper is still missing
        mark_carried([e.row.id for e in entries], desk["head_session"])
    assert refused.value.field == "missing"
    carried = mark_carried([e.row.id for e in entries], desk["head_session"], missing_ok=True)
    assert [e.status for e in carried] == ["submitted", "submitted"]
    assert carry_list(desk["station"].id) == []
    week, = mark_carried([desk["week"].id], desk["head_session"], missing_ok=True)
    assert week.status == "submitted"  # 流动办 goes to the township too when it must


def test_open_duplicates(desk):
    assert [e.id for e in open_duplicates(desk["zhang"].id, desk["item"].id, station_id=our_station())] == [desk["late"].id]


def test_mobile_errand_on_the_trip_once_its_papers_are_in_hand(desk):
    """A 流动办 errand whose papers the cadre brought back from the home goes to the
    township on the next trip; one still to be visited, or done at the home, not."""
    week, sid = desk["week"], desk["station"].id
    on_trip = lambda: [e.row.number for e in carry_list(sid)]  # noqa: E731
    Errand.update(status="appointment_set").where(Errand.id == week.id).execute()
    assert week.number not in on_trip()  # the home visit is still to come
    ErrandMaterial.update(received=True).where(  # back from the home with the papers
        ErrandMaterial.errand == week.id).execute()
    assert on_trip()[-1] == week.number
    assert week.number in numbers(queue_page(preset_filter("carry", sid, None)))
    assert queue_page(preset_filter("carry", sid, None)).total == 3
    carried, = mark_carried([week.id], desk["head_session"])
    assert carried.status == "submitted"
    moves = [tuple(e.detail["changes"]["status"]) for e in history("errand", week.id)
             if e.action == "status"]
    assert moves == [("appointment_set", "submitted")]  # straight on, no 办理中 again
    assert week.number not in on_trip()
