"""Stations that share one OS login at the desk: the station's shared login, and
each cadre's PIN (a salted scrypt hash) to say who is at the keyboard."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column('station', 'shared_login', CharField(max_length=64, null=True)))
    migrator.migrate(migrator.add_column('cadre', 'pin_hash', CharField(max_length=200, null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('station', 'shared_login'),
                     migrator.drop_column('cadre', 'pin_hash'))
