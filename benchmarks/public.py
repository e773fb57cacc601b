"""`kiosk public` on the hall's screen for weeks: its start beside the bare Textual
app, and its memory after the first lookup and after 10,000.

    python benchmarks/public.py [--db PATH] [--runs 3] [--lookups 10000]

Start-up: both apps in a 120x40 pseudo-terminal through shared/tools/tuiprobe.py,
until the bare app's rows / the hall's station name (read from the database) show;
median of --runs. Memory: the real PublicApp run headless in this process, each
lookup's digits put in its lookup screen's two fields and Enter's action run, answered
through the model, a worker and the trail as on the hall's screen; the
resident set size of the process after the first lookup and after the last, garbage
collected. Without --db, a small demo station is built in a temporary folder.
Budgets (issue 13): start ≤ 1.3 × bare; memory after 10,000 ≤ 1.1 × after 1.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOOLS = ROOT.parent / "shared" / "tools"
PROBE = TOOLS / "tuiprobe.py"
BARE_APP = TOOLS / "bare_app.py"


def startup(command: list[str], marker: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, str(PROBE), "--wait", marker, "--", *command],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
        started = json.loads(out.stdout)["startup_s"]
        if started is None:
            raise SystemExit(f"never saw {marker!r} from {command}")
        times.append(started)
    return statistics.median(times)


def rss_mb() -> float:
    gc.collect()
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def memory(db: Path, lookups: int) -> tuple[float, float, float]:
    from kiosk.database import open_database
    open_database(f"sqlite:///{db}")
    from kiosk.public_app import PublicApp
    from models.core.db import database
    from models.errands.entities import Errand
    from models.people.entities import Resident
    from models.station.setup import first_station
    with database.connection_context():
        station = first_station()
        pairs = list(Errand.select(Errand.number, Resident.phone).join(Resident)
                     .where(Resident.phone.startswith("1")).limit(200).tuples())
    app = PublicApp(station.id, idle_seconds=10 ** 6)
    # a connection held open here keeps SQLite from checkpointing the WAL each
    # time a lookup's worker closes the last one: only the run's length changes
    database.connect()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        started = time.monotonic()
        after_first = 0.0
        screen = app.screen
        fields = screen.query_one("#number"), screen.query_one("#phone")
        for count in range(1, lookups + 1):
            number, phone = pairs[count % len(pairs)]
            # typed into the fields as a villager's keys leave them; Enter looks it up
            fields[0].value, fields[1].value = number.replace("-", ""), phone[-4:]
            screen.set_focus(fields[1])
            screen.action_next()  # what Enter in the phone field does
            # its worker hands the answer over on the app's loop before it completes
            await app.workers.wait_for_complete()
            if count == 1:
                after_first = rss_mb()
        after_last = rss_mb()
        assert number in str(app.screen.query_one("#answer").render())
    return after_first, after_last, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lookups", type=int, default=10_000)
    args = parser.parse_args()
    if args.db:
        db = Path(args.db)
    else:
        db = Path(tempfile.mkdtemp(prefix="kiosk-public-")) / "kiosk.db"
        subprocess.run([sys.executable, "-m", "kiosk.cli", "--db", str(db), "demo"],
                       check=True, cwd=ROOT, capture_output=True)
    import sqlite3
    station = sqlite3.connect(db).execute("SELECT name FROM station").fetchone()[0]
    bare = startup([sys.executable, str(BARE_APP)], "张三丰", args.runs)
    public = startup([sys.executable, "-m", "kiosk.cli", "public", "--db", str(db)],
                     station, args.runs)
    first, last, seconds = asyncio.run(memory(db, args.lookups))
    print(f"start to first data: bare {bare:.3f} s, public {public:.3f} s "
          f"= {public / bare:.2f} x (budget 1.3 x)")
    print(f"memory after 1 lookup {first:.1f} MB, after {args.lookups} "
          f"{last:.1f} MB = {last / first:.3f} x (budget 1.1 x); "
          f"{seconds / args.lookups * 1000:.1f} ms a lookup in-process")


if __name__ == "__main__":
    main()
