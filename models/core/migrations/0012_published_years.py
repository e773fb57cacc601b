"""The years whose holiday schedule the station head has marked published (until
then a year counts as unofficial, however many of its days were entered)."""
from peewee import DateTimeField, IntegerField, Model


def up(migrator, db):
    class PublishedYear(Model):
        year = IntegerField(primary_key=True)
        marked_at = DateTimeField()

        class Meta:
            database = db
            table_name = "published_year"
    db.create_tables([PublishedYear])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("published_year"))
