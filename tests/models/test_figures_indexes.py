"""Migration 0028: a period's intake by mode, status, owner, item and day, and its
callbacks, are read from index ranges alone; the indexes come and go with the
migration on both backends."""
import datetime as dt

from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, is_sqlite, make_database
from models.core.schema import upgrade_schema
from models.reports.figures import Period, station_figures

TAKEN = "errand_station_id_created_at_mode_status_owner_id_item_id"
CALLBACKS = "event_entity_action_at_entity_id"


def _indexes(db) -> set[str]:
    return {index.name for table in ("errand", "event") for index in db.get_indexes(table)}


def test_migration_0028_adds_and_drops_the_figures_indexes(db_url):
    old = make_database(db_url)
    with old.connection_context():
        runner = Runner(old, str(MIGRATIONS_DIR))
        runner.up("0024_diary_dispute")
        assert not {TAKEN, CALLBACKS} & _indexes(old)
        runner.up("0028_figures_covering_indexes")
        assert {TAKEN, CALLBACKS} <= _indexes(old)
        runner.down("0028_figures_covering_indexes")
        assert not {TAKEN, CALLBACKS} & _indexes(old)
    old.close()
    new = make_database(db_url)
    database.initialize(new)
    with new.connection_context():
        upgrade_schema(new)
        assert {TAKEN, CALLBACKS} <= _indexes(new)


def test_the_months_counts_read_the_indexes_alone(db, station):
    """SQLite's plan for the figures' queries: the intake counts and the callbacks'
    events are covering-index ranges (PostgreSQL chooses by its statistics)."""
    if not is_sqlite(db):
        return
    plans = []
    execute = db.execute_sql

    def explained(sql, params=None, *args, **kwargs):
        if sql.startswith("SELECT"):
            plans.append((sql, [row[-1] for row in
                                execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()]))
        return execute(sql, params, *args, **kwargs)
    db.execute_sql = explained
    try:
        station_figures(station.id, Period.month(2026, 11), dt.datetime(2026, 12, 2, 10))
    finally:
        del db.execute_sql
    taken = [plan for sql, plan in plans if "GROUP BY \"t1\".\"mode\"" in sql]
    assert taken and any(f"COVERING INDEX {TAKEN}" in step for step in taken[0])
    callbacks = [plan for sql, plan in plans if '"action" = ?' in sql]
    assert callbacks and any(f"COVERING INDEX {CALLBACKS}" in step for step in callbacks[0])
