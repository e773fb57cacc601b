"""Finding and opening the database, and keeping a copy before changing its schema."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee

from models.core.db import database, is_sqlite, make_database
from models.core.schema import has_data, pending_migrations, upgrade_schema

from .backup import copy_database


def sqlite_file(db: peewee.Database) -> Path | None:
    name = db.database
    return None if not name or name == ":memory:" else Path(name)


def open_database(url: str) -> tuple[peewee.Database, list[str]]:
    """Point the models at `url` and bring the schema up to date.

    An existing SQLite database is backed up beside itself before an upgrade.
    Returns the database and the migrations applied.
    """
    db = make_database(url)
    database.initialize(db)
    with db.connection_context():
        pending = pending_migrations(db)
        if pending and is_sqlite(db) and sqlite_file(db) and has_data(db):
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = sqlite_file(db)
            copy_database(path, path.with_name(f"{path.stem}.before-{pending[0]}-{stamp}.db"))
        applied = upgrade_schema(db) if pending else []
    return db, applied
