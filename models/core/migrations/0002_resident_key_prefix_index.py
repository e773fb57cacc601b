"""PostgreSQL: an index that serves `key LIKE 'abc%'` whatever the server's collation.

SQLite answers prefix searches from the plain index with a range query; a
PostgreSQL database with a non-C collation cannot, so it gets a pattern-ops index.
"""
from peewee import PostgresqlDatabase


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("CREATE INDEX IF NOT EXISTS resident_key_key_pattern "
                       "ON resident_key (key text_pattern_ops)")


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("DROP INDEX IF EXISTS resident_key_key_pattern")
