"""The station head's admin: who covers which villager group and since when (a
coverage table instead of the cadre's one group), versions on villager groups,
residents who died or moved away, and the catalogue's allowed ways of handling,
in-person items and originals. (Generated from the schema diff, then the data
steps added.)"""
import datetime as dt
import json

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)
from playhouse.migrate import SqliteMigrator

from models.errands.catalogue import FORMER_NAMES, STANDARD_CATALOGUE, standard_terms

ALL_MODES = ["on_the_spot", "carried", "accompanied", "mobile"]


def up(migrator, db):
    class Station(Model):
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'station'

    class Cadre(Model):
        station = ForeignKeyField(Station)
        active = BooleanField()
        class Meta:
            database = db
            table_name = 'cadre'

    class VillagerGroup(Model):
        class Meta:
            database = db
            table_name = 'villager_group'

    class GroupCoverage(Model):
        cadre = ForeignKeyField(Cadre, on_delete='CASCADE')
        group = ForeignKeyField(VillagerGroup, on_delete='CASCADE')
        since = DateField()
        until = DateField(null=True)
        class Meta:
            database = db
            table_name = 'group_coverage'
    db.create_tables([GroupCoverage])

    # Each cadre's one group becomes a cover since the station was set up (the
    # earliest it can have begun); a cadre no longer active covers nothing now.
    today = dt.date.today()
    rows = db.execute_sql("SELECT cadre.id, cadre.group_id, cadre.active, station.created_at "
                          "FROM cadre JOIN station ON station.id = cadre.station_id "
                          "WHERE cadre.group_id IS NOT NULL").fetchall()
    for cadre_id, group_id, active, created_at in rows:
        since = Station.created_at.python_value(created_at).date()
        GroupCoverage.create(cadre=cadre_id, group=group_id, since=since,
                             until=None if active else max(since, today))
    migrator.migrate(migrator.drop_index('cadre', 'cadre_group_id'))
    # SQLite's own DROP COLUMN refuses a column of a foreign key: rebuild the table
    rebuild = {"legacy": True} if isinstance(migrator, SqliteMigrator) else {}
    migrator.migrate(migrator.drop_column('cadre', 'group_id', **rebuild))

    migrator.migrate(migrator.add_column('villager_group', 'version', IntegerField(default=1)))
    migrator.migrate(migrator.add_column('resident', 'status', CharField(max_length=12, default='present')))
    migrator.migrate(migrator.add_column('resident', 'status_since', DateField(null=True)))

    # Nothing was refused before: every way stays allowed, except on the standard
    # items, which get the terms a new station starts with.
    migrator.migrate(migrator.add_column('service_item', 'originals', TextField(default='[]')))
    migrator.migrate(migrator.add_column('service_item', 'allowed_modes',
                                         TextField(default=json.dumps(ALL_MODES))))
    migrator.migrate(migrator.add_column('service_item', 'in_person', BooleanField(default=False)))

    class ServiceItem(Model):
        name = CharField()
        materials = TextField()
        originals = TextField()
        allowed_modes = TextField()
        in_person = BooleanField()
        class Meta:
            database = db
            table_name = 'service_item'

    # a station of that time still has an item by its former name (0015 renames it)
    former = {now: old for old, now in FORMER_NAMES.items()}
    for _, name, _, days, _ in STANDARD_CATALOGUE:
        names = [name, former[name]] if name in former else [name]
        for item in ServiceItem.select().where(ServiceItem.name.in_(names)):
            terms = standard_terms(name, days, json.loads(item.materials))
            (ServiceItem.update(allowed_modes=json.dumps(terms["allowed_modes"]),
                                in_person=terms["in_person"],
                                originals=json.dumps(terms["originals"], ensure_ascii=False))
             .where(ServiceItem.id == item.id).execute())


def down(migrator, db):
    migrator.migrate(migrator.drop_column('service_item', 'in_person'))
    migrator.migrate(migrator.drop_column('service_item', 'allowed_modes'))
    migrator.migrate(migrator.drop_column('service_item', 'originals'))
    migrator.migrate(migrator.drop_column('resident', 'status_since'))
    migrator.migrate(migrator.drop_column('resident', 'status'))
    migrator.migrate(migrator.drop_column('villager_group', 'version'))

    class VillagerGroup(Model):
        class Meta:
            database = db
            table_name = 'villager_group'
    migrator.migrate(migrator.add_column(
        'cadre', 'group_id', ForeignKeyField(VillagerGroup, field=VillagerGroup.id, null=True,
                                             on_delete='SET NULL')))
    # a cadre's group again: the first one they cover now
    db.execute_sql("UPDATE cadre SET group_id = (SELECT MIN(group_coverage.group_id) "
                   "FROM group_coverage WHERE group_coverage.cadre_id = cadre.id "
                   "AND group_coverage.until IS NULL)")
    migrator.migrate(migrator.drop_table('group_coverage'))
