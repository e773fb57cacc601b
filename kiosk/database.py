"""Finding and opening the database, and keeping a copy before changing its schema."""
from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path

import peewee

from models.core.db import database, is_sqlite, make_database
from models.core.i18n import t
from models.core.schema import (
    UpgradeNotAllowed,
    has_data,
    may_upgrade,
    pending_migrations,
    upgrade_schema,
)

from .backup import copy_database
from .locks import flocked


def sqlite_file(db: peewee.Database) -> Path | None:
    if not isinstance(db, peewee.SqliteDatabase):
        return None
    name = db.database
    return None if not name or name == ":memory:" else Path(name)


def open_database(url: str) -> tuple[peewee.Database, list[str]]:
    """Point the models at `url` and bring the schema up to date.

    An existing SQLite database is backed up beside itself before an upgrade.
    Several desks may open an older database at the same moment: one upgrades
    (SQLite: under a lock file beside it; PostgreSQL: upgrade_schema's advisory
    lock), the others wait, then find nothing left to do.
    On PostgreSQL only the tables' owner upgrades (UpgradeNotAllowed for a
    station's role), and then renews the station roles' row security.
    Returns the database and the migrations applied.
    """
    db = make_database(url)
    database.initialize(db)
    with db.connection_context():
        pending = pending_migrations(db)
        if not pending:
            return db, []
        if not may_upgrade(db):
            raise UpgradeNotAllowed(t("schema.owner_upgrades", count=len(pending)))
    path = sqlite_file(db)
    lock = flocked(path.with_name(path.name + ".upgrade.lock")) if path else nullcontext()
    with lock, db.connection_context():
        pending = pending_migrations(db)
        if pending and path and has_data(db):
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            copy_database(path, path.with_name(f"{path.stem}.before-{pending[0]}-{stamp}.db"))
        applied = upgrade_schema(db) if pending else []
        if applied and not is_sqlite(db):
            from .station_roles import refresh
            refresh(db)
    return db, applied
