"""The budget table of DESIGN.md §4, measured beside a bare Textual app in the same run.

    python benchmarks/run.py [--db PATH] [--runs 3] [--rebuild]

Builds the large demo set (20,000 residents, 100,000 errands, 1.2 million visits)
into a SQLite file once (kept for later runs unless --rebuild), then starts the bare
app and the desk in a 120x40 pseudo-terminal through shared/tools/tuiprobe.py and
times person search, the queue and visit coverage in-process, the statistics screen on
screen (key x: until its figures are on the terminal's screen, and its last byte) and
the monthly report export as a command. Timings belong here, never in
the test suite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT.parent / "shared" / "tools"
PROBE = TOOLS / "tuiprobe.py"
BARE_APP = TOOLS / "bare_app.py"
BARE_PUSH = Path(__file__).with_name("bare_push.py")


def build(path: Path, rebuild: bool) -> float | None:
    if path.exists() and not rebuild:
        return None
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "kiosk.cli", "--db", str(path), "demo",
                    "--size", "large"], check=True, cwd=ROOT)
    return time.monotonic() - started


def byte_compile() -> None:
    """The desk's modules compiled, as an installed desk has them (pip compiles on
    install, Python on first import): where PYTHONDONTWRITEBYTECODE is set, as on the
    build machine, every start would otherwise compile a hundred modules anew."""
    import compileall
    for package in ("kiosk", "models", "screens"):
        compileall.compile_dir(ROOT / package, quiet=1)


def probe(command: list[str], marker: str, keys: str = "") -> dict:
    args = [sys.executable, str(PROBE), "--wait", marker]
    if keys:
        args += ["--keys", keys]
    out = subprocess.run(args + ["--", *command], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    return json.loads(out.stdout)


CURSOR_KEYS = ["down"] * 12


def median_probe(command, marker, runs, keys=()):
    """Median start-up, memory, per-key latency and bytes per cursor key."""
    results = [probe(command, marker, ",".join(keys)) for _ in range(runs)]
    if any(r["startup_s"] is None for r in results):
        raise SystemExit(f"never saw {marker!r} from {command}: {results}")

    def per_key(index):
        return statistics.median(r["keys"][index]["s"] for r in results)

    def cursor_bytes(r):
        downs = [k["bytes"] for k in r["keys"] if k["key"] == "down"]
        return statistics.mean(downs) if downs else 0
    return {
        "startup_s": statistics.median(r["startup_s"] for r in results),
        "rss_mb": statistics.median(r["rss_kb"] for r in results) / 1024,
        "cursor_bytes": statistics.median(cursor_bytes(r) for r in results),
        "key_s": [per_key(i) for i in range(len(keys))],
    }


def _comes(term, text: str, limit: float) -> bool:
    """Whether `text` comes on the terminal's screen within `limit` seconds. Read
    cell by cell: pyte's own `display` fails on a wide glyph half overwritten."""
    screen, started = term.screen, time.monotonic()
    while time.monotonic() - started < limit:
        if term.pump(0.02) < 0:
            return False
        if any(text in "".join(line[x].data for x in range(screen.columns))
               for line in (screen.buffer[y] for y in range(screen.lines))):
            return True
    return False


def until_on_screen(command: list[str], marker: str, key: str, texts: tuple[str, ...],
                    runs: int) -> list[float | None]:
    """Median seconds from `key` until each of `texts` is on screen, in turn, and
    then until the program's last byte (everything drawn). Read off the screen as
    the terminal shows it, so a frame drawn before the figures counts for nothing;
    None where a text never came (within 30 s)."""
    spec = importlib.util.spec_from_file_location("tuiprobe", PROBE)
    tuiprobe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tuiprobe)
    found = []
    for _ in range(runs):
        term = tuiprobe.Term(command, 120, 40, {"TERM": "xterm-256color", "COLUMNS": "120",
                                                "LINES": "40"})
        try:
            if not _comes(term, marker, 60):
                raise SystemExit(f"never saw {marker!r} from {command}")
            term.settle()
            os.write(term.fd, tuiprobe.keybytes(key))
            pressed, times = time.monotonic(), []
            for text in texts:
                times.append(time.monotonic() - pressed if _comes(term, text, 30) else None)
            settling = time.monotonic()
            times.append(settling - pressed + term.settle()[1])
            found.append(times)
        finally:
            os.kill(term.pid, 9)
            os.waitpid(term.pid, 0)
    return [None if any(run[i] is None for run in found)
            else statistics.median(run[i] for run in found) for i in range(len(texts) + 1)]


