import threading

import pytest

from models.core.db import database
from models.core.entities import Event
from models.core.history import StaleEdit, history
from models.core.validation import ValidationError
from models.people.entities import Resident, ResidentKey
from models.people.residents import (
    ResidentForm,
    load_resident,
    register_resident,
    search_residents,
    update_resident,
)
from tests.actors import our_station


def names(results):
    return [r.name for r in results]


@pytest.fixture
def people(station, head_session):
    made = {}
    for name, phone, id_number in [
        ("张三", "13812341234", "11010519491231002X"),
        ("张松", "13900005678", ""),
        ("单田芳", "", "440524188001010014"),
        ("曾国藩", "0932-1234567", ""),
        ("[red]王[/red]", "", ""),
    ]:
        made[name] = register_resident(
            ResidentForm(name=name, phone=phone, id_number=id_number), head_session)
    return made


def test_find_by_initials_full_pinyin_name_and_digits(people):
    assert sorted(names(search_residents("zs", station_id=our_station()))) == ["张三", "张松"]
    assert names(search_residents("zhangsan", station_id=our_station())) == ["张三"]
    assert names(search_residents("zhang san", station_id=our_station())) == ["张三"]
    assert names(search_residents("张三", station_id=our_station())) == ["张三"]
    assert names(search_residents("1234", station_id=our_station()))[0] == "张三"  # last four of the mobile, first
    assert names(search_residents("1381234", station_id=our_station())) == ["张三"]  # first digits
    assert names(search_residents("002x", station_id=our_station())) == ["张三"]  # end of the ID number
    assert names(search_residents("shantianfang", station_id=our_station())) == ["单田芳"]
    assert search_residents("dantianfang", station_id=our_station()) == []
    assert names(search_residents("zgf", station_id=our_station())) == ["曾国藩"]
    assert names(search_residents("wang", station_id=our_station())) == ["[red]王[/red]"]
    assert search_residents("   ", station_id=our_station()) == []


def test_exact_key_ranks_before_prefix(people, head_session):
    register_resident(ResidentForm(name="张三丰"), head_session)
    assert names(search_residents("zhangsan", station_id=our_station()))[0] == "张三"
    assert set(names(search_residents("zhangsan", station_id=our_station()))) == {"张三", "张三丰"}


def test_invalid_id_refused_and_nothing_saved(station, head_session):
    before = Resident.select().count(), ResidentKey.select().count(), Event.select().count()
    with pytest.raises(ValidationError) as err:
        register_resident(ResidentForm(name="李四", id_number="110105194912310021"), head_session)
    assert err.value.field == "id_number"
    assert err.value.code == "invalid.id_check_digit"
    after = Resident.select().count(), ResidentKey.select().count(), Event.select().count()
    assert after == before


def test_duplicate_id_number_refused(people, head_session):
    with pytest.raises(ValidationError) as err:
        register_resident(ResidentForm(name="冒名", id_number="11010519491231002x"), head_session)
    assert "张三" in str(err.value)


def test_one_id_number_saved_at_two_desks_at_once(station, head_session, monkeypatch):
    """Both desks find the number free before either has saved: the database takes
    the first and refuses the second, which is said like any number already taken
    (on PostgreSQL it was a raw IntegrityError)."""
    from models.people import residents

    inserted, go, results = threading.Event(), threading.Event(), {}
    store_keys = residents.store_keys

    def first_waits(resident):  # the first desk: inserted, not committed yet
        if not inserted.is_set():
            inserted.set()
            go.wait(10)
        store_keys(resident)

    monkeypatch.setattr(residents, "store_keys", first_waits)

    def desk(name):
        with database.connection_context():
            try:
                results[name] = register_resident(
                    ResidentForm(name=name, id_number="11010519491231002X"), head_session).id
            except ValidationError as refused:
                results[name] = refused.code

    first = threading.Thread(target=desk, args=("张三",))
    first.start()
    assert inserted.wait(10)
    second = threading.Thread(target=desk, args=("冒名",))
    second.start()
    second.join(0.5)  # PostgreSQL: waits on the first's row; SQLite: on the write lock
    go.set()
    for thread in (first, second):
        thread.join(10)
    assert results["冒名"] == "resident.id_taken" and isinstance(results["张三"], int)
    assert Resident.select().count() == 1


def test_unknown_household_refused(station, head_session):
    with pytest.raises(ValidationError) as err:
        register_resident(ResidentForm(name="李四", household_number="99999"), head_session)
    assert err.value.field == "household"


