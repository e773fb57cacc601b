"""Shift templates can be retired (a removed one whose shifts were worked), a missed
shift keeps the head's reason, nights can be corrected (struck off with a reason),
and a station chooses its nights rule: N a month or lodging Monday to Friday."""
from peewee import BooleanField, CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('shift_template', 'retired', BooleanField(default=False)),
        migrator.add_column('shift', 'missed_reason', CharField(max_length=100, default="")),
        migrator.add_column('night_stay', 'counted', BooleanField(default=True)),
        migrator.add_column('night_stay', 'reason', CharField(max_length=60, default="")),
        migrator.add_column('station', 'nights_rule', CharField(max_length=10, default="count")))


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('shift_template', 'retired'),
        migrator.drop_column('shift', 'missed_reason'),
        migrator.drop_column('night_stay', 'counted'),
        migrator.drop_column('night_stay', 'reason'),
        migrator.drop_column('station', 'nights_rule'))
