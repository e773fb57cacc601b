import datetime as dt
import multiprocessing

import pytest

from models.core.db import database, make_database
from models.core.history import history
from models.core.validation import ValidationError
from models.duty.calendar import add_working_days
from models.errands.entities import Errand, ErrandBatch, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, due_date_for, register_errand
from models.errands.queue import preset_filter, queue_page
from models.errands.records import desk_figures, errand_receipt, resident_errands
from models.people.residents import ResidentForm, register_resident
from tests.actors import our_station


@pytest.fixture
def person(station, head_session):
    return register_resident(ResidentForm(name="张三", phone="13812341234"), head_session)


def item_named(name):
    return ServiceItem.get(ServiceItem.name == name)


def test_working_days_skip_weekends():
    friday = dt.date(2026, 11, 20)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 23)
    assert add_working_days(friday, 5) == dt.date(2026, 11, 27)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(dt.date(2026, 11, 23), 10) == dt.date(2026, 12, 7)


@pytest.mark.parametrize("mode", ["on_the_spot", "carried", "accompanied", "mobile"])
def test_intake_in_each_mode(station, head_session, person, any_way, mode):
    item = item_named("城乡居民医保费用报销")
    errand = register_errand(IntakeForm(
        resident_id=person.id, item_id=item.id, mode=mode,
        received=["身份证", "住院发票原件"], originals=["住院发票原件"]), station.id, head_session)
    assert errand.number.startswith(f"{dt.date.today().year}-")
    assert errand.due_date == due_date_for(item, dt.date.today())
    assert errand.due_date >= add_working_days(dt.date.today(), item.time_limit_days)
    materials = {m.name: m for m in ErrandMaterial.select().where(ErrandMaterial.errand == errand)}
    assert set(materials) == set(item.materials)
    assert materials["住院发票原件"].received and materials["住院发票原件"].original
    assert not materials["医保卡"].received
    assert [e.mode for e in resident_errands(person.id, station_id=our_station())] == [mode]
    assert [e.action for e in history("errand", errand.id)] == ["create"]
    receipt = errand_receipt(errand.id, station_id=our_station())
    assert receipt.missing == ["户口簿", "医保卡", "费用清单", "出院小结"]
    assert receipt.cadre_name == "王建国"


def test_numbers_follow_each_other(station, head_session, person):
    item = item_named("村委会证明开具")
    numbers = [register_errand(IntakeForm(person.id, item.id, "on_the_spot"),
                               station.id, head_session).number for _ in range(3)]
    sequence = [int(n.split("-")[1]) for n in numbers]
    assert sequence == [1, 2, 3]


def test_bad_intake_refused_whole(station, head_session, person):
    item = item_named("村委会证明开具")
    with pytest.raises(ValidationError):
        register_errand(IntakeForm(person.id, item.id, "teleport"), station.id, head_session)
    with pytest.raises(ValidationError):
        register_errand(IntakeForm(person.id, item.id, "carried", received=["金条"]),
                        station.id, head_session)
    assert Errand.select().count() == 0


def test_figures(station, head_session, person):
    item = item_named("村委会证明开具")
    errand = register_errand(IntakeForm(person.id, item.id, "on_the_spot"), station.id, head_session)
    figures = desk_figures(station.id)
    assert (figures.today_intake, figures.open_count, figures.due_today, figures.overdue) == (1, 1, 1, 0)
    Errand.update(due_date=dt.date.today() - dt.timedelta(days=3)).where(Errand.id == errand.id).execute()
    assert desk_figures(station.id).overdue == 1


def test_home_figures_mean_what_the_queue_filters_mean(station, head_session, person):
    """A batch errand is no walk-in of today; a paused errand is not overdue, on home
    as in the queue's overdue and due-today filters."""
    item = item_named("村委会证明开具")
    errands = [register_errand(IntakeForm(person.id, item.id, "on_the_spot"), station.id,
                               head_session) for _ in range(3)]
    batch = ErrandBatch.create(station=station.id, item=item.id, title="养老认证",
                               created_by=head_session.cadre_id)
    Errand.update(batch=batch).where(Errand.id == errands[0].id).execute()
    late = dt.date.today() - dt.timedelta(days=3)
    Errand.update(due_date=late).where(Errand.id.in_([errands[0].id, errands[1].id])).execute()
    Errand.update(paused_since=late).where(Errand.id == errands[1].id).execute()
    figures = desk_figures(station.id)
    assert figures.today_intake == 2
    assert figures.overdue == 1 == queue_page(preset_filter("overdue", station.id, None)).total
    assert figures.due_today == 1 == queue_page(preset_filter("today", station.id, None)).total
    assert figures.open_count == 3 == queue_page(preset_filter("open", station.id, None)).total


def _take_numbers(url, resident_id, item_id, actor, count, queue):
    database.initialize(make_database(url))
    with database.connection_context():
        queue.put([register_errand(IntakeForm(resident_id, item_id, "carried"),
                                   actor.station_id, actor).number for _ in range(count)])


def test_numbers_unique_across_processes(db_url, head_session, person):
    """Four sessions taking numbers at the same moment never share one."""
    item = item_named("村委会证明开具")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_take_numbers,
                               args=(db_url, person.id, item.id, head_session, 15, queue))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    numbers = [n for _ in workers for n in queue.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert len(numbers) == 60 == len(set(numbers))
    assert Errand.select().count() == 60
