"""Disputes (矛盾纠纷排查调处): the dispute with its parties, the mediation sittings,
and what was reported to the township."""
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

    class Resident(Base):
        pass

    class Visit(Base):
        pass

    class Dispute(Base):
        id = AutoField()
        station = ForeignKeyField(Station, on_delete="CASCADE", backref="+")
        number = CharField(max_length=20, unique=True)
        title = CharField(max_length=60)
        summary = TextField(default="")
        kind = CharField(max_length=20)
        risk = CharField(max_length=10)
        status = CharField(max_length=20)
        found_on = DateField()
        review_due = DateField()
        owner = ForeignKeyField(Cadre, on_delete="RESTRICT", backref="+")
        visit = ForeignKeyField(Visit, null=True, on_delete="SET NULL", backref="+")
        agreement = TextField(default="")
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(Cadre, null=True, on_delete="SET NULL", backref="+")
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("station", "status", "review_due"), False),
                       (("station", "found_on"), False),
                       (("station", "closed_at"), False))

    class DisputeParty(Base):
        id = AutoField()
        dispute = ForeignKeyField(Dispute, on_delete="CASCADE", backref="+")
        resident = ForeignKeyField(Resident, null=True, on_delete="SET NULL", backref="+")
        name = CharField(max_length=40, default="")

        class Meta:
            indexes = ((("resident",), False),)

    class MediationSession(Base):
        id = AutoField()
        dispute = ForeignKeyField(Dispute, on_delete="CASCADE", backref="+")
        held_on = DateField()
        place = CharField(max_length=60)
        participants = CharField(max_length=200)
        agreed = TextField(default="")
        cadre = ForeignKeyField(Cadre, on_delete="RESTRICT", backref="+")
        created_at = DateTimeField()

    class Escalation(Base):
        id = AutoField()
        dispute = ForeignKeyField(Dispute, on_delete="CASCADE", backref="+")
        to_whom = CharField(max_length=60)
        escalated_on = DateField()
        result = TextField(default="")
        cadre = ForeignKeyField(Cadre, on_delete="RESTRICT", backref="+")
        created_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("escalated_on",), False),)

    db.create_tables([Dispute, DisputeParty, MediationSession, Escalation])


def down(migrator, db):
    for table in ("escalation", "mediation_session", "dispute_party", "dispute"):
        migrator.migrate(migrator.drop_table(table))
