"""Due dates in a year whose holiday schedule is not published yet: counted over
the festivals the law gives, marked unofficial wherever they show, and moved with
an event when the station head changes the calendar."""
import datetime as dt

import pytest

from models.core.entities import Event
from models.errands.entities import Errand, ServiceItem, Status
from models.errands.intake import IntakeForm, due_date_for, register_errand
from models.errands.queue import QueueFilter, queue_page
from models.errands.records import errand_detail, errand_receipt
from models.duty.holidays import clear_calendar_day, set_calendar_days, set_year_published
from tests.actors import our_station

D = dt.date
MONDAY = D(2027, 1, 25)  # two weeks before 春节 2027 (除夕 is Friday 02-05)


@pytest.fixture
def pension(station):
    return ServiceItem.get(ServiceItem.name == "养老金领取申请")  # 10 working days


def test_a_2027_due_date_skips_the_spring_festival(pension):
    # 01-26..02-04 are 8 working days; 除夕 02-05 and 初三 02-08 are off
    assert due_date_for(pension, MONDAY) == D(2027, 2, 10)


def registered_on(day: dt.date, item: ServiceItem, person, station, actor,
                  status: str = Status.REGISTERED) -> Errand:
    errand = register_errand(IntakeForm(person.id, item.id, item.default_mode), station.id,
                             actor)
    Errand.update(created_at=dt.datetime.combine(day, dt.time(9, 30)),
                  due_date=due_date_for(item, day), status=status) \
        .where(Errand.id == errand.id).execute()
    return Errand.get_by_id(errand.id)


def test_due_dates_follow_the_calendar_with_an_event_each(station, head_session, zhang,
                                                          pension, any_way):
    same_day = ServiceItem.get(ServiceItem.name == "村委会证明开具")  # 0 days
    moving = [registered_on(MONDAY, pension, zhang, station, head_session) for _ in range(2)]
    untouched = [registered_on(MONDAY, same_day, zhang, station, head_session),
                 registered_on(MONDAY, pension, zhang, station, head_session, Status.DELIVERED),
                 registered_on(D(2027, 3, 1), pension, zhang, station, head_session)]
    before = {e.id: (e.due_date, e.version) for e in untouched}
    # the notice is out: 春节 runs to 02-11
    set_calendar_days(D(2027, 2, 9), D(2027, 2, 11), "holiday", "春节",
                      head_session)
    for errand in moving:
        moved = Errand.get_by_id(errand.id)
        assert (moved.due_date, moved.version) == (D(2027, 2, 15), errand.version + 1)
        [event] = Event.select().where((Event.entity == "errand")
                                       & (Event.entity_id == errand.id)
                                       & (Event.action == "calendar"))
        assert event.detail == {"changes": {"due_date": ["2027-02-10", "2027-02-15"]}}
        assert event.actor_id == head_session.cadre_id
    assert {e.id: (e.due_date, e.version)
            for e in Errand.select().where(Errand.id.in_(list(before)))} == before
    # taken back: 02-11 is a working day again
    clear_calendar_day(D(2027, 2, 11), head_session)
    assert {Errand.get_by_id(e.id).due_date for e in moving} == {D(2027, 2, 12)}
    assert Event.select().where(Event.action == "calendar").count() == 4


def test_the_unofficial_mark_goes_wherever_the_due_date_shows(station, head_session, zhang,
                                                             pension):
    winter = registered_on(MONDAY, pension, zhang, station, head_session)
    autumn = registered_on(D(2026, 9, 1), pension, zhang, station, head_session)
    rows = {row.id: row for row in queue_page(QueueFilter(station.id)).rows}
    assert rows[winter.id].unofficial and not rows[autumn.id].unofficial
    assert errand_detail(winter.id, station_id=our_station()).unofficial_years == [2027]
    assert errand_receipt(winter.id, station_id=our_station()).unofficial_years == [2027]
    assert errand_receipt(autumn.id, station_id=our_station()).unofficial_years == []
    set_year_published(2027, True, head_session)
    assert not any(row.unofficial for row in queue_page(QueueFilter(station.id)).rows)
    assert errand_detail(winter.id, station_id=our_station()).unofficial_years == []
    assert errand_receipt(winter.id, station_id=our_station()).unofficial_years == []
