
from playhouse.migrations import Runner
from playhouse.schema_diff import diff_models

from models.core.db import MIGRATIONS_DIR, database, is_sqlite, make_database
from models.core.schema import (
    all_models,
    latest_migration,
    pending_migrations,
    upgrade_schema,
)


def test_migrations_build_exactly_the_models(db):
    diff = diff_models(db, all_models())
    if not is_sqlite(db):
        # migration 0002's pattern-ops index on resident_key.key is PostgreSQL's own
        # addition; the differ sees two indexes on that column and reports one.
        diff.drop_indexes[:] = [i for i in diff.drop_indexes
                                if i.table != "resident_key"]
    assert not diff, diff
    assert pending_migrations(db) == []
    assert upgrade_schema(db) == []  # opening again changes nothing


def test_sqlite_pragmas(db):
    if not is_sqlite(db):
        return
    pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 2  # FULL
    assert pragma("busy_timeout") == 10000


def test_older_database_is_upgraded(db_url):
    """A database left at the first schema gets the later migrations on open."""
    old = make_database(db_url)
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0001_initial")
        assert pending_migrations(old) != []
    old.close()
    new = make_database(db_url)
    database.initialize(new)
    with new.connection_context():
        assert upgrade_schema(new)[-1] == latest_migration()
        assert pending_migrations(new) == []

