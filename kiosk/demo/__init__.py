"""Demo data for `kiosk demo`: a whole village service station with a year of errands.

`build_demo` fills an empty database with one station, its villager groups and
cadres, households and residents (with search keys), the standard service
catalogue and about thirteen months of errands in every status and mode. The same
seed gives the same village; nothing depends on the clock except through `today`.

Three sizes: "small" (about 300 residents, 400 errands: tests and a first look),
"large" (20,000 residents, 100,000 errands, 1.2 million household visits: the size
the budgets in DESIGN.md are measured at) and "township" (30 stations of 20,000
residents and 100,000 errands each, 60,000 visits each, on one PostgreSQL server:
see township.py; `stations` makes a township of any size). Rows go in with
multi-row INSERTs (PostgreSQL: COPY) inside one transaction, so a failed build
leaves the database as empty as it was.

Test data worth knowing: 张三 (mobile 138 1234 1234) with errands in several modes,
other 张 names with initials "zs" (张顺, 张松, 张帅, 张爽), and residents named
"[red]王[/red]" and "[/bar]", which must show literally wherever names are shown.
"""
from __future__ import annotations

import datetime as dt
import random

from kiosk.config import os_login
from models.core.db import database, is_sqlite
from models.core.entities import Event, Station
from models.core.i18n import t

from .context import Demo, Progress, Writer
from .errand_rows import event_count, material_count, write_counters, write_errands
from .errands import make_errands
from .households import (
    make_households,
    search_keys,
    write_households,
    write_residents,
    write_search_keys,
)
from .people import People
from .roster import make_roster
from .station import add_cadres, add_catalogue, add_groups, add_notices, open_station
from .township import MAX_STATIONS, copy_stations
from .village_life import write_village_life
from .visits import write_visits

SIZES = {
    # visits: a year of them, far below the county rule: a few households visited
    # this week, most overdue — a coverage board with something to show
    "small": dict(groups=10, residents=300, errands=400, visits=1_200),
    # visits: a year of them, twice what the county rule asks of 5,800 households
    "large": dict(groups=12, residents=20_000, errands=100_000, visits=1_200_000),
    # thirty "large" stations, visits kept to about ten a household a year: 36 million
    # would be the largest table of all and add nothing the figures measured read
    "township": dict(groups=12, residents=20_000, errands=100_000, visits=60_000,
                     stations=30),
}

# What every station of a township has as many of as the first (its disputes and
# diary, and the events other than errands', are the first village's own).
PER_STATION = ("stations", "groups", "cadres", "households", "residents", "resident_keys",
               "items", "errands", "materials", "shifts", "visits", "tagged")

# The default for `admin_login`: whoever runs the demo is signed in as the admin.
OS_USER = "<os user>"


def build_demo(size: str = "small", seed: int = 0, progress: Progress | None = None,
               today: dt.date | None = None, admin_login: str | None = OS_USER,
               stations: int | None = None) -> dict:
    """Fill the empty database behind `models.core.db.database` with a demo village,
    or with a township of `stations` villages like it (the size's own number when
    None; more than one needs PostgreSQL).

    `admin_login` is the login of the station head (by default the OS user running
    this, so they are signed in as the admin); None leaves the admin without a login.
    `progress(done, total, label)` is called while the village is made up (done=0,
    the label says what is being done) and then as rows are written, with the total
    of all rows. Returns the number of rows of each kind. Raises ValueError for an
    unknown size or number of stations, a township on SQLite, or when the database
    already holds a station.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}: choose one of {', '.join(SIZES)}")
    stations = stations or SIZES[size].get("stations", 1)
    if not 1 <= stations <= MAX_STATIONS:
        raise ValueError(t("demo.stations_range", most=MAX_STATIONS))
    if stations > 1 and is_sqlite():
        raise ValueError(t("demo.township_postgres"))
    today = today or dt.date.today()
    if admin_login == OS_USER:
        admin_login = os_login()
    writer = Writer(progress or (lambda done, total, label: None))
    writer.report(0, 1, t("demo.progress.prepare"))

    demo = Demo(random.Random(seed), today, SIZES[size])
    with database.atomic():
        if Station.select().exists():
            raise ValueError(t("demo.not_empty"))
        counts = _build(demo, writer, seed, admin_login)
        if stations > 1:
            copy_stations(stations, writer.report)
            counts = {kind: count * stations if kind in PER_STATION else count
                      for kind, count in counts.items()}
            counts["events"] = Event.select().count()
    database.execute_sql("ANALYZE")  # fresh statistics for the query planner
    if is_sqlite():
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def _build(demo: Demo, writer: Writer, seed: int, admin_login: str | None) -> dict:
    """The village made up in full first, so that progress can count every row to
    write; then written. The order of the steps is the order they draw from the
    random generator in: change it and a seed gives another village."""
    report = writer.report
    station = open_station(demo)
    groups = add_groups(station, demo.spec["groups"])
    people = People(demo)
    cadres = add_cadres(demo, people, station, groups, admin_login)
    items = add_catalogue(demo, station, cadres[0])

    report(0, 1, t("demo.progress.people"))
    households = make_households(demo, people, groups)
    residents = [r for h in households for r in h["members"]]
    report(0, 1, t("demo.progress.keys"))
    keys = [search_keys(r, h["number"]) for h in households for r in h["members"]]
    report(0, 1, t("demo.progress.errands"))
    errands = make_errands(demo, residents, items, cadres)
    materials = material_count(errands)
    writer.total = (len(households) + len(residents) + sum(map(len, keys)) + len(errands)
                    + materials + event_count(errands) + 1)  # 1: the closing step

    write_households(writer, households)
    resident_ids = write_residents(demo, writer, residents)
    write_search_keys(writer, resident_ids, keys)
    write_errands(demo.rng, writer, errands, resident_ids)
    write_counters(errands)
    shifts = make_roster(demo, station, cadres)
    visits = write_visits(writer, seed, demo.today, demo.spec["visits"])
    life = write_village_life(seed, station.id, demo.today)
    add_notices(demo, station)
    Event.create(entity="station", entity_id=station.id, action="create",
                 actor=cadres[0], at=demo.registered_at,
                 detail=dict(name=station.name, groups=len(groups), demo=True,
                             seed=seed, residents=len(residents), errands=len(errands)))
    report(writer.total, writer.total, t("demo.progress.done"))
    return dict(stations=1, groups=len(groups), cadres=len(cadres),
                households=len(households), residents=len(residents),
                resident_keys=sum(map(len, keys)), items=len(items),
                errands=len(errands), materials=materials,
                events=Event.select().count(), shifts=shifts, visits=visits, **life)
