"""The catalogue in an official desk's words: a 马上办 errand finished reads 已办结,
and the standard items carry today's names, also on databases made before."""
import json

from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, make_database
from models.core.schema import upgrade_schema
from models.errands.catalogue import STANDARD_CATALOGUE, filter_items
from models.errands.entities import MODES, ServiceItem, Status, status_label

OLD_STATIONS = ("INSERT INTO station (id, name, township, created_at, version, callback_days, "
                "nights_required) VALUES (1, '红旗村', '', '2026-01-05 08:00:00', 1, 3, 15), "
                "(2, '向阳村', '', '2026-01-05 08:00:00', 1, 3, 15)")
# the columns of the ways of handling, from 0010 on
WAYS_COLUMNS = {"originals": "[]", "allowed_modes": json.dumps(list(MODES)), "in_person": False}


def test_a_finished_on_the_spot_errand_reads_done_not_delivered():
    assert status_label(Status.DELIVERED, "on_the_spot") == "已办结"
    for mode in ("carried", "mobile", "accompanied"):
        assert status_label(Status.DELIVERED, mode) == "已送达"
    assert status_label(Status.DELIVERED, None) == "已送达/已办结"  # a filter of every way
    assert all(status_label(status, "on_the_spot") == status_label(status, "carried")
               for status in Status if status != Status.DELIVERED)


def test_the_standard_catalogue_speaks_of_today():
    names = [name for _, name, _, _, _ in STANDARD_CATALOGUE]
    assert "城乡居民医保费用报销" in names and "水费、电费代缴" in names
    assert not [name for name in names if "新农合" in name or "自来水" in name]


def _old_database(db_url, migration: str, items: list[tuple], ways: bool):
    """A database as `migration` left it, with two stations and `items`
    (station, name, materials); `ways`: it has the ways of handling's columns."""
    old = make_database(db_url)
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up(migration)
        old.execute_sql(OLD_STATIONS)
        extra = WAYS_COLUMNS if ways else {}
        columns = ", ".join(["station_id", "category", "name", "default_mode",
                             "time_limit_days", "materials", "search_keys", "active",
                             "version", *extra])
        marks = ", ".join([old.param] * (9 + len(extra)))
        for station, name, materials in items:
            old.execute_sql(f"INSERT INTO service_item ({columns}) VALUES ({marks})",
                            (station, "医疗保险", name, "carried", 10,
                             json.dumps(materials, ensure_ascii=False), "xnh", True, 1,
                             *extra.values()))
    old.close()
    new = make_database(db_url)
    database.initialize(new)
    return new


def test_old_standard_names_are_renamed_where_they_still_stand(db_url):
    new = _old_database(db_url, "0014_village_visits", [
        (1, "新农合医疗费用报销", ["身份证"]),
        (1, "自来水电费代缴", ["缴费户号"]),
        (1, "新农合报销（县外）", ["身份证"]),  # the head's own item: not the standard name
        # station 2 already has the new name: two items must not share it
        (2, "新农合医疗费用报销", ["身份证"]),
        (2, "城乡居民医保费用报销", ["身份证"]),
    ], ways=True)
    with new.connection_context():
        assert "0015_catalogue_wording" in upgrade_schema(new)
        ours = {item.name: item for item in ServiceItem.select()
                .where(ServiceItem.station == 1)}
        assert set(ours) == {"城乡居民医保费用报销", "水费、电费代缴", "新农合报销（县外）"}
        assert ours["城乡居民医保费用报销"].version == 2
        assert [item.name for item in filter_items(list(ours.values()), "cxjm")] == [
            "城乡居民医保费用报销"]
        assert [item.name for item in filter_items(list(ours.values()), "dfdj")] == [
            "水费、电费代缴"]
        theirs = sorted(item.name for item in ServiceItem.select()
                        .where(ServiceItem.station == 2))
        assert theirs == ["城乡居民医保费用报销", "新农合医疗费用报销"]


def test_a_station_from_before_the_ways_gets_the_renamed_items_terms(db_url):
    """0010 seeds the standard items' ways of handling by name: an item still under
    its former name is found too, then renamed by 0015."""
    new = _old_database(db_url, "0009_event_audit_index", [
        (1, "新农合医疗费用报销", ["身份证", "住院发票原件"]),
    ], ways=False)
    with new.connection_context():
        upgrade_schema(new)
        item = ServiceItem.get(ServiceItem.station == 1)
        assert item.name == "城乡居民医保费用报销"
        assert item.allowed_modes == [m for m in MODES if m != "on_the_spot"]
        assert item.originals == ["住院发票原件"]
