"""What the station tells every villager: its policies (惠农政策) and the village's
published decisions (村务公开), for the hall's public screen."""
from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Station(Base):
        pass

    class Policy(Base):
        id = AutoField()
        station = ForeignKeyField(Station, on_delete="CASCADE")
        title = CharField(max_length=60)
        qualifies = TextField(default="")
        bring = TextField(default="")
        apply_at = CharField(max_length=60, default="")
        amount = CharField(max_length=80, default="")
        tag = CharField(max_length=20, default="")
        search_keys = CharField(max_length=400, default="")
        active = BooleanField(default=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)

    class Publication(Base):
        id = AutoField()
        station = ForeignKeyField(Station, on_delete="CASCADE")
        title = CharField(max_length=60)
        decided_on = DateField()
        decision = TextField(default="")
        result = TextField(default="")
        active = BooleanField(default=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("station", "decided_on"), False),)

    db.create_tables([Policy, Publication])


def down(migrator, db):
    for table in ("publication", "policy"):
        migrator.migrate(migrator.drop_table(table))
