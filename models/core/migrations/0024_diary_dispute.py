"""A 民情日记 entry may be about a dispute too (besides a household or an errand)."""
from peewee import ForeignKeyField, Model


def up(migrator, db):
    class Dispute(Model):
        class Meta:
            database = db
            table_name = 'dispute'
    migrator.migrate(migrator.add_column(
        'diary_entry', 'dispute_id', ForeignKeyField(Dispute, field=Dispute.id, null=True,
                                                     on_delete='SET NULL')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('diary_entry', 'dispute_id'))
