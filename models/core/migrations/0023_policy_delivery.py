"""Policy delivery: which policy a visit explained or delivered to its household."""
from peewee import AutoField, CharField, ForeignKeyField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Visit(Base):
        pass

    class Policy(Base):
        pass

    class PolicyDelivery(Base):
        id = AutoField()
        visit = ForeignKeyField(Visit, on_delete="CASCADE")
        policy = ForeignKeyField(Policy, on_delete="CASCADE")
        kind = CharField(max_length=20)

        class Meta:
            indexes = ((("visit", "policy"), True), (("policy",), False))

    db.create_tables([PolicyDelivery])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("policy_delivery"))
