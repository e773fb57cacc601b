"""The errand lifecycle: appointments, the paused clock, delivery and callback,
custody of originals, batches, merges and links. (Generated from the schema diff.)"""
from peewee import *


def up(migrator, db):
    class Cadre(Model):
        class Meta:
            database = db
            table_name = 'cadre'

    class Errand(Model):
        class Meta:
            database = db
            table_name = 'errand'

    class ServiceItem(Model):
        class Meta:
            database = db
            table_name = 'service_item'

    class Station(Model):
        class Meta:
            database = db
            table_name = 'station'

    class ErrandBatch(Model):
        station = ForeignKeyField(Station, on_delete='CASCADE')
        item = ForeignKeyField(ServiceItem, on_delete='RESTRICT')
        title = CharField(max_length=80)
        created_by = ForeignKeyField(Cadre, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'errand_batch'
    db.create_tables([ErrandBatch])

    class ErrandLink(Model):
        errand = ForeignKeyField(Errand, on_delete='CASCADE')
        other = ForeignKeyField(Errand, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'errand_link'
            indexes = ((('errand', 'other'), True),)
    db.create_tables([ErrandLink])

    migrator.migrate(migrator.add_column('station', 'callback_days', IntegerField(default=3)))
    migrator.migrate(migrator.add_column('errand', 'appointment_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('errand', 'appointment_place', CharField(max_length=120, default='')))
    migrator.migrate(migrator.add_column('errand', 'paused_since', DateField(null=True)))
    migrator.migrate(migrator.add_column('errand', 'delivered_at', DateTimeField(null=True)))
    migrator.migrate(migrator.add_column('errand', 'callback_due', DateField(null=True)))
    migrator.migrate(migrator.add_column('errand', 'satisfaction', CharField(max_length=10, default='')))
    migrator.migrate(migrator.add_column('errand', 'flagged', BooleanField(default=False)))
    migrator.migrate(migrator.add_column('errand', 'merged_into_id', ForeignKeyField(Errand, field=Errand.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('errand', 'batch_id', ForeignKeyField(ErrandBatch, field=ErrandBatch.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('errand_material', 'holder_id', ForeignKeyField(Cadre, field=Cadre.id, null=True, on_delete='SET NULL')))
    migrator.migrate(migrator.add_column('errand_material', 'at_township', BooleanField(default=False)))
    migrator.migrate(migrator.add_column('errand_material', 'returned_at', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('errand_material', 'errand_material_holder_id'))
    migrator.migrate(migrator.drop_index('errand', 'errand_merged_into_id'))
    migrator.migrate(migrator.drop_index('errand', 'errand_batch_id'))
    migrator.migrate(migrator.drop_column('errand_material', 'returned_at'))
    migrator.migrate(migrator.drop_column('errand_material', 'at_township'))
    migrator.migrate(migrator.drop_column('errand_material', 'holder_id'))
    migrator.migrate(migrator.drop_column('errand', 'batch_id'))
    migrator.migrate(migrator.drop_column('errand', 'merged_into_id'))
    migrator.migrate(migrator.drop_column('errand', 'flagged'))
    migrator.migrate(migrator.drop_column('errand', 'satisfaction'))
    migrator.migrate(migrator.drop_column('errand', 'callback_due'))
    migrator.migrate(migrator.drop_column('errand', 'delivered_at'))
    migrator.migrate(migrator.drop_column('errand', 'paused_since'))
    migrator.migrate(migrator.drop_column('errand', 'appointment_place'))
    migrator.migrate(migrator.drop_column('errand', 'appointment_at'))
    migrator.migrate(migrator.drop_column('station', 'callback_days'))
    migrator.migrate(migrator.drop_table('errand_link'))
    migrator.migrate(migrator.drop_table('errand_batch'))
