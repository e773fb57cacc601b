"""The demo township (`kiosk demo --size township`) at a tiny size: a few small
stations copied from the first, on PostgreSQL; SQLite refuses it in one line."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.demo import build_demo
from kiosk.demo.station import TOWNSHIP_VILLAGES, village_station
from kiosk.demo.township import ERRAND_NUMBER
from models.core.db import is_sqlite
from models.core.entities import Cadre, Station, VillagerGroup
from models.core.i18n import t
from models.core.validation import id_check_char
from models.errands.entities import Errand
from models.errands.intake import reserve_numbers
from models.errands.queue import preset_filter, queue_page
from models.people.entities import Household, Resident, ResidentKey
from models.people.residents import search_residents
from models.station.township import township_lines

from .test_cli import one_line, run_cli

TODAY = dt.date(2026, 5, 13)
STATIONS = 3  # a township small enough for a test: three "small" villages


def station_of_residents():
    return (Resident.select(Resident, VillagerGroup.station.alias("station_id"))
            .join(Household).join(VillagerGroup))


def index_definitions() -> list[tuple]:
    """Each index's name, table and columns (PostgreSQL words a partial index's
    condition anew when it is made again from its definition)."""
    from models.core.db import database
    return sorted((i.name, table, tuple(i.columns), i.unique)
                  for table in database.get_tables() for i in database.get_indexes(table))


def test_a_township_of_small_stations(db):
    if is_sqlite():
        with pytest.raises(ValueError, match=t("demo.township_postgres")):
            build_demo("small", today=TODAY, admin_login="zhanzhang", stations=STATIONS)
        assert not Station.select().exists()
        return
    indexes = index_definitions()
    counts = build_demo("small", today=TODAY, admin_login="zhanzhang", stations=STATIONS)
    assert index_definitions() == indexes  # set aside for the copies, then made again
    names = [s.name for s in Station.select().order_by(Station.id)]
    assert names[1:] == [village_station(v) for v in TOWNSHIP_VILLAGES[:STATIONS - 1]]
    assert counts["stations"] == STATIONS and counts["errands"] == Errand.select().count()
    per_station = [Errand.select().where(Errand.station == s).count()
                   for s in range(1, STATIONS + 1)]
    assert per_station == [counts["errands"] // STATIONS] * STATIONS

    # every row points into its own station
    assert not (Errand.select().join(Resident).join(Household).join(VillagerGroup)
                .where(VillagerGroup.station != Errand.station).exists())
    assert not (Errand.select().join(Cadre, on=Errand.owner == Cadre.id)
                .where(Cadre.station != Errand.station).exists())

    # what is unique across the server stays unique; ID numbers stay valid
    ids = [r.id_number for r in Resident.select(Resident.id_number)]
    assert len(set(ids)) == len(ids) and all(id_check_char(i[:17]) == i[17] for i in ids)
    logins = [c.login for c in Cadre.select() if c.login]
    assert len(set(logins)) == len(logins) and "station2-head" in logins
    # household numbers are each station's own: every copy numbers from its first
    first = Household.select().order_by(Household.id).first()
    assert sorted(Household.select(Household.station).where(Household.number == first.number)
                  .scalars()) == list(range(1, STATIONS + 1))
    assert not (Household.select().join(VillagerGroup)
                .where(VillagerGroup.station != Household.station).exists())

    # a copy is found by its own numbers, never by the first station's
    zhang = {r.station_id: r for r in station_of_residents()
             .where(Resident.name == "张三").objects()}
    assert set(zhang) == set(range(1, STATIONS + 1))
    assert [r.id for r in search_residents(zhang[2].id_number, station_id=2)] == [zhang[2].id]
    assert not search_residents(zhang[1].id_number, station_id=2)
    assert not (ResidentKey.select().where((ResidentKey.resident == zhang[2].id)
                                           & (ResidentKey.key == zhang[1].id_number))
                .exists())

    # numbering goes on after the last station's errands
    numbers = [e.number for e in Errand.select(Errand.number)]
    assert len(set(numbers)) == len(numbers)
    year = max(numbers)[:4]
    assert reserve_numbers(int(year))[0] > max(n for n in numbers if n.startswith(year))

    # past a million a year (30 large stations) the number grows a digit
    from models.core.db import database
    shifted = database.execute_sql(
        f"SELECT {ERRAND_NUMBER} FROM (SELECT %(n)s AS number) s, (SELECT %(v)s AS value) c",
        dict(n="2026-219376", k=6, v=200_000)).fetchone()[0]
    assert shifted == "2026-1219376"

    # the desk reads each station on its own, and the township sees them side by side
    queue = queue_page(preset_filter("open", 2, None), today=TODAY)
    assert queue.rows and queue.total == queue_page(preset_filter("open", 1, None),
                                                    today=TODAY).total
    assert {e.station_id for e in Errand.select().where(
        Errand.id.in_([r.id for r in queue.rows]))} == {2}
    lines = township_lines(TODAY.year, TODAY.month, TODAY)
    assert [line.name for line in lines] == names
    assert len({(line.open, line.overdue, line.households) for line in lines}) == 1


def test_the_cli_refuses_a_township_on_sqlite(tmp_path):
    path = tmp_path / "demo.db"
    done = run_cli("--db", str(path), "demo", "--size", "township")
    assert one_line(done, status=1) == t("demo.township_postgres")
    assert not path.exists()
    assert one_line(run_cli("--db", str(path), "demo", "--stations", "0"), status=1) == t(
        "demo.stations_range", most=len(TOWNSHIP_VILLAGES) + 1)
