"""Out in the village: households' tags, the stations' visit rules (none yet: the
county's two visits a week hold until the head sets one), the visit log
(民情访问记录) and the errands visits' needs became."""
from peewee import (
    AutoField,
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

    class Cadre(Base):
        pass

    class Household(Base):
        pass

    class Resident(Base):
        pass

    class Errand(Base):
        pass

    class HouseholdTag(Base):
        id = AutoField()
        household = ForeignKeyField(Household, on_delete="CASCADE")
        tag = CharField(max_length=20)

        class Meta:
            indexes = ((("household", "tag"), True), (("tag",), False))

    class VisitRule(Base):
        id = AutoField()
        station = ForeignKeyField(Station, on_delete="CASCADE")
        tag = CharField(max_length=20, default="")
        visits = IntegerField()
        per_days = IntegerField()
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("station", "tag"), True),)

    class Visit(Base):
        id = AutoField()
        household = ForeignKeyField(Household, on_delete="CASCADE")
        cadre = ForeignKeyField(Cadre, on_delete="RESTRICT")
        visited_at = DateTimeField()
        met_resident = ForeignKeyField(Resident, null=True, on_delete="SET NULL")
        met = CharField(max_length=120, default="")
        duties = TextField(default="[]")
        found = TextField(default="")
        needs = TextField(default="")
        follow_up_due = DateField(null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("household", "visited_at"), False),
                       (("cadre", "visited_at"), False),
                       (("visited_at",), False))

    class VisitErrand(Base):
        id = AutoField()
        visit = ForeignKeyField(Visit, on_delete="CASCADE")
        errand = ForeignKeyField(Errand, on_delete="CASCADE", unique=True)
        created_at = DateTimeField()

    db.create_tables([HouseholdTag, VisitRule, Visit, VisitErrand])


def down(migrator, db):
    for table in ("visit_errand", "visit", "visit_rule", "household_tag"):
        migrator.migrate(migrator.drop_table(table))
