"""Migration 0014 adds the village's tables to a database that already holds a
station: its households can be tagged and visited at once, under the county rule."""
import datetime as dt

from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, make_database
from models.core.entities import Cadre
from models.core.schema import upgrade_schema
from models.village.coverage import group_coverage
from models.village.entities import Duty, Tag
from models.village.visits import (
    DEFAULT_PER_DAYS,
    DEFAULT_VISITS,
    Rule,
    VisitForm,
    log_visit,
    rule_for,
    set_household_tags,
)
from tests.actors import acting, our_station


def test_an_older_station_gets_visits(db_url):
    old = make_database(db_url)
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0013_resident_keys_anywhere")
        for statement in [
            "INSERT INTO station (id, name, township, created_at, version, callback_days, "
            "nights_required) VALUES (1, '红旗村', '', '2026-01-05 08:00:00', 1, 3, 15)",
            "INSERT INTO villager_group (id, station_id, number, name, version) "
            "VALUES (1, 1, 1, '一组', 1)",
            "INSERT INTO cadre (id, station_id, name, login, phone, role, active, "
            "stays_in_village, version) VALUES (1, 1, '王建国', 'tester', '', 'admin', "
            "TRUE, TRUE, 1)",
            "INSERT INTO household (id, group_id, number, address, version) "
            "VALUES (1, 1, '01001', '', 1), (2, 1, '01002', '', 1)",
        ]:
            old.execute_sql(statement)
    old.close()
    new = make_database(db_url)
    database.initialize(new)
    with new.connection_context():
        assert "0014_village_visits" in upgrade_schema(new)
        if new.__class__.__name__ != "SqliteDatabase":  # ids made by hand above
            for table in ("station", "villager_group", "cadre", "household"):
                new.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT MAX(id) FROM {table}))")
        head = acting(Cadre.get_by_id(1))
        assert rule_for(1, station_id=our_station()) == Rule(DEFAULT_VISITS, DEFAULT_PER_DAYS)
        set_household_tags(1, [Tag.ALONE_ELDERLY], head)
        visited = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
        log_visit(VisitForm(1, visited, [Duty.POLICY]), head)
        coverage = group_coverage(1, visited.date(), visited.date() + dt.timedelta(days=1), station_id=our_station())
        assert (coverage.households, coverage.visited) == (2, 1)
        assert [due.number for due in coverage.overdue] == ["01002"]
