"""A township server: three stations in one database, each cadre in their own, and
the township's cadre reading all of them side by side and changing nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from models.core.entities import Cadre, Station
from models.core.validation import ValidationError
from models.duty.nights import mark_night
from models.errands.entities import Errand, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import record_callback
from models.errands.records import errand_detail
from models.people.households import HouseholdForm, add_household
from models.people.residents import ResidentForm, register_resident, search_residents
from models.station.settings import SettingsForm, settings_of, update_settings
from models.station.setup import SetupForm, set_up_station
from models.station.team import desk_station, sign_in
from models.station.township import add_township_cadre, switch_station, township_lines
from models.village.entities import Duty, Visit
from models.village.visits import VisitForm, log_visit
from tests.actors import acting

TODAY = dt.date.today()


def station_with_errands(name: str, login: str, errands: int, overdue: int):
    """A station, its head, one household with 张三 in it, and `errands` errands of
    his (the first `overdue` of them past their due date)."""
    station, head = set_up_station(SetupForm(station_name=name, group_count="1",
                                             admin_name=f"{name[:2]}站长", admin_login=login))
    session = acting(head)
    add_household(HouseholdForm(f"{station.id:02d}001", "1"), session)
    person = register_resident(ResidentForm(name="张三",
                                            household_number=f"{station.id:02d}001"), session)
    item = ServiceItem.get((ServiceItem.station == station) & (ServiceItem.name == "村委会证明开具"))
    made = [register_errand(IntakeForm(person.id, item.id, "on_the_spot"), station.id, session)
            for _ in range(errands)]
    Errand.update(due_date=TODAY - dt.timedelta(days=3)).where(
        Errand.id.in_([e.id for e in made[:overdue]])).execute()
    return station, session, person, made


@pytest.fixture
def township(db):
    """Three stations (3, 2 and 1 errands; 1, 0 and 1 overdue) and the township's cadre."""
    three = [station_with_errands("红旗村便民服务站", "hongqi", 3, 1),
             station_with_errands("东风村便民服务站", "dongfeng", 2, 0),
             station_with_errands("向阳村便民服务站", "xiangyang", 1, 1)]
    return three, add_township_cadre("xiang", "乡镇督查")


def test_each_station_cadre_sees_only_their_station(township):
    three, _ = township
    for station, session, person, made in three:
        assert desk_station(sign_in(session.login)).id == station.id
        assert [r.id for r in search_residents("zhangsan", station_id=station.id)] == [person.id]
        other = next(e for s, _, _, errands in three if s.id != station.id for e in errands)
        with pytest.raises(ValidationError) as refused:
            errand_detail(other.id, station_id=session.station_id)
        assert refused.value.code == "scope.not_found"


def test_the_township_sees_the_three_side_by_side(township):
    three, _ = township
    _, hongqi, person, _ = three[0]
    log_visit(VisitForm(person.household_id, dt.datetime.now().replace(microsecond=0)
                        - dt.timedelta(hours=1), [Duty.POLICY]), hongqi)
    lines = township_lines(TODAY.year, TODAY.month, today=TODAY)
    assert [(line.name, line.open, line.overdue, line.households, line.visited)
            for line in lines] == [("红旗村便民服务站", 3, 1, 1, 1),
                                   ("东风村便民服务站", 2, 0, 1, 0),
                                   ("向阳村便民服务站", 1, 1, 1, 0)]
    # each head stays in the village: the count rule asks 15 nights of each
    assert [line.nights_due for line in lines] == [15, 15, 15]


def test_a_month_side_by_side_ends_with_its_last_day(township):
    """What happened on the 1st of the next month is that month's, not this one's:
    errands registered and done, visits and nights."""
    (_, hongqi, person, made), *_ = township[0]  # three errands, registered today
    first = dt.datetime(2026, 12, 1)
    Errand.update(created_at=first - dt.timedelta(minutes=1), status="delivered",
                  delivered_at=first - dt.timedelta(minutes=1)).where(
        Errand.id == made[0].id).execute()
    # called back today: December's callback, as the station's statistics count it
    record_callback(made[0].id, Errand.get_by_id(made[0].id).version, hongqi, reached=True,
                    satisfaction="满意")
    Errand.update(created_at=first, delivered_at=first, status="delivered").where(
        Errand.id == made[1].id).execute()
    visit = log_visit(VisitForm(person.household_id, dt.datetime.now().replace(microsecond=0)
                                - dt.timedelta(hours=1), [Duty.POLICY]), hongqi)
    Visit.update(visited_at=first).where(Visit.id == visit.id).execute()  # before 立户
    mark_night(hongqi, now=first.replace(hour=21))
    november, december = (township_lines(2026, month, today=dt.date(2026, 12, 5))[0]
                          for month in (11, 12))
    assert (november.registered, november.done, november.visited, november.nights,
            november.answered) == (1, 1, 0, 0, 0)
    assert (december.registered, december.done, december.visited, december.nights,
            december.answered, december.satisfied) == (
        2, 1, 1, 1, 1, 1)  # the 1st's, and the third registered today