def test_edit_updates_keys_and_writes_history(people, head_session):
    person = people["张三"]
    form = ResidentForm(name="张三", phone="13700009999", id_number=person.id_number)
    saved = update_resident(person.id, person.version, form, head_session)
    assert saved.version == person.version + 1
    assert search_residents("38123412", station_id=our_station()) == []
    assert names(search_residents("9999", station_id=our_station())) == ["张三"]
    edit = [e for e in history("resident", person.id) if e.action == "edit"]
    assert edit[0].detail["changes"]["phone"] == ["13812341234", "13700009999"]
    assert edit[0].actor.id == head_session.cadre_id


def test_stale_edit_refused_with_fresh_row(people, head_session):
    person = people["张松"]
    update_resident(person.id, person.version,
                    ResidentForm(name="张松", phone="13900001111"), head_session)
    with pytest.raises(StaleEdit) as err:
        update_resident(person.id, person.version,
                        ResidentForm(name="张松", phone="13900002222"), head_session)
    assert err.value.fresh.phone == "13900001111"
    assert load_resident(person.id, station_id=our_station()).phone == "13900001111"


def test_pinyin_override_is_searchable(station, head_session):
    register_resident(ResidentForm(name="覃小明", pinyin_override="tan xiao ming"), head_session)
    assert names(search_residents("tanxiaoming", station_id=our_station())) == ["覃小明"]
    assert names(search_residents("qinxiaoming", station_id=our_station())) == ["覃小明"]


def test_digits_match_in_the_middle_of_a_number(people):
    assert set(names(search_residents("1234", station_id=our_station()))) == {"张三", "曾国藩"}  # 0932-1234567
    assert names(search_residents("8123", station_id=our_station())) == ["张三"]  # 138 1234 1234
    assert names(search_residents("19491231", station_id=our_station())) == ["张三"]  # the birth date in the ID
    assert names(search_residents("24188", station_id=our_station())) == ["单田芳"]  # 440524 1880…
    assert names(search_residents("1234567", station_id=our_station())) == ["曾国藩"]  # the landline without its area


def test_full_width_digits_in_search(people):
    assert names(search_residents("１３８１２３４", station_id=our_station())) == ["张三"]
    assert names(search_residents("００２Ｘ", station_id=our_station())) == ["张三"]
    assert names(search_residents("８１２３", station_id=our_station())) == ["张三"]


@pytest.mark.parametrize("query", ["lv", "lu", "lyu", "lü", "LÜ", "lvbu", "lubu", "lyu bu",
                                   "lü bu"])
def test_u_umlaut_found_every_way_it_is_typed(station, head_session, query):
    register_resident(ResidentForm(name="吕布"), head_session)
    assert "吕布" in names(search_residents(query, station_id=our_station()))


def test_traditional_surname_and_given_name_alone(station, head_session):
    for name in ("單田芳", "區小明", "樂嘉", "員明", "张长乐"):
        register_resident(ResidentForm(name=name), head_session)
    assert names(search_residents("shantianfang", station_id=our_station())) == ["單田芳"]
    assert names(search_residents("oxm", station_id=our_station())) == ["區小明"]
    assert names(search_residents("yuejia", station_id=our_station())) == ["樂嘉"]
    assert names(search_residents("yunming", station_id=our_station())) == ["員明"]
    assert names(search_residents("changle", station_id=our_station())) == ["张长乐"]
    assert names(search_residents("长乐", station_id=our_station())) == ["张长乐"]
    assert names(search_residents("tianfang", station_id=our_station())) == ["單田芳"]


@pytest.mark.parametrize("name, shown", [("张长乐", "zhang chang le"),
                                         ("李重阳", "li chong yang"),
                                         ("單田芳", "shan tian fang")])
def test_the_reading_shown_is_the_names(station, head_session, name, shown):
    person = register_resident(ResidentForm(name=name), head_session)
    assert person.pinyin == shown
    assert search_residents(shown.replace(" ", ""), station_id=our_station())[0].pinyin == shown


def test_whole_name_matches_before_given_name_alone(station, head_session):
    # "zhang" is the given name 长 of 何长贵 read another way, and the surname of 张峰:
    # the cadre typing it means 张, whatever the pinyin order of the readings
    for name in ("何长贵", "张峰", "黄长生"):
        register_resident(ResidentForm(name=name), head_session)
    assert names(search_residents("zhang", station_id=our_station()))[0] == "张峰"
    assert names(search_residents("zf", station_id=our_station())) == ["张峰"]
    assert set(names(search_residents("changgui", station_id=our_station()))) == {"何长贵"}
