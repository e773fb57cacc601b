"""PostgreSQL's own guard for a township server: one database role per station and
row-level security on every table of the schema.

The desk already keeps each station to its rows (models/core/scope.py, the write
guard); these policies make the database refuse too, whatever SQL a station's role
sends. A policy asks which station the connected role belongs to
(`kiosk_station()`, reading `station_role`, filled here) — not a setting the session
could change — so a station's login cannot read or change another station's rows
even by hand.

What they cover, derived from the models (`policies()`): a table naming a station
is kept to it (`station_id = (SELECT kiosk_station())`); any other table through its
required parents (`EXISTS (SELECT 1 FROM visit p WHERE p.id = policy_delivery.visit_id)`),
whose own policies then apply in turn, down to the station. A few tables say it
themselves (THROUGH: a parent that may be empty), a few are the township's (SHARED,
each with why), and the bookkeeping tables are read-only to a station (READ_ONLY).
A table with no decision makes `policies()` fail, and the tests with it.

Cost: the station lookup runs once a query (an InitPlan), so the queue and the
person search keep their indexes (docs/DEPLOY.md §8 has the figures); each row
reached through a parent costs one primary-key lookup per level.

The role that owns the tables (the one `kiosk township add-station`, migrations and
the township cadres use) is not subject to policies, as PostgreSQL does for owners:
that is intended, it is the township's role. It alone upgrades the schema, and
`refresh()` then puts policies and grants on any new table. Creating a role needs
CREATEROLE, which the desk's role usually lacks: `kiosk township add-station
--pg-role` prints the SQL for `psql` as a superuser."""
from __future__ import annotations

import re

import peewee
from psycopg import sql  # only on PostgreSQL, where the `postgres` extra is installed

from models.core.schema import all_models

STATION_OF_ROLE = "kiosk_station"  # the function: the connected role's station id
# The township's tables: every station's role reads and writes them, no policy.
SHARED = {
    "counter": "errand and dispute numbers run township-wide (errand-2026, "
               "dispute-2026): every station draws the next one from the same row",
    "calendar_day": "the State Council's holidays and adjusted working days: one calendar for all",
    "published_year": "which years of that calendar are in: one for all",
}
# A station's role reads these and writes none.
READ_ONLY = {
    "schema_migration": "the desk reads which migrations are in; the owner applies them",
    "station_role": "which station a role is: a role reads only its own row",
}
# Tables whose parent may be missing: their condition, said here.
THROUGH = {
    # one in no household yet belongs to no station and is found from every
    # station, as models/core/scope.py reads them
    "resident": "household_id IS NULL OR EXISTS (SELECT 1 FROM household p "
                "WHERE p.id = resident.household_id)",
    # the trail of a cadre's change is their station's; the hall's public screen
    # names no cadre and records its station as the event's entity_id
    "event": "EXISTS (SELECT 1 FROM cadre p WHERE p.id = event.actor_id) OR (actor_id "
             f"IS NULL AND entity = 'public' AND entity_id = (SELECT {STATION_OF_ROLE}()))",
    # a login's typing: a cadre's own login, or the station's shared login
    "draft": "EXISTS (SELECT 1 FROM cadre p WHERE p.login = draft.owner) OR "
             "EXISTS (SELECT 1 FROM station p WHERE p.shared_login = draft.owner)",
}
ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class NoDecision(RuntimeError):
    """A table neither kept to a station, nor shared, nor read-only: decide."""


def _station_column(model) -> str | None:
    from models.core.entities import Station
    if model is Station:
        return "id"
    field = model._meta.fields.get("station")
    return field.column_name if isinstance(field, peewee.ForeignKeyField) else None


def _parents(model, kept: set[str]) -> list[peewee.ForeignKeyField]:
    """Its required references to tables already kept to a station, in order."""
    return [field for field in model._meta.sorted_fields
            if isinstance(field, peewee.ForeignKeyField) and not field.null
            and field.rel_model._meta.table_name in kept]


def _exists(table: str, reference: peewee.ForeignKeyField) -> sql.Composable:
    return sql.SQL("EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = {table}.{column})").format(
        parent=sql.Identifier(reference.rel_model._meta.table_name),
        key=sql.Identifier(reference.rel_field.column_name),
        table=sql.Identifier(table), column=sql.Identifier(reference.column_name))


