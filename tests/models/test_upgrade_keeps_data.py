"""Upgrading a database never loses what is in it (SQLite rebuilds tables to alter
them; with foreign keys on, that once cascaded into every child table)."""
from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, make_database
from models.core.schema import upgrade_schema

COUNTED = ("station", "villager_group", "household", "resident", "service_item",
           "errand", "errand_material", "event")

FIRST_DATA = [
    "INSERT INTO station (id, name, township, created_at, version) "
    "VALUES (1, '红旗村便民服务站', '', '2026-01-01', 1)",
    "INSERT INTO villager_group (id, station_id, number, name) VALUES (1, 1, 1, '第一村民小组')",
    "INSERT INTO household (id, group_id, number, address, version) VALUES (1, 1, '01001', '', 1)",
    "INSERT INTO resident (id, household_id, name, gender, phone, pinyin, pinyin_override, "
    "relation, note, created_at, updated_at, version) VALUES (1, 1, '张三', '', '', "
    "'zhang san', '', '户主', '', '2026-01-01', '2026-01-01', 1)",
    "INSERT INTO service_item (id, station_id, category, name, default_mode, "
    "time_limit_days, materials, search_keys, active, version) VALUES "
    "(1, 1, '证明盖章', '村委会证明开具', 'on_the_spot', 0, '[\"身份证\"]', '', TRUE, 1)",
    "INSERT INTO errand (id, number, station_id, resident_id, item_id, mode, status, "
    "created_at, due_date, note, updated_at, version) VALUES (1, '2026-000001', 1, 1, 1, "
    "'on_the_spot', 'registered', '2026-01-01', '2026-01-01', '', '2026-01-01', 1)",
    "INSERT INTO errand_material (id, errand_id, name, received, original) "
    "VALUES (1, 1, '身份证', TRUE, FALSE)",
    "INSERT INTO event (id, entity, entity_id, action, at, detail) "
    "VALUES (1, 'errand', 1, 'create', '2026-01-01', '{}')",
]


def counts(db):
    return {table: db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in COUNTED}


def test_every_row_survives_every_migration(db_url):
    old = make_database(db_url)
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0001_initial")
        for statement in FIRST_DATA:
            old.execute_sql(statement)
        before = counts(old)
    old.close()
    assert set(before.values()) == {1}
    new = make_database(db_url)
    database.initialize(new)
    with new.connection_context():
        assert len(upgrade_schema(new)) >= 3
        assert counts(new) == before
        if new.__class__.__name__ == "SqliteDatabase":
            assert new.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
