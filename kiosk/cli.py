"""`kiosk` — open the duty desk; `kiosk demo` — fill a database with demo data;
`kiosk export-roster` — a month's roster as a page to post or a calendar file;
`kiosk backup`, `kiosk restore FILE`, `kiosk check` — keeping the data safe;
`kiosk import` / `kiosk export` — the register and the catalogue as spreadsheets, and
the township's files: the month's report, errands, visits, households' contact cards;
`kiosk serve` — the desk in a browser, every cadre signing in by PIN;
`kiosk public` — the hall's read-only self-service screen;
`kiosk township add-station|add-user` — a township server's stations and readers.

A failure of the machine (disk full, read-only, a path that does not exist, an
unreachable server) ends a command with one line saying so and exit status 2."""
from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import sys
import time
from pathlib import Path

from models.core.db_url import is_postgres_url
from models.core.i18n import t

from .config import is_default, resolve_url, restorer, sqlite_path
from .township import add_township_command, run_township


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
    from .demo import MAX_STATIONS, SIZES, build_demo
    url = resolve_url(args.db)
    stations = (args.stations if args.stations is not None
                else SIZES[args.size].get("stations", 1))
    refused = (t("demo.stations_range", most=MAX_STATIONS)
               if not 1 <= stations <= MAX_STATIONS
               else t("demo.township_postgres") if stations > 1 and not is_postgres_url(url)
               else None)
    if refused:
        print(refused, file=sys.stderr)
        return 1
    open_database(url)
    with database.connection_context():
        station = first_station()
        if station is not None:
            print(t("cli.demo.kept", url=url, station=station.name), file=sys.stderr)
            return 0
        print(t("cli.demo.start", url=url, size=args.size, seed=args.seed), file=sys.stderr)
        started = time.monotonic()
        counts = build_demo(size=args.size, seed=args.seed, progress=_progress,
                            stations=stations)
    summary = t("cli.demo.separator").join(f"{k} {v}" for k, v in counts.items())
    print(t("cli.demo.done", seconds=time.monotonic() - started, summary=summary),
          file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from models.core.db import database
    from models.station.team import login_station

    from .config import os_login

    from .database import open_database
    from .export import FORMATS
    from .exporting import read_month
    try:  # by default next month: what is posted at month end
        year, month = read_month(args.month, dt.date.today(), step=1)
    except ValueError:
        print(t("cli.export.bad_month", given=args.month), file=sys.stderr)
        return 2
    url = resolve_url(args.db)
    _existing(url)
    open_database(url)
    with database.connection_context():
        station = login_station(os_login() or "")
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


class Stop(Exception):
    """A command cannot go on: one line for the person, and the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def _ask(question: str) -> bool:
    print(question, file=sys.stderr, end="", flush=True)
    return sys.stdin.readline().strip().lower() == "yes"  # end of input: no


def _after_restore(path: Path) -> None:
    from .restore import restore_underway, wait_for_restore
    if restore_underway(path):
        print(t("restore.waiting"), file=sys.stderr)
        wait_for_restore(path)


def _existing(url: str) -> Path | None:
    """The SQLite file of `url` (None: PostgreSQL), once no restore is running.
    A command that works on the data never makes an empty database."""
    path = sqlite_path(url)
    if path is None:
        return None
    if not path.parent.is_dir():
        raise Stop(t("error.not_found", where=path.parent))
    if not path.is_file():
        raise Stop(t("cli.no_database", path=path))
    _after_restore(path)
    return path


def run_backup(args: argparse.Namespace) -> int:
    from .backup import backup_sqlite, backups_folder
    url = resolve_url(args.db)
    started = time.monotonic()
    path = _existing(url)
    if path is None:
        from .pgtools import backup_postgres
        made = backup_postgres(url, backups_folder(None))
    else:
        made = backup_sqlite(path)
    print(t("cli.backup.done", path=made, size=made.stat().st_size / 1e6,
            seconds=time.monotonic() - started), file=sys.stderr)
    return 0


def _confirm(args: argparse.Namespace, question: str) -> None:
    if not args.yes and not _ask(question):
        raise Stop(t("cli.restore.cancelled"), 1)


def run_restore(args: argparse.Namespace) -> int:
    from .backup import BackupError, read_marks, station_names
    from .restore import check_restorable, restore
    url = resolve_url(args.db)
    path = sqlite_path(url)
    backup = Path(args.file).expanduser()
    if path is None:
        return _restore_postgres(url, backup, args)
    if not path.parent.is_dir():
        raise Stop(t("error.not_found", where=path.parent))
    try:
        found = check_restorable(backup, path, args.other_station, restorer())
        _confirm(args, t("cli.restore.confirm", backup=backup, path=path,
                         station=station_names(found.stations)))
        started = time.monotonic()
        aside = restore(backup, path, found)
    except BackupError as exc:
        raise Stop(t("cli.restore.refused", reason=exc), 1) from None
    print(t("cli.restore.done", seconds=time.monotonic() - started), file=sys.stderr)
    if aside:
        print(t("cli.restore.aside", aside=aside), file=sys.stderr)
    for name, value in sorted(read_marks(path).counters.items()):
        print(t("cli.restore.numbers", name=name, value=value), file=sys.stderr)
    return 0


def _restore_postgres(url: str, backup: Path, args: argparse.Namespace) -> int:
    from .backup import BackupError
    from .pgtools import check_restorer, database_name, dump_entries, restore_postgres
    try:
        entries = dump_entries(backup)
        check_restorer(url, restorer())
        _confirm(args, t("cli.restore.confirm_pg", backup=backup, name=database_name(url)))
        started = time.monotonic()
        restore_postgres(url, backup, entries)
    except BackupError as exc:
        raise Stop(t("cli.restore.refused", reason=exc), 1) from None
    print(t("cli.restore.done", seconds=time.monotonic() - started), file=sys.stderr)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from .backup import backups_folder
    from .check import check_postgres, check_sqlite
    url = resolve_url(args.db)
    path = _existing(url)
    findings = check_sqlite(path) if path else check_postgres(url, backups_folder(None))
    for finding in findings:
        print(t("check.line", mark=t("check.good" if finding.ok else "check.bad"),
                text=finding.text))
    return 0 if all(finding.ok for finding in findings) else 1


def _quietly(job, path: Path) -> None:
    """Background upkeep: a failure is in the backup log, `kiosk check` reports it."""
    import sqlite3

    from .backup import BackupError
    try:
        job(path)
    except (BackupError, OSError, sqlite3.Error):
        pass


def _backup_later(path: Path | None) -> None:
    """Today's backup, made in the background a little after start-up."""
    import threading

    from .backup import daily_backup
    if path is not None:
        timer = threading.Timer(20, _quietly, args=(daily_backup, path))
        timer.daemon = True
        timer.start()


def _may_create(path: Path, create: bool) -> None:
    """A --db (or $KIOSK_DATABASE_URL) that names no file is more often a typing
    mistake than a new station: ask, unless --create said so."""
    if create:
        return
    if not path.parent.is_dir():
        raise Stop(t("error.not_found", where=path.parent))
    if not sys.stdin.isatty():
        raise Stop(t("cli.create.refused", path=path))
    if not _ask(t("cli.create.ask", path=path)):
        raise Stop(t("cli.create.cancelled"), 1)


def run_app(args: argparse.Namespace) -> int:
    # Over SSH on a weak link: fewer frames, no animation, patient Esc.
    os.environ.setdefault("TEXTUAL_FPS", "30")
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    os.environ.setdefault("ESCDELAY", "200")
    url = resolve_url(args.db)
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() and not is_default(args.db):
            _may_create(path, args.create)
        _after_restore(path)
    from .database import open_database
    open_database(url)
    _backup_later(path)
    from .app import DutyDeskApp
    from .errorlog import error_log_path, log_errors_to
    # Database results come back on worker threads; a shorter GIL switch interval
    # lets them land while the UI thread is busy drawing (queue open: -40 ms).
    sys.setswitchinterval(0.001)
    log_errors_to(error_log_path())
    app = DutyDeskApp(login=args.pin_at, act_as=args.login, pin_only=bool(args.pin_at))
    app.run()
    if path is not None:  # numbers issued this session: known even if the file breaks
        from .backup import refresh_marks
        _quietly(refresh_marks, path)
    return app.return_code or 0


def run_public(args: argparse.Namespace) -> int:
    """The hall's public screen: read-only, no sign-in, left running for weeks."""
    os.environ.setdefault("TEXTUAL_FPS", "30")
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    os.environ.setdefault("ESCDELAY", "200")
    os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)  # Ctrl+C must send no signal
    _open_existing(resolve_url(args.db))
    from models.core.db import database
    from models.core.validation import ValidationError
    from models.public.hall import hall_station
    try:
        with database.connection_context():
            station = hall_station(args.station)
    except ValidationError as refused:
        raise Stop(refused.message, 1) from None
    from .errorlog import error_log_path, log_errors_to
    from .public_app import PublicApp
    log_errors_to(error_log_path())
    app = PublicApp(station.id, idle_seconds=args.idle)
    app.run(mouse=False)
    return app.return_code or 0


