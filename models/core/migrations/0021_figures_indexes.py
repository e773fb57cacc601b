"""The month's figures read ranges of an index instead of every row: errands
finished or closed in a period (by station and day), and each cadre's visits with
the households they were to (the households visited counted from the index alone;
it serves every query the (cadre, visited_at) index did, which it replaces)."""
from peewee import SqliteDatabase


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("errand", ("station_id", "delivered_at")),
        migrator.add_index("errand", ("station_id", "closed_at")),
        migrator.add_index("visit", ("cadre_id", "visited_at", "household_id")),
        migrator.drop_index("visit", "visit_cadre_id_visited_at"),
    )
    if isinstance(db, SqliteDatabase):
        # without statistics for the new indexes SQLite takes (station_id, ...) for
        # the narrowest and reads a station's every errand for a month's count
        db.execute_sql("ANALYZE errand")
        db.execute_sql("ANALYZE visit")


def down(migrator, db):
    migrator.migrate(
        migrator.add_index("visit", ("cadre_id", "visited_at")),
        migrator.drop_index("visit", "visit_cadre_id_visited_at_household_id"),
        migrator.drop_index("errand", "errand_station_id_closed_at"),
        migrator.drop_index("errand", "errand_station_id_delivered_at"),
    )
