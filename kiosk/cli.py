"""`kiosk` — open the duty desk; `kiosk demo` — fill a database with demo data;
`kiosk export-roster` — a month's roster as a page to post or a calendar file."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from models.core.db_url import is_postgres_url
from models.core.i18n import t

from .config import resolve_url


def _progress(done: int, total: int, label: str, _shown=[None]) -> None:
    width = 30
    filled = width * done // max(total, 1)
    if _shown[0] == (filled, label) and done < total:
        return  # redraw only when the bar or the stage changes: slow links
    _shown[0] = (filled, label)
    sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}   ")
    sys.stderr.flush()
    if done >= total:
        sys.stderr.write("\n")


def run_demo(args: argparse.Namespace) -> int:
    from models.core.db import database
    from models.station.setup import first_station

    from .database import open_database
    from .demo import build_demo
    url = resolve_url(args.db)
    open_database(url)
    with database.connection_context():
        station = first_station()
        if station is not None:
            print(t("cli.demo.kept", url=url, station=station.name), file=sys.stderr)
            return 0
        print(t("cli.demo.start", url=url, size=args.size, seed=args.seed), file=sys.stderr)
        started = time.monotonic()
        counts = build_demo(size=args.size, seed=args.seed, progress=_progress)
    summary = t("cli.demo.separator").join(f"{k} {v}" for k, v in counts.items())
    print(t("cli.demo.done", seconds=time.monotonic() - started, summary=summary),
          file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from models.core.db import database
    from models.station.setup import first_station

    from .database import open_database
    from .export import FORMATS
    today = dt.date.today()
    if args.month:
        try:
            year, month = (int(part) for part in args.month.split("-"))
            dt.date(year, month, 1)
        except ValueError:
            print(t("cli.export.bad_month", given=args.month), file=sys.stderr)
            return 2
    else:  # next month: what is posted at month end
        year, month = (today.year + today.month // 12, today.month % 12 + 1)
    open_database(resolve_url(args.db))
    with database.connection_context():
        station = first_station()
        if station is None:
            print(t("cli.export.no_station"), file=sys.stderr)
            return 1
        content = FORMATS[args.format](station.id, year, month)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        print(t("cli.export.done", year=year, month=month, path=args.out), file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def _sqlite_path(url: str) -> Path | None:
    from models.core.db import make_database

    from .database import sqlite_file
    return sqlite_file(make_database(url)) if url.startswith("sqlite:") else None


def run_backup(args: argparse.Namespace) -> int:
    from .backup import daily_backup
    path = _sqlite_path(resolve_url(args.db))
    if path is None:
        print(t("cli.backup.postgres"), file=sys.stderr)
        return 2
    made = daily_backup(path)
    print(t("cli.backup.done", path=made) if made else t("cli.backup.already"),
          file=sys.stderr)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from .backup import BackupError, check_backup, restore
    path = _sqlite_path(resolve_url(args.db))
    if path is None:
        print(t("cli.restore.postgres"), file=sys.stderr)
        return 2
    backup = Path(args.file).expanduser()
    try:
        check_backup(backup)
    except BackupError as exc:
        print(t("cli.restore.refused", reason=exc), file=sys.stderr)
        return 1
    if not args.yes:
        print(t("cli.restore.confirm", backup=backup, path=path), file=sys.stderr, end="")
        if input().strip().lower() != "yes":
            print(t("cli.restore.cancelled"), file=sys.stderr)
            return 1
    aside = restore(backup, path)
    print(t("cli.restore.done", aside=aside), file=sys.stderr)
    return 0


def _backup_later(url: str) -> None:
    """Today's backup, made in the background a little after start-up."""
    import threading

    from .backup import daily_backup
    path = _sqlite_path(url)
    if path is not None and path.exists():
        timer = threading.Timer(20, daily_backup, args=(path,))
        timer.daemon = True
        timer.start()


def run_app(args: argparse.Namespace) -> int:
    # Over SSH on a weak link: fewer frames, no animation, patient Esc.
    os.environ.setdefault("TEXTUAL_FPS", "30")
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    os.environ.setdefault("ESCDELAY", "200")
    url = resolve_url(args.db)
    from .database import open_database
    try:
        open_database(url)
    except Exception as exc:  # a wrong URL or an unreachable server: say which
        print(t("cli.open_failed", url=url, error=exc), file=sys.stderr)
        return 2
    _backup_later(url)
    from .app import DutyDeskApp
    from .errorlog import error_log_path, log_errors_to
    # Database results come back on worker threads; a shorter GIL switch interval
    # lets them land while the UI thread is busy drawing (queue open: -40 ms).
    sys.setswitchinterval(0.001)
    log_errors_to(error_log_path())
    app = DutyDeskApp(act_as=args.login)
    app.run()
    return app.return_code or 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description=t("app.title"))
    parser.add_argument("--db", help=t("cli.help.db"))
    parser.add_argument("--as", dest="login", help=t("cli.help.login"))
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help=t("cli.help.demo"))
    demo.add_argument("--db", dest="db_demo", help=t("cli.help.same"))
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.add_argument("--seed", type=int, default=0)
    export = sub.add_parser("export-roster", help=t("cli.help.export"))
    export.add_argument("--db", dest="db_export", help=t("cli.help.same"))
    export.add_argument("--month", help=t("cli.help.month"))
    export.add_argument("--format", choices=("text", "html", "ics"), default="html")
    export.add_argument("--out", help=t("cli.help.out"))
    backup = sub.add_parser("backup", help=t("cli.help.backup"))
    backup.add_argument("--db", dest="db_backup", help=t("cli.help.same"))
    restore = sub.add_parser("restore", help=t("cli.help.restore"))
    restore.add_argument("file", help=t("cli.help.file"))
    restore.add_argument("--db", dest="db_restore", help=t("cli.help.same"))
    restore.add_argument("--yes", action="store_true", help=t("cli.help.yes"))
    return parser


def skip_postgres_driver(url: str) -> None:
    """Peewee imports psycopg when it is installed, whatever the database: ~50 ms and
    several MB on every start. A SQLite session never needs it, so hide it."""
    if not is_postgres_url(url):
        for name in ("psycopg", "psycopg2"):
            sys.modules.setdefault(name, None)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in ("db_demo", "db_export", "db_backup", "db_restore"):
        args.db = getattr(args, name, None) or args.db
    skip_postgres_driver(resolve_url(args.db))
    commands = {"demo": run_demo, "export-roster": run_export, "backup": run_backup,
                "restore": run_restore}
    return commands.get(args.command, run_app)(args)


if __name__ == "__main__":
    sys.exit(main())
