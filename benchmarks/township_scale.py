"""The township at scale: 30 stations × 100,000 errands on one PostgreSQL server.

    python benchmarks/township_scale.py --db postgresql://USER:PASS@HOST/DB
                                [--stations 30] [--size township] [--runs 5] [--rebuild]

Builds the demo township (`kiosk demo --size township`) into the database once and
keeps it for later runs; --rebuild wipes the database's public schema first (only
ever point it at a database of its own). Then, in-process as the desk reads them:

- each station's queue, its first page as the queue screen opens it (the "open"
  filter, with its total), and under every saved filter;
- the township's side-by-side month (the township home screen: township_lines);
- one station's month figures (the statistics screen: station_figures and
  village_figures), for the last station built.

Timings belong here, never in the test suite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(url: str, stations: int, size: str, rebuild: bool) -> float | None:
    """Seconds the build took, or None when the township was there already."""
    from models.core.db import database, make_database
    from models.core.entities import Station
    db = make_database(url)
    with db.connection_context():
        tables = set(db.get_tables())
        station_table = Station._meta.table_name
        held = (db.execute_sql(f"SELECT count(*) FROM {station_table}").fetchone()[0]
                if station_table in tables else 0)
        if held == stations and not rebuild:
            return None
        if tables and not rebuild:
            raise SystemExit(f"{url} holds {held} stations, not {stations}: "
                             "--rebuild wipes it and builds the township anew")
        if tables:
            db.execute_sql("DROP SCHEMA public CASCADE")
            db.execute_sql("CREATE SCHEMA public")
    database.initialize(None)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "kiosk.cli", "--db", url, "demo", "--size", size,
                    "--stations", str(stations)], check=True, cwd=ROOT)
    return time.monotonic() - started


def timed(call, *args) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


def queue_times(station_ids: list[int], runs: int) -> dict[str, list[float]]:
    """Per station: the first read of the open queue (cold), then the median of
    `runs` further reads; and every saved filter's first page, `runs` times each."""
    from models.errands.queue import PRESETS, preset_filter, queue_page
    cold, warm, presets = [], [], []
    for station in station_ids:
        opened = preset_filter("open", station, None)
        cold.append(timed(queue_page, opened))
        warm.append(statistics.median(timed(queue_page, opened) for _ in range(runs)))
        for preset in PRESETS:
            presets += [timed(queue_page, preset_filter(preset, station, None))
                        for _ in range(runs)]
    return dict(cold=cold, warm=warm, presets=sorted(presets))


def month_times(station_id: int, runs: int) -> dict[str, list[float]]:
    from models.reports.figures import Period, station_figures
    from models.reports.village_figures import village_figures
    from models.station.township import township_lines
    today = dt.date.today()
    month = Period.month(today.year, today.month)
    return dict(
        township=[timed(township_lines, today.year, today.month) for _ in range(runs)],
        station=[timed(station_figures, station_id, month) for _ in range(runs)],
        village=[timed(village_figures, station_id, month) for _ in range(runs)])


def counts() -> dict[str, int]:
    from models.core.entities import Event, Station
    from models.errands.entities import Errand
    from models.people.entities import Resident, ResidentKey
    from models.village.entities import Visit
    return {model.__name__.lower(): model.select().count()
            for model in (Station, Errand, Resident, ResidentKey, Visit, Event)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a PostgreSQL URL of its own")
    parser.add_argument("--stations", type=int, default=30)
    parser.add_argument("--size", choices=("township", "small"), default="township",
                        help="each station's size: small for a quick try of the script")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    built = build(args.db, args.stations, args.size, args.rebuild)
    if built is not None:
        print(f"township of {args.stations} stations built in {built / 60:.1f} min")
    from kiosk.database import open_database
    from models.core.db import database
    from models.core.entities import Station
    open_database(args.db)
    load_before = os.getloadavg()[0]
    with database.connection_context():
        print(", ".join(f"{kind} {count:,}" for kind, count in counts().items()))
        station_ids = [s for (s,) in Station.select(Station.id).order_by(Station.id).tuples()]
        queue = queue_times(station_ids, args.runs)
        month = month_times(station_ids[-1], args.runs)
    load_after = os.getloadavg()[0]

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f} ms"

    p95 = queue["presets"][int(len(queue["presets"]) * 0.95)]
    rows = [
        (f"queue first page, {len(station_ids)} stations (median)",
         ms(statistics.median(queue["warm"])), "≤ 100 ms",
         statistics.median(queue["warm"]) <= 0.1),
        ("queue first page, worst station", ms(max(queue["warm"])), "≤ 100 ms",
         max(queue["warm"]) <= 0.1),
        ("queue first page, first read (worst)", ms(max(queue["cold"])), "≤ 100 ms",
         max(queue["cold"]) <= 0.1),
        ("queue, every saved filter (p95, worst)",
         f"{ms(p95)} ({ms(max(queue['presets']))})", "≤ 100 ms", p95 <= 0.1),
        ("township month, all stations (median, worst)",
         f"{statistics.median(month['township']):.2f} s ({max(month['township']):.2f})",
         "≤ 5 s", max(month["township"]) <= 5),
        ("one station's month figures (median)",
         f"{statistics.median(month['station']):.2f} s", "≤ 5 s",
         statistics.median(month["station"]) <= 5),
        ("one station's village figures (median)",
         f"{statistics.median(month['village']):.2f} s", "≤ 5 s",
         statistics.median(month["village"]) <= 5),
    ]
    print(f"\n{'what':46} {'measured':>20}  {'budget':9} ok")
    for what, value, budget, ok in rows:
        print(f"{what:46} {value:>20}  {budget:9} {'—' if ok is None else 'yes' if ok else 'NO'}")
    print(f"\n{os.cpu_count()} cores, load average {load_before:.1f} before, "
          f"{load_after:.1f} after (the machine is shared)")


if __name__ == "__main__":
    main()