def _open_existing(url: str) -> None:
    """Open a database that is there already; failures go to main()'s one line."""
    _existing(url)
    from .database import open_database
    open_database(url)


def run_import(args: argparse.Namespace) -> int:
    from .importing import USAGE, parse_map
    from .importing import run_import as import_table
    try:
        overrides = parse_map(args.map)
    except ValueError as bad:
        print(t("import.map.syntax", given=bad), file=sys.stderr)
        return USAGE
    _open_existing(resolve_url(args.db))
    return import_table(args.table, args.file, overrides, args.sheet, args.dry_run, _progress)


def run_export_table(args: argparse.Namespace) -> int:
    from . import exporting
    from .importing import USAGE
    from .importing import run_export as export_table
    out = Path(args.out).expanduser()
    if args.table in ("residents", "catalogue"):
        if out.suffix.lower() not in (".xlsx", ".csv"):
            print(t("export.table_suffix", path=out), file=sys.stderr)
            return USAGE
        _open_existing(resolve_url(args.db))
        return export_table(args.table, out)
    _open_existing(resolve_url(args.db))
    if args.table in exporting.MONTHLY:
        return exporting.export_month(args.table, args.month, out)
    if args.table == "errands":
        return exporting.export_errands(args.first, args.last, out)
    if args.table == "policy-cards":
        return exporting.export_policy_cards(args.group, out)
    return exporting.export_cards(args.group, out)


