"""A demo township: the first station built as the one-station demo builds it, then
copied by the database into the others (`kiosk demo --size township`).

Making up a village in Python takes about a minute; thirty of them would take half
an hour. So the first village is made up and each further station is an
INSERT ... SELECT of the first one's rows, its ids moved by a fixed offset per table
(the first station's rows hold ids 1..M, station k's hold (k-1)·M+1..k·M), so every
reference moves with the row it points to without any lookup. The columns that are
unique across the server are rewritten: errand numbers go on from the township's
yearly counters, household numbers get the station's number in front, ID numbers a
city code of their own (with the check digit worked out again), logins the
station's name, and the search keys made from those follow them.

PostgreSQL only: a township is one PostgreSQL server, and the copy uses its SQL.
The copies keep the first village's errands, residents, roster and visits; its
disputes and diary stay the first village's own.
"""
from __future__ import annotations

from collections.abc import Callable

from models.core.entities import (
    Cadre,
    Counter,
    Event,
    GroupCoverage,
    Station,
    VillagerGroup,
)
from models.core.db import database
from models.core.i18n import t
from models.duty.entities import NightStay, Shift, ShiftTemplate
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.people.entities import Household, Resident, ResidentKey
from models.people.residents import DIGITS_FROM_ANYWHERE
from models.public.entities import Policy, Publication
from models.village.entities import HouseholdTag, Visit

from .station import TOWNSHIP_VILLAGES, village_station

MAX_STATIONS = 1 + len(TOWNSHIP_VILLAGES)
# In the order a row's references are copied before it.
COPIED = (Station, VillagerGroup, Cadre, GroupCoverage, ServiceItem, ShiftTemplate, Shift,
          NightStay, Household, Resident, ResidentKey, Errand, ErrandMaterial, Event, Visit,
          HouseholdTag, Policy, Publication)
# Which rows of a table are copied: events only the errands' own.
ONLY = {Event: "s.entity = 'errand'"}
FIRST_CITY = 20  # ID numbers of station k are of city 62(20+k): none of the first's

# (SQL expression, joins it needs): `s` is the first station's row, `%(k)s` the
# station number, `%(name)s` its name; joined copies are the rows already copied.
_SEQ = "(substr(s.number, 6)::int + (%(k)s - 1) * c.value)::text"
# six digits at least, as f"{seq:06d}": lpad alone would cut a seventh off
ERRAND_NUMBER = f"left(s.number, 5) || lpad({_SEQ}, greatest(6, length({_SEQ})), '0')"
# The first 17 digits of the copy's ID number, and its check character (GB 11643,
# MOD 11-2: digit i of 17 weighs 2^(18-i) mod 11), as models.core.validation.id_check_char
_ID_FIRST17 = "'62' || (%(city)s)::text || substr(s.id_number, 5, 13)"
_ID_CHECK = ("(SELECT substr('10X98765432', (sum(substr(first17.f, i, 1)::int"
             " * (ARRAY[{w}])[i]) %% 11)::int + 1, 1) FROM generate_series(1, 17) i)"
             ).format(w=", ".join(str(pow(2, 18 - i, 11)) for i in range(1, 18)))
REWRITTEN: dict = {
    Station.name: ("%(name)s", ""),
    Cadre.login: ("CASE WHEN s.login IS NULL THEN NULL WHEN s.role = 'admin'"
                  " THEN 'station' || %(k)s || '-head'"
                  " ELSE 'station' || %(k)s || '-' || s.login END", ""),
    Resident.id_number: (f"first17.f || {_ID_CHECK}",
                         f"LEFT JOIN LATERAL (SELECT {_ID_FIRST17} AS f) first17 ON true"),
    ResidentKey.key: ("CASE WHEN length(s.key) >= {digits} AND right(lower(r0.id_number),"
                      " length(s.key)) = s.key THEN right(lower(r.id_number), length(s.key))"
                      " ELSE s.key END"
                      .format(digits=DIGITS_FROM_ANYWHERE),
                      "JOIN resident r0 ON r0.id = s.resident_id"
                      " JOIN resident r ON r.id = s.resident_id + %(d_resident)s"),
    Errand.number: (ERRAND_NUMBER,
                    "JOIN counter c ON c.name = 'errand-' || left(s.number, 4)"),
    Event.entity_id: ("s.entity_id + %(d_errand)s", ""),
    Event.detail: ("CASE WHEN s.action = 'create' THEN replace(s.detail, e0.number, e.number)"
                   " ELSE s.detail END",
                   "JOIN errand e0 ON e0.id = s.entity_id"
                   " JOIN errand e ON e.id = s.entity_id + %(d_errand)s"),
}


def copy_stations(count: int, report: Callable[[int, int, str], None]) -> None:
    """Stations 2..count, each a copy of the first, in the open transaction."""
    tops = {model: model.select(model.id).order_by(model.id.desc()).scalar() or 0
            for model in COPIED}
    indexes = _set_aside_indexes()
    for k in range(2, count + 1):
        name = village_station(TOWNSHIP_VILLAGES[k - 2])
        report(k - 1, count, t("demo.progress.copy_station", station=name))
        params = dict(k=k, name=name, city=FIRST_CITY + k,
                      **{f"d_{model._meta.table_name}": (k - 1) * top
                         for model, top in tops.items()})
        for model in COPIED:
            database.execute_sql(_copy_statement(model, tops[model]), params)
    last_numbers = list(Counter.select().where(Counter.name.startswith("errand-")))
    for counter in last_numbers:  # numbering goes on after the last station's
        Counter.update(value=counter.value * count).where(
            Counter.name == counter.name).execute()
    for model in COPIED:
        table = model._meta.table_name
        database.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                             f" (SELECT max(id) FROM {table}))")
    report(count, count, t("demo.progress.indexes"))
    database.execute_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for definition in indexes:
        database.execute_sql(definition)
    report(count, count, t("demo.progress.done"))


def _set_aside_indexes() -> list[str]:
    """Drop the copied tables' indexes but their primary keys (which the copies join
    on), returning what makes them again: built once over every station's rows,
    they cost a fraction of keeping them up to date row by row. A unique index
    made again checks the copies' numbers once more."""
    rows = database.execute_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        ([model._meta.table_name for model in COPIED],)).fetchall()
    for name, _ in rows:
        database.execute_sql(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _copy_statement(model, top: int) -> str:
    """INSERT ... SELECT of the first station's rows of `model` as station %(k)s's."""
    table = model._meta.table_name
    columns, values, joins = [], [], []
    for field in model._meta.sorted_fields:
        columns.append(field.column_name)
        if field in REWRITTEN:
            value, join = REWRITTEN[field]
            values.append(value)
            joins.append(join)
        elif field is model._meta.primary_key:
            values.append(f"s.id + %(d_{table})s")
        elif hasattr(field, "rel_model"):
            target = field.rel_model
            values.append(f"s.{field.column_name} + %(d_{target._meta.table_name})s"
                          if target in COPIED else "NULL")
        else:
            values.append(f"s.{field.column_name}")
    where = " AND ".join(filter(None, [f"s.id <= {top}", ONLY.get(model)]))
    return (f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
            f" FROM {table} s {' '.join(filter(None, joins))} WHERE {where}")