def test_the_township_switches_between_stations_and_reads_each(township):
    three, cadre = township
    assert cadre.station_id is None and desk_station(cadre).id == three[0][0].id
    session = acting(cadre)
    for station, _, _, made in three:
        session = switch_station(session, station.id)
        assert (session.station_id, session.station_name) == (station.id, station.name)
        assert errand_detail(made[0].id, station_id=session.station_id).errand.id == made[0].id


def test_the_township_changes_nothing(township):
    three, cadre = township
    station, _, person, _ = three[0]
    session = switch_station(acting(cadre), station.id)
    item = ServiceItem.get((ServiceItem.station == station) & (ServiceItem.name == "村委会证明开具"))
    errands = Errand.select().count()
    for write in (lambda: register_errand(IntakeForm(person.id, item.id, "on_the_spot"),
                                          station.id, session),
                  lambda: mark_night(session)):
        with pytest.raises(ValidationError) as refused:
            write()
        assert (refused.value.field, refused.value.code) == ("actor", "guard.read_only")
    assert Errand.select().count() == errands


def test_only_the_township_may_switch(township):
    three, _ = township
    (_, hongqi, _, _), (dongfeng, _, _, _) = three[0], three[1]
    with pytest.raises(ValidationError) as refused:
        switch_station(hongqi, dongfeng.id)
    assert refused.value.code == "township.switch_refused"


def test_a_township_login_is_one_of_no_other_cadre(township):
    with pytest.raises(ValidationError) as refused:
        add_township_cadre("hongqi", "重名")
    assert refused.value.code == "cadre.login_taken"
    assert Cadre.select().where(Cadre.station.is_null()).count() == 1


def test_a_station_head_cannot_make_a_cadre_the_township_s(township):
    from models.station.cadres import CadreForm, add_cadre, update_cadre
    three, _ = township
    _, head, _, _ = three[0]
    for save in (lambda: add_cadre(CadreForm("钱干事", role="township"), head),
                 lambda: update_cadre(head.cadre_id, Cadre.get_by_id(head.cadre_id).version,
                                      CadreForm("红旗站长", role="township"), head)):
        with pytest.raises(ValidationError) as refused:
            save()
        assert refused.value.code == "cadre.bad_role"
    assert Cadre.select().where(Cadre.role == "township").count() == 1


def test_a_second_station_of_the_same_name_is_refused(township):
    """The township's list, its report and the hall's --station tell stations apart
    by name: adding one again, or renaming one to another's name, is refused."""
    (hongqi, *_), (dongfeng, dongfeng_head, *_), _ = township[0]
    before = Station.select().count()
    with pytest.raises(ValidationError) as refused:
        set_up_station(SetupForm(station_name=" 红旗村便民服务站 ", group_count="1",
                                 admin_name="又一个站长"))
    assert (refused.value.field, refused.value.code) == ("station_name", "setup.station_taken")
    assert Station.select().count() == before
    _, templates = settings_of(dongfeng.id)
    renamed = SettingsForm(station_name=hongqi.name, township="", callback_days="3",
                           nights_required="15",
                           shifts={tp.id: f"{tp.name} {tp.starts}-{tp.ends}" for tp in templates})
    with pytest.raises(ValidationError) as refused:
        update_settings(dongfeng.id, dongfeng.version, renamed, dongfeng_head)
    assert refused.value.code == "setup.station_taken"
    assert Station.get_by_id(dongfeng.id).name == "东风村便民服务站"
    kept = replace(renamed, station_name=dongfeng.name)
    assert update_settings(dongfeng.id, dongfeng.version, kept, dongfeng_head).name == dongfeng.name