def _add_export(sub) -> None:
    """`kiosk export residents|catalogue|report|errands|visits|cards --out FILE`."""
    command = sub.add_parser("export", help=t("cli.help.export_files"))
    tables = command.add_subparsers(dest="table", required=True)
    made = {}
    for name, help_key, out_key in (
            ("residents", "cli.help.export_residents", "cli.help.export_out"),
            ("catalogue", "cli.help.export_catalogue", "cli.help.export_out"),
            ("report", "cli.help.export_report", "cli.help.out_xlsx"),
            ("errands", "cli.help.export_errands", "cli.help.export_out"),
            ("visits", "cli.help.export_visits", "cli.help.out_xlsx"),
            ("cards", "cli.help.export_cards", "cli.help.out_html"),
            ("policy-cards", "cli.help.export_policy_cards", "cli.help.out_html")):
        made[name] = tables.add_parser(name, help=t(help_key))
        made[name].add_argument("--out", required=True, help=t(out_key))
        made[name].add_argument("--db", dest="db_export_table", help=t("cli.help.same"))
    for name in ("report", "visits"):
        made[name].add_argument("--month", help=t("cli.help.report_month"))
    made["errands"].add_argument("--from", dest="first", required=True,
                                 help=t("cli.help.from_day"))
    made["errands"].add_argument("--to", dest="last", help=t("cli.help.to_day"))
    for name in ("cards", "policy-cards"):
        made[name].add_argument("--group", type=int, required=True, help=t("cli.help.group"))


def run_serve(args: argparse.Namespace) -> int:
    """The desk in a browser (kiosk/serve.py): refuse what would make it open to
    anyone, or sign anyone in without a PIN, before listening."""
    from models.core.db import database
    from models.station.pins import station_sharing

    from .config import os_login
    try:
        from . import serve as browser
    except ModuleNotFoundError as missing:  # installed without the `serve` extra
        raise Stop(t("serve.not_installed", module=missing.name)) from None
    if not (args.public_behind_proxy or browser.is_loopback(args.host)):
        raise Stop(t("serve.not_loopback", host=args.host))
    url = resolve_url(args.db)
    _open_existing(url)
    login = args.shared_login or os_login() or ""
    with database.connection_context():
        station = station_sharing(login)
    if station is None:
        raise Stop(t("serve.not_shared", login=login))
    if not 0 < args.port < 65536:
        raise Stop(t("serve.bad_port", port=args.port))
    try:
        browser.check_listen(args.host, args.port)
    except OSError as exc:
        taken = exc.errno == errno.EADDRINUSE
        raise Stop(t("serve.port_taken" if taken else "serve.cannot_listen",
                     host=args.host, port=args.port, reason=exc.strerror or exc)) from None
    browser.serve(url, login, station.name, args.host, args.port, args.public_url)
    return 0


