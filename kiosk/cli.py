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
    from models.demo import build_demo
    from models.station.setup import first_station

    from .database import open_database
    url = resolve_url(args.db)
    open_database(url)
    with database.connection_context():
        station = first_station()
        if station is not None:
            print(f"{url} 已有服务站“{station.name}”，演示数据未写入，原有数据未改动。",
                  file=sys.stderr)
            return 0
        print(f"演示数据 → {url}  (规模 {args.size}, 种子 {args.seed})", file=sys.stderr)
        started = time.monotonic()
        counts = build_demo(size=args.size, seed=args.seed, progress=_progress)
    summary = "，".join(f"{k} {v}" for k, v in counts.items())
    print(f"完成（{time.monotonic() - started:.1f} 秒）：{summary}", file=sys.stderr)
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
            print(f"月份请写成 2026-12：{args.month}", file=sys.stderr)
            return 2
    else:  # next month: what is posted at month end
        year, month = (today.year + today.month // 12, today.month % 12 + 1)
    open_database(resolve_url(args.db))
    with database.connection_context():
        station = first_station()
        if station is None:
            print("数据库里还没有服务站", file=sys.stderr)
            return 1
        content = FORMATS[args.format](station.id, year, month)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        print(f"已导出 {year}-{month:02d} 值班表 → {args.out}", file=sys.stderr)
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
        print("PostgreSQL 数据库请在乡镇服务器上用 pg_dump 备份", file=sys.stderr)
        return 2
    made = daily_backup(path)
    print(f"已备份 → {made}" if made else "今天已经备份过了", file=sys.stderr)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from .backup import BackupError, check_backup, restore
    path = _sqlite_path(resolve_url(args.db))
    if path is None:
        print("PostgreSQL 数据库请用 pg_restore 恢复", file=sys.stderr)
        return 2
    backup = Path(args.file).expanduser()
    try:
        check_backup(backup)
    except BackupError as exc:
        print(f"不能恢复：{exc}", file=sys.stderr)
        return 1
    if not args.yes:
        print(f"将用 {backup} 替换 {path}（当前数据会先另存）。请先让其他人退出值班台。"
              "确认请输入 yes：", file=sys.stderr, end="")
        if input().strip().lower() != "yes":
            print("未恢复", file=sys.stderr)
            return 1
    aside = restore(backup, path)
    print(f"已恢复。原数据已另存为 {aside}", file=sys.stderr)
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
        print(f"无法打开数据库 {url}：{exc}", file=sys.stderr)
        return 2
    _backup_later(url)
    from .app import DutyDeskApp
    # Database results come back on worker threads; a shorter GIL switch interval
    # lets them land while the UI thread is busy drawing (queue open: -40 ms).
    sys.setswitchinterval(0.001)
    DutyDeskApp(login=args.login).run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="村务值班台")
    parser.add_argument("--db", help="数据库 URL（sqlite:///路径 或 postgresql://…）；"
                                     "默认读 KIOSK_DATABASE_URL，再默认用户数据目录")
    parser.add_argument("--as", dest="login", help="以该登录名的干部身份使用（默认当前系统用户）")
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="向空数据库写入演示数据")
    demo.add_argument("--db", dest="db_demo", help="同上")
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.add_argument("--seed", type=int, default=0)
    export = sub.add_parser("export-roster", help="导出一个月的值班表（张贴或导入手机日历）")
    export.add_argument("--db", dest="db_export", help="同上")
    export.add_argument("--month", help="如 2026-12；默认下个月")
    export.add_argument("--format", choices=("text", "html", "ics"), default="html")
    export.add_argument("--out", help="写入文件；默认输出到屏幕")
    backup = sub.add_parser("backup", help="备份 SQLite 数据库（每天一份，保留 14 天）")
    backup.add_argument("--db", dest="db_backup", help="同上")
    restore = sub.add_parser("restore", help="用备份恢复 SQLite 数据库")
    restore.add_argument("file", help="备份文件")
    restore.add_argument("--db", dest="db_restore", help="同上")
    restore.add_argument("--yes", action="store_true", help="不再询问")
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