def queue_p95(db_path: Path) -> float:
    """p95 ms of opening the first queue page under each saved filter."""
    from models.core.db import database
    from models.errands.queue import PRESETS, preset_filter, queue_page
    times = []
    with database.connection_context():
        for _ in range(5):
            for preset in PRESETS:
                started = time.perf_counter()
                queue_page(preset_filter(preset, 1, 1))
                times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[int(len(times) * 0.95)]


def coverage_p95() -> tuple[float, float]:
    """p95 and worst ms of one villager group's visit coverage this month (visited
    against all, the overdue worst first), over every group of the station."""
    from models.core.db import database
    from models.core.entities import VillagerGroup
    from models.village.coverage import group_coverage
    start = dt.date.today().replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    times = []
    with database.connection_context():
        groups = list(VillagerGroup.select(VillagerGroup.id, VillagerGroup.station).tuples())
        for _ in range(5):
            for group, station in groups:
                started = time.perf_counter()
                group_coverage(group, start, end, station_id=station)
                times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[int(len(times) * 0.95)], times[-1]


def report_export_s(db_path: Path, runs: int) -> float:
    """Median seconds of `kiosk export report` (last month, every sheet) as the
    station head runs it: the command from start to the file written."""
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "kiosk.cli", "--db", str(db_path), "export",
                            "report", "--out", str(Path(folder) / "report.xlsx")],
                           check=True, cwd=ROOT, capture_output=True)
            times.append(time.monotonic() - started)
    return statistics.median(times)