def _add_serve(sub) -> None:
    command = sub.add_parser("serve", help=t("cli.help.serve"))
    command.add_argument("--db", dest="db_serve", help=t("cli.help.same"))
    command.add_argument("--host", default="127.0.0.1", help=t("cli.help.host"))
    command.add_argument("--port", type=int, default=8000, help=t("cli.help.port"))
    command.add_argument("--public-url", help=t("cli.help.public_url"))
    command.add_argument("--public-behind-proxy", action="store_true",
                         help=t("cli.help.behind_proxy"))
    command.add_argument("--shared-login", help=t("cli.help.shared_login"))


def _add_import_export(sub) -> None:
    """`kiosk import residents|catalogue FILE`, and the exports."""
    command = sub.add_parser("import", help=t("cli.help.import"))
    command.add_argument("table", choices=("residents", "catalogue"))
    command.add_argument("file", help=t("cli.help.import_file"))
    command.add_argument("--db", dest="db_import", help=t("cli.help.same"))
    command.add_argument("--map", action="append", default=[],
                         metavar=t("cli.help.map_metavar"), help=t("cli.help.map"))
    command.add_argument("--sheet", help=t("cli.help.sheet"))
    command.add_argument("--dry-run", action="store_true", help=t("cli.help.dry_run"))
    _add_export(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description=t("app.title"))
    parser.add_argument("--db", help=t("cli.help.db"))
    parser.add_argument("--as", dest="login", help=t("cli.help.login"))
    parser.add_argument("--create", action="store_true", help=t("cli.help.create"))
    # what `kiosk serve` runs for each browser session: PIN sign-in at a shared login
    parser.add_argument("--pin-at", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help=t("cli.help.demo"))
    demo.add_argument("--db", dest="db_demo", help=t("cli.help.same"))
    demo.add_argument("--size", choices=("small", "large", "township"), default="small")
    demo.add_argument("--stations", type=int, help=t("cli.help.stations"))
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
    restore.add_argument("--other-station", action="store_true",
                         help=t("cli.help.other_station"))
    check = sub.add_parser("check", help=t("cli.help.check"))
    check.add_argument("--db", dest="db_check", help=t("cli.help.same"))
    _add_import_export(sub)
    public = sub.add_parser("public", help=t("cli.help.public"))
    public.add_argument("--db", dest="db_public", help=t("cli.help.same"))
    public.add_argument("--idle", type=float, default=60.0, metavar=t("cli.help.seconds"),
                        help=t("cli.help.idle"))
    public.add_argument("--station", help=t("cli.help.hall_station"))
    _add_serve(sub)
    add_township_command(sub)
    return parser


def skip_postgres_driver(url: str) -> None:
    """Peewee imports psycopg when it is installed, whatever the database: ~50 ms and
    several MB on every start. A SQLite session never needs it, so hide it."""
    if not is_postgres_url(url):
        for name in ("psycopg", "psycopg2"):
            sys.modules.setdefault(name, None)


def main(argv: list[str] | None = None) -> int:
    # Several cadres' accounts share the database, its -wal, backups and exports
    # through one group (docs/DEPLOY.md): what the desk creates is the group's,
    # never the world's, whatever umask the login brought.
    os.umask(0o007)
    args = build_parser().parse_args(argv)
    for name in ("db_demo", "db_export", "db_backup", "db_restore", "db_check", "db_import",
                 "db_export_table", "db_serve", "db_public", "db_township"):
        args.db = getattr(args, name, None) or args.db
    url = resolve_url(args.db)
    skip_postgres_driver(url)
    commands = {"demo": run_demo, "export-roster": run_export, "backup": run_backup,
                "restore": run_restore, "check": run_check, "import": run_import,
                "export": run_export_table, "serve": run_serve, "public": run_public,
                "township": run_township}
    try:
        return commands.get(args.command, run_app)(args)
    except Stop as stop:
        print(stop, file=sys.stderr)
        return stop.status
    except Exception as exc:
        from models.core.errors import describe_failure

        from models.core.schema import UpgradeNotAllowed

        from .backup import BackupError
        # a copy not made, a schema this role may not upgrade: the reason says why
        refused = isinstance(exc, (BackupError, UpgradeNotAllowed))
        message = str(exc) if refused else describe_failure(exc, sqlite_path(url))
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1 if refused else 2


if __name__ == "__main__":
    sys.exit(main())
