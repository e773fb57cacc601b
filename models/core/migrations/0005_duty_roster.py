"""The duty roster: shift templates and shifts, leave, the holiday calendar the
station head keeps, swaps, handovers and nights in the village. (Generated from
the schema diff.)"""
from peewee import *


def up(migrator, db):
    class Cadre(Model):
        class Meta:
            database = db
            table_name = 'cadre'

    class Station(Model):
        class Meta:
            database = db
            table_name = 'station'

    class CalendarDay(Model):
        day = DateField(unique=True)
        kind = CharField(max_length=10)
        name = CharField(max_length=30, default='')
        class Meta:
            database = db
            table_name = 'calendar_day'
    db.create_tables([CalendarDay])

    class ShiftTemplate(Model):
        station = ForeignKeyField(Station, on_delete='CASCADE')
        name = CharField(max_length=20)
        starts = CharField(max_length=5)
        ends = CharField(max_length=5)
        night = BooleanField(default=False)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'shift_template'
    db.create_tables([ShiftTemplate])

    class Shift(Model):
        station = ForeignKeyField(Station, on_delete='CASCADE')
        template = ForeignKeyField(ShiftTemplate, on_delete='CASCADE')
        day = DateField()
        starts_at = DateTimeField(index=True)
        ends_at = DateTimeField(index=True)
        cadre = ForeignKeyField(Cadre, null=True, on_delete='SET NULL')
        checked_in_at = DateTimeField(null=True)
        checked_out_at = DateTimeField(null=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'shift'
            indexes = ((('template', 'day'), True),)
    db.create_tables([Shift])

    class Handover(Model):
        shift = ForeignKeyField(Shift, on_delete='CASCADE')
        from_cadre = ForeignKeyField(Cadre, null=True, on_delete='SET NULL')
        to_cadre = ForeignKeyField(Cadre, null=True, on_delete='SET NULL')
        note = TextField(default='')
        items = TextField(default='[]')
        written_at = DateTimeField(index=True)
        acknowledged_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'handover'
    db.create_tables([Handover])

    class Leave(Model):
        cadre = ForeignKeyField(Cadre, on_delete='CASCADE')
        first_day = DateField()
        last_day = DateField()
        reason = CharField(max_length=60, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'leave'
    db.create_tables([Leave])

    class NightStay(Model):
        cadre = ForeignKeyField(Cadre, on_delete='CASCADE')
        night = DateField()
        source = CharField(max_length=10, default='mark')
        class Meta:
            database = db
            table_name = 'night_stay'
            indexes = ((('cadre', 'night'), True),)
    db.create_tables([NightStay])

    class ShiftSwap(Model):
        shift = ForeignKeyField(Shift, on_delete='CASCADE')
        other = ForeignKeyField(Shift, null=True, on_delete='CASCADE')
        requested_by = ForeignKeyField(Cadre, null=True, on_delete='SET NULL')
        approved_by = ForeignKeyField(Cadre, null=True, on_delete='SET NULL')
        at = DateTimeField()
        note = CharField(max_length=200, default='')
        class Meta:
            database = db
            table_name = 'shift_swap'
    db.create_tables([ShiftSwap])

    migrator.migrate(migrator.add_column('station', 'nights_required', IntegerField(default=15)))
    # every station starts with a day and a night shift covering 24 hours
    for (station_id,) in db.execute_sql("SELECT id FROM station").fetchall():
        ShiftTemplate.insert_many([
            dict(station=station_id, name="日班", starts="08:00", ends="20:00",
                 night=False, position=0),
            dict(station=station_id, name="夜班", starts="20:00", ends="08:00",
                 night=True, position=1)]).execute()
    migrator.migrate(migrator.add_column('cadre', 'stays_in_village', BooleanField(default=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('cadre', 'stays_in_village'))
    migrator.migrate(migrator.drop_column('station', 'nights_required'))
    migrator.migrate(migrator.drop_table('shift_swap'))
    migrator.migrate(migrator.drop_table('night_stay'))
    migrator.migrate(migrator.drop_table('leave'))
    migrator.migrate(migrator.drop_table('handover'))
    migrator.migrate(migrator.drop_table('shift'))
    migrator.migrate(migrator.drop_table('shift_template'))
    migrator.migrate(migrator.drop_table('calendar_day'))
