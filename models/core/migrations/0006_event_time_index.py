"""Events by kind and time: a shift's handover and a month's figures read the
events of a time span instead of every errand event."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("event", ("entity", "at")))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("event", "event_entity_at"))
