"""`kiosk township add-station NAME` and `kiosk township add-user LOGIN NAME`: a
township server's stations and the township's read-only cadres, added by whoever
keeps the server. Nobody is signed in to the desk for these, as at first run.

Either works on SQLite too, but a SQLite file is one village machine's: a township
server is PostgreSQL (docs/DEPLOY.md, "A township server")."""
from __future__ import annotations

import argparse
import sys

from models.core.i18n import t

from models.core.db_url import is_postgres_url

from .config import resolve_url

REFUSED = 1


def add_township_command(sub) -> None:
    command = sub.add_parser("township", help=t("cli.help.township"))
    actions = command.add_subparsers(dest="township_action", required=True)
    station = actions.add_parser("add-station", help=t("cli.help.add_station"))
    station.add_argument("name", help=t("cli.help.station_name"))
    station.add_argument("--township", default="", help=t("cli.help.township_name"))
    station.add_argument("--groups", default="8", help=t("cli.help.groups"))
    station.add_argument("--head-login", help=t("cli.help.head_login"))
    station.add_argument("--head-name", default=t("township.default_head"),
                         help=t("cli.help.head_name"))
    station.add_argument("--head-phone", default="", help=t("cli.help.head_phone"))
    station.add_argument("--pg-role", help=t("cli.help.pg_role"))
    user = actions.add_parser("add-user", help=t("cli.help.add_user"))
    user.add_argument("login", help=t("cli.help.township_login"))
    user.add_argument("name", help=t("cli.help.township_user_name"))
    for action in (station, user):
        action.add_argument("--db", dest="db_township", help=t("cli.help.same"))


def run_township(args: argparse.Namespace) -> int:
    from models.core.db import database
    from models.core.validation import ValidationError
    from models.station.setup import SetupForm, set_up_station
    from models.station.township import add_township_cadre

    from .database import open_database
    url = resolve_url(args.db)
    role = getattr(args, "pg_role", None)
    if role is not None:
        if not is_postgres_url(url):
            print(t("township.pg_role_sqlite"), file=sys.stderr)
            return REFUSED
        from .station_roles import ROLE
        if not ROLE.fullmatch(role):
            print(t("township.pg_role_bad", role=role), file=sys.stderr)
            return REFUSED
    open_database(url)  # a new township server starts empty
    try:
        with database.connection_context():
            if args.township_action == "add-user":
                cadre = add_township_cadre(args.login, args.name)
                said = t("township.user_added", name=cadre.name, login=cadre.login)
            else:
                station, head = set_up_station(SetupForm(
                    station_name=args.name, township=args.township, group_count=args.groups,
                    admin_name=args.head_name, admin_phone=args.head_phone,
                    admin_login=args.head_login))
                said = t("township.station_added", station=station.name, id=station.id,
                         head=head.name, login=head.login or t("township.no_login"))
                if args.pg_role:
                    sys.stdout.write(_role_script(station.id, args.pg_role))
                    said += "\n" + t("township.pg_role_printed", role=args.pg_role)
    except ValidationError as refused:
        print(str(refused), file=sys.stderr)
        return REFUSED
    print(said, file=sys.stderr)
    return 0


def _role_script(station_id: int, role: str) -> str:
    """The SQL that gives the station its own PostgreSQL role under row-level
    security (kiosk/station_roles.py), for a superuser to run with psql."""
    import secrets

    from models.core.db import database

    from .station_roles import as_script, station_role
    owner = database.execute_sql("SELECT current_user").fetchone()[0]
    statements = station_role(station_id, role, secrets.token_urlsafe(18), owner)
    return as_script(statements, database.connection())
