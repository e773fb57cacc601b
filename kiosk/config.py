"""Where the database is: --db, else $KIOSK_DATABASE_URL, else the user's data dir.

Kept free of Peewee so the CLI can decide what to load before loading it.
"""
from __future__ import annotations

import os
import pwd
from pathlib import Path

APP_NAME = "village-duty-desk"


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "kiosk.db"


def resolve_url(cli_url: str | None = None) -> str:
    """A database URL; a bare path is taken as a SQLite file."""
    url = cli_url or os.environ.get("KIOSK_DATABASE_URL")
    if not url:
        return "sqlite:///" + str(default_sqlite_path())
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    return url


def os_login() -> str | None:
    """The OS account running the desk (the SSH user). Not getpass.getuser(): that
    believes $LOGNAME and $USER, which anyone can set."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no entry in the password database
        return None
