"""Household numbers (户号) are each station's own: every village numbers its
households from 01001, so on a township server two stations hold the same number.
A household gets its group's station, and (station, number) is unique instead of
the number alone."""
from peewee import ForeignKeyField, Model, SqliteDatabase

OLD_INDEX = "household_number"
NEW_INDEX = "household_station_id_number"


def up(migrator, db):
    class Station(Model):
        class Meta:
            database = db
            table_name = 'station'
    migrator.migrate(migrator.add_column(
        'household', 'station_id', ForeignKeyField(Station, field=Station.id, null=True,
                                                   on_delete='CASCADE', index=False)))
    db.execute_sql("UPDATE household SET station_id = (SELECT villager_group.station_id "
                   "FROM villager_group WHERE villager_group.id = household.group_id)")
    migrator.migrate(migrator.add_not_null('household', 'station_id'))
    migrator.migrate(migrator.drop_index('household', OLD_INDEX))
    migrator.migrate(migrator.add_index('household', ('station_id', 'number'), unique=True))


def down(migrator, db):
    """Refused by the database while two stations hold the same number."""
    migrator.migrate(migrator.drop_index('household', NEW_INDEX))
    # SQLite's own DROP COLUMN refuses a column of a foreign key: rebuild the table
    rebuild = {"legacy": True} if isinstance(db, SqliteDatabase) else {}
    migrator.migrate(migrator.drop_column('household', 'station_id', **rebuild))
    migrator.migrate(migrator.add_index('household', ('number',), unique=True))
