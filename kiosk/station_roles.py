"""PostgreSQL's own guard for a township server: one database role per station and
row-level security on the tables that name a station.

The desk already keeps each station to its rows (models/core/scope.py, the write
guard); these policies make the database refuse too, whatever SQL a station's role
sends. A policy asks which station the connected role belongs to
(`station_role`, filled here) — not a setting the session could change — so a
station's login cannot read another station's errands even by hand. The role that
owns the tables (the one `kiosk township add-station` and the township cadres use)
is not subject to them: it runs migrations and reads every station.

What they cover: the tables with a station column (below). Rows reached through
them (residents through households, materials through errands, the event trail)
have no policy yet: the desk's queries keep those to the station, the database
does not. The role needs CREATEROLE to be made, which the desk's role usually
lacks: `kiosk township add-station --pg-role` prints the SQL for `psql` as a
superuser."""
from __future__ import annotations

import re

from psycopg import sql  # only on PostgreSQL, where the `postgres` extra is installed

# table -> its column naming the station
STATION_TABLES = {"station": "id", "villager_group": "station_id", "cadre": "station_id",
                  "shift_template": "station_id", "shift": "station_id",
                  "service_item": "station_id", "errand_batch": "station_id",
                  "errand": "station_id", "visit_rule": "station_id",
                  "dispute": "station_id"}
ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def row_security() -> list[sql.Composed]:
    """The mapping table and a policy on every station table (again: no harm)."""
    statements = [sql.SQL(
        "CREATE TABLE IF NOT EXISTS station_role (role_name text PRIMARY KEY, "
        "station_id integer NOT NULL REFERENCES station (id) ON DELETE CASCADE)")]
    for table, column in STATION_TABLES.items():
        name = sql.Identifier(table)
        statements += [
            sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name),
            sql.SQL("DROP POLICY IF EXISTS station_rows ON {}").format(name),
            sql.SQL("CREATE POLICY station_rows ON {} USING ({} IN (SELECT station_id "
                    "FROM station_role WHERE role_name = current_user))").format(
                name, sql.Identifier(column)),
        ]
    return statements


def station_role(station_id: int, role: str, password: str) -> list[sql.Composed]:
    """A login role that reads and writes only station `station_id`'s rows."""
    if not ROLE.fullmatch(role):
        raise ValueError(role)
    who = sql.Identifier(role)
    return [
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(who, sql.Literal(password)),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                "TO {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON station_role FROM {}").format(who),
        sql.SQL("INSERT INTO station_role (role_name, station_id) VALUES ({}, {}) "
                "ON CONFLICT (role_name) DO UPDATE SET station_id = EXCLUDED.station_id"
                ).format(sql.Literal(role), sql.Literal(station_id)),
    ]


def as_script(statements: list[sql.Composed], connection) -> str:
    return "".join(statement.as_string(connection) + ";\n" for statement in statements)
