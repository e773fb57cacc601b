"""The station's duty phone and opening hours, for the contact cards households
keep and the public screen in the hall."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('station', 'duty_phone', CharField(max_length=20, default="")),
        migrator.add_column('station', 'opening_hours', CharField(max_length=60, default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('station', 'duty_phone'),
                     migrator.drop_column('station', 'opening_hours'))
