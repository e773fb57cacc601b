"""Drafts of forms not saved yet, one per person and form."""
from peewee import CharField, DateTimeField, Model, TextField


def up(migrator, db):
    class Draft(Model):
        owner = CharField(max_length=64)
        form = CharField(max_length=30)
        data = TextField(default="{}")
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "draft"
            indexes = ((("owner", "form"), True),)
    db.create_tables([Draft])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("draft"))