def search_p95(db_path: Path, samples: int = 400) -> tuple[float, float]:
    """p95 and p50 in ms of person search over a mix of what cadres type."""
    from models.core.db import database, make_database
    from models.people.entities import Household, Resident
    from models.people.residents import search_residents
    from models.station.setup import first_station
    database.initialize(make_database(f"sqlite:///{db_path}"))
    rng = random.Random(7)
    with database.connection_context():
        people = list(Resident.select(Resident.name, Resident.pinyin, Resident.phone,
                                      Resident.id_number).limit(20000))
        households = [h.number for h in Household.select(Household.number)]
        queries = []
        for _ in range(samples):
            person = rng.choice(people)
            syllables = person.pinyin.split()
            kind = rng.randrange(6)
            if kind == 0:
                queries.append("".join(s[0] for s in syllables))  # initials
            elif kind == 1:
                queries.append("".join(syllables))  # full pinyin
            elif kind == 2 and person.phone:
                queries.append(person.phone[-4:])  # last four digits
            elif kind == 3 and person.id_number:
                queries.append(person.id_number[-6:])
            elif kind == 4:
                queries.append(rng.choice(households))
            else:
                queries.append(person.name)
        station = first_station().id
        search_residents("warm up", station_id=station)
        times = []
        for query in queries:
            started = time.perf_counter()
            search_residents(query, station_id=station)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[int(len(times) * 0.95)], statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "kiosk-bench-large.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    byte_compile()
    built = build(args.db, args.rebuild)
    if built is not None:
        print(f"large demo built in {built:.1f} s ({args.db.stat().st_size / 2**20:.0f} MB)")
    bare = median_probe([sys.executable, str(BARE_APP)], "张三丰", args.runs, CURSOR_KEYS)
    # home, then the queue (e), its overdue filter (3), then the cursor down the rows
    desk = median_probe([sys.executable, "-m", "kiosk.cli", "--db", str(args.db)],
                        "已超期", args.runs, ["e", "3", *CURSOR_KEYS])
    bare_push = median_probe([sys.executable, str(BARE_PUSH)], "已超期", args.runs, ["e"])
    # home, then the statistics (x): this month's figures on screen, the errands'
    # tiles ("满意率") and the village's ("走访覆盖率"), counted by two workers, then
    # the last byte (the cadres' table, once both are in)
    errands_s, village_s, drawn_s = until_on_screen(
        [sys.executable, "-m", "kiosk.cli", "--db", str(args.db)], "已超期", "x",
        ("满意率", "走访覆盖率"), args.runs)
    report_s = report_export_s(args.db, args.runs)
    p95, p50 = search_p95(args.db)
    queue_ms = queue_p95(args.db)
    coverage_ms, coverage_worst = coverage_p95()
    # a key's latency: from the key to the last byte it caused (rows drawn)
    open_ms, filter_ms = (desk["key_s"][0] * 1000, desk["key_s"][1] * 1000)

    rows = [
        ("start to interactive dashboard", f"{bare['startup_s']:.2f} s",
         f"{desk['startup_s']:.2f} s", desk["startup_s"] / bare["startup_s"], "≤ 1.3×",
         desk["startup_s"] <= 1.3 * bare["startup_s"]),
        ("resident memory of a session", f"{bare['rss_mb']:.0f} MB",
         f"{desk['rss_mb']:.0f} MB", desk["rss_mb"] / bare["rss_mb"], "≤ 1.5×",
         desk["rss_mb"] <= 1.5 * bare["rss_mb"]),
        ("person search p95 (p50)", "—", f"{p95:.1f} ms ({p50:.1f})", None, "≤ 20 ms",
         p95 <= 20),
        ("queue open with filter (query p95)", "—", f"{queue_ms:.1f} ms", None, "≤ 100 ms",
         queue_ms <= 100),
        ("visit coverage of a group (p95, worst)", "—",
         f"{coverage_ms:.1f} ms ({coverage_worst:.0f})", None, "≤ 100 ms", coverage_ms <= 100),
        ("queue open on screen (key e)", f"{bare_push['key_s'][0] * 1000:.0f} ms",
         f"{open_ms:.0f} ms", open_ms / (bare_push["key_s"][0] * 1000),
         "screen push", None),
        ("queue filter on screen (key 3)", "—", f"{filter_ms:.0f} ms", None, "≤ 100 ms",
         filter_ms <= 100),
        *(("statistics screen: " + what, "—", "never" if took is None
           else f"{took * 1000:.0f} ms", None, "≤ 500 ms", took is not None and took <= 0.5)
          for what, took in (("errand figures (x)", errands_s),
                             ("village figures", village_s), ("all drawn", drawn_s))),
        ("monthly report export (command)", "—", f"{report_s:.2f} s", None, "≤ 2 s",
         report_s <= 2),
        ("bytes written per cursor-down", f"{bare['cursor_bytes']:.0f} B",
         f"{desk['cursor_bytes']:.0f} B", desk["cursor_bytes"] / bare["cursor_bytes"],
         "≤ 2×", desk["cursor_bytes"] <= 2 * bare["cursor_bytes"]),
    ]
    print(f"\n{'what':34} {'bare Textual':>14} {'duty desk':>16} {'ratio':>7}  "
          f"{'budget':8} ok")
    for what, bare_value, desk_value, ratio, budget, ok in rows:
        ratio_text = f"{ratio:.2f}" if ratio is not None else ""
        print(f"{what:34} {bare_value:>14} {desk_value:>16} {ratio_text:>7}  "
              f"{budget:8} {'—' if ok is None else 'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
