"""The station head's audit reads the trail newest first, of everyone or of one
cadre: an index for each order."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("event", ("at",)),
                     migrator.add_index("event", ("actor_id", "at")))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("event", "event_actor_id_at"),
                     migrator.drop_index("event", "event_at"))
