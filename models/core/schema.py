"""Schema versions: numbered migration files applied in order, recorded in a table.

Opening a database brings it up to date; the shell backs the file up first when
there is anything to apply to a database that already holds data.
"""
from __future__ import annotations

import peewee
from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, is_sqlite


class SchemaError(RuntimeError):
    pass


def _runner(db: peewee.Database) -> Runner:
    return Runner(db, str(MIGRATIONS_DIR))


def pending_migrations(db: peewee.Database) -> list[str]:
    return [m.name for m in _runner(db).status() if not m.applied and m.path]


class UpgradeNotAllowed(SchemaError):
    """The schema is older than the program and the connected role may not change it."""


def may_upgrade(db: peewee.Database) -> bool:
    """Whether the connected role may apply migrations. PostgreSQL: the role owning
    the tables (or one of its members); a station's role (kiosk/station_roles.py)
    may not. On an empty database: whoever may create tables."""
    if is_sqlite(db):
        return True
    owner = db.execute_sql(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = 'schema_migration'").fetchone()
    if owner is None:
        return db.execute_sql(
            "SELECT has_schema_privilege(current_schema(), 'CREATE')").fetchone()[0]
    return db.execute_sql("SELECT pg_has_role(%s, 'USAGE')", owner).fetchone()[0]


def has_data(db: peewee.Database) -> bool:
    return db.table_exists("schema_migration")


def upgrade_schema(db: peewee.Database) -> list[str]:
    """Apply pending migrations; several processes may start at the same moment."""
    # Hold the write lock while deciding what to apply, so a second process
    # starting at the same moment waits and then finds nothing left to do.
    # (SQLite: our transactions BEGIN IMMEDIATE, which takes it.)
    if not is_sqlite(db):
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(7261)")
            return _runner(db).up()
    # SQLite changes a column by rebuilding its table: copy, DROP, rename. With
    # foreign keys on, that DROP cascades into every child table (a station's
    # groups, errands, materials...). So, as SQLite's manual prescribes: keys off
    # outside the transaction, check them before committing, on again after.
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            applied = _runner(db).up()
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise SchemaError(f"migration left dangling references: {broken[:5]}")
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")
    return applied


def migration_names() -> list[str]:
    """Every migration this program knows, in order."""
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))


def latest_migration() -> str:
    return migration_names()[-1]


def all_models() -> list:
    """Every table, parents before children (what the migrations must build)."""
    # imported here: the schema runner itself needs no table classes
    from models.core.entities import (
        Cadre,
        Counter,
        Draft,
        Event,
        GroupCoverage,
        Station,
        VillagerGroup,
    )
    from models.duty.entities import (
        CalendarDay,
        Handover,
        Leave,
        NightStay,
        PublishedYear,
        Shift,
        ShiftSwap,
        ShiftTemplate,
    )
    from models.errands.entities import (
        Errand,
        ErrandBatch,
        ErrandLink,
        ErrandMaterial,
        ServiceItem,
    )
    from models.people.entities import Household, Resident, ResidentKey
    from models.public.entities import Policy, Publication
    from models.village.entities import (
        DiaryEntry,
        Dispute,
        DisputeParty,
        Escalation,
        HouseholdTag,
        MediationSession,
        PolicyDelivery,
        Visit,
        VisitErrand,
        VisitRule,
    )
    return [Station, VillagerGroup, Cadre, GroupCoverage, Household, Resident, ResidentKey,
            ServiceItem, Counter, ErrandBatch, Errand, ErrandMaterial, ErrandLink,
            Event, ShiftTemplate, Shift, Leave, CalendarDay, PublishedYear, ShiftSwap, Handover,
            NightStay, Draft, HouseholdTag, VisitRule, Visit, VisitErrand,
            Dispute, DisputeParty, MediationSession, Escalation, DiaryEntry, Policy, Publication,
            PolicyDelivery]