def policies() -> dict[str, tuple[sql.Composable, sql.Composable]]:
    """Every model's table -> (the condition a station's role sees its rows by, the
    one a row it writes must meet); SHARED tables are left out. A table kept through
    its parents is read through the first (one lookup a row) and written only under
    all of them (no row of ours hung on another station's). Raises NoDecision for a
    table of no decision."""
    conditions: dict[str, tuple[sql.Composable, sql.Composable]] = {}
    for model in all_models():  # parents first
        table = model._meta.table_name
        column, parents = _station_column(model), _parents(model, set(conditions))
        if table in SHARED:
            continue
        if table in THROUGH:
            condition = sql.SQL(THROUGH[table])
            conditions[table] = (condition, condition)
        elif column:
            condition = sql.SQL("{} = (SELECT {}())").format(
                sql.Identifier(column), sql.Identifier(STATION_OF_ROLE))
            conditions[table] = (condition, condition)
        elif parents:
            conditions[table] = (_exists(table, parents[0]), sql.SQL(" AND ").join(
                _exists(table, reference) for reference in parents))
        else:
            raise NoDecision(f"{table}: no station, no required parent kept to one; "
                             "add it to SHARED, READ_ONLY or THROUGH with why")
    return conditions


def row_security() -> list[sql.Composed]:
    """The mapping table, its lookup and a policy on every kept table (again: no
    harm). Run by the tables' owner."""
    lookup = sql.Identifier(STATION_OF_ROLE)
    statements = [
        sql.SQL("CREATE TABLE IF NOT EXISTS station_role (role_name text PRIMARY KEY, "
                "station_id integer NOT NULL REFERENCES station (id) ON DELETE CASCADE)"),
        # policies call it as `(SELECT kiosk_station())`: an InitPlan, run once a
        # query and an index condition like a constant (called per row, a SQL
        # function costs milliseconds)
        sql.SQL("CREATE OR REPLACE FUNCTION {}() RETURNS integer LANGUAGE sql STABLE "
                "AS $$ SELECT station_id FROM station_role WHERE role_name = current_user "
                "$$").format(lookup),
    ]
    own = sql.SQL("role_name = current_user")
    conditions = {"station_role": (own, own), **policies()}
    for table, (reading, writing) in conditions.items():
        name = sql.Identifier(table)
        statements += [
            sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name),
            sql.SQL("DROP POLICY IF EXISTS station_rows ON {}").format(name),
            sql.SQL("CREATE POLICY station_rows ON {} USING ({}) WITH CHECK ({})").format(
                name, reading, writing),
        ]
    return statements


def grants(role: str) -> list[sql.Composed]:
    """What a station's role may do: read and write the tables (the policies keep it
    to its rows), only read the bookkeeping."""
    who = sql.Identifier(_checked(role))
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                "TO {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in READ_ONLY), who),
    ]


def station_role(station_id: int, role: str, password: str, owner: str) -> list[sql.Composed]:
    """A login role that reads and writes only station `station_id`'s rows: made by a
    superuser, the rest done as the tables' `owner` (so what it makes is the owner's,
    and the owner can later refresh it)."""
    who = sql.Identifier(_checked(role))
    return [
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(who, sql.Literal(password)),
        sql.SQL("SET ROLE {}").format(sql.Identifier(owner)),
        *row_security(),
        *grants(role),
        sql.SQL("INSERT INTO station_role (role_name, station_id) VALUES ({}, {}) "
                "ON CONFLICT (role_name) DO UPDATE SET station_id = EXCLUDED.station_id"
                ).format(sql.Literal(role), sql.Literal(station_id)),
        sql.SQL("RESET ROLE"),
    ]


def refresh(db: peewee.Database) -> bool:
    """After an upgrade, as the owner: policies and grants on every table again (a
    migration's new table included). False: this server has no station roles."""
    if not db.table_exists("station_role"):
        return False
    with db.atomic():
        roles = [row[0] for row in db.execute_sql(  # a role dropped since: none to grant
            "SELECT role_name FROM station_role JOIN pg_roles ON rolname = role_name")]
        for statement in row_security() + [s for r in roles for s in grants(r)]:
            db.execute_sql(statement.as_string(db.connection()))
    return True


def _checked(role: str) -> str:
    if not ROLE.fullmatch(role):
        raise ValueError(role)
    return role


def as_script(statements: list[sql.Composed], connection) -> str:
    return "".join(statement.as_string(connection) + ";\n" for statement in statements)
