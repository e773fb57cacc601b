"""The 民情日记: a cadre's dated entries, optionally about a household or an errand."""
from peewee import (
    AutoField,
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

    class Cadre(Base):
        pass

    class Household(Base):
        pass

    class Errand(Base):
        pass

    class DiaryEntry(Base):
        id = AutoField()
        station = ForeignKeyField(Station, on_delete="CASCADE")
        cadre = ForeignKeyField(Cadre, on_delete="RESTRICT")
        day = DateField()
        text = TextField()
        household = ForeignKeyField(Household, null=True, on_delete="SET NULL")
        errand = ForeignKeyField(Errand, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("station", "day"), False), (("cadre", "day"), False))

    db.create_tables([DiaryEntry])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("diary_entry"))
