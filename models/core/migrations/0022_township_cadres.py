"""A township server: a township cadre belongs to no station, so a cadre's station
may be empty (models/station/township.py)."""


def up(migrator, db):
    migrator.migrate(migrator.drop_not_null('cadre', 'station_id'))


def down(migrator, db):
    db.execute_sql("DELETE FROM cadre WHERE station_id IS NULL")
    migrator.migrate(migrator.add_not_null('cadre', 'station_id'))
