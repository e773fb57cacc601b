"""Errands by station, status and due date: the desk's open/overdue/due-today counts
(and the queue's filters) read this index alone instead of scanning every errand."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("errand", ("station_id", "status", "due_date")))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("errand", "errand_station_id_status_due_date"))
