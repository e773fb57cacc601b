"""A period's figures read index ranges alone: the errands a station took in the
period grouped by way of handling, status, owner, item and day (five counts, each
an index-only range of (station, created_at, ...) instead of every errand of the
month of every station on a township server), and the callbacks made in the period
(an index-only range of the callback events instead of every errand event)."""
from peewee import SqliteDatabase

ERRAND_TAKEN = ("station_id", "created_at", "mode", "status", "owner_id", "item_id")
EVENT_ACTION = ("entity", "action", "at", "entity_id")


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("errand", ERRAND_TAKEN),
        migrator.add_index("event", EVENT_ACTION),
    )
    if isinstance(db, SqliteDatabase):
        # statistics for the new indexes, or SQLite may keep to created_at alone
        db.execute_sql("ANALYZE errand")
        db.execute_sql("ANALYZE event")


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("event", "event_" + "_".join(EVENT_ACTION)),
        migrator.drop_index("errand", "errand_" + "_".join(ERRAND_TAKEN)),
    )
