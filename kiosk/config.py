"""Where the database is: --db, else $KIOSK_DATABASE_URL, else the user's data dir.

Kept free of Peewee so the CLI can decide what to load before loading it.
"""
from __future__ import annotations

import os
import pwd
from pathlib import Path
from urllib.parse import urlparse

from models.core.db_url import APP_NAME


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "kiosk.db"


def is_default(cli_url: str | None = None) -> bool:
    """Whether the database is the default one, not named by --db or the environment."""
    return not (cli_url or os.environ.get("KIOSK_DATABASE_URL"))


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


def machine_admin() -> bool:
    """Run by root: the machine's administrator, who owns the files anyway."""
    return os.geteuid() == 0


def restorer() -> str | None:
    """Whom a restore must check is a station head: the OS login, or None for the
    machine's administrator."""
    return None if machine_admin() else (os_login() or "")


def sqlite_path(url: str) -> Path | None:
    """The file of a sqlite: URL (read as Peewee reads it); None for any other database."""
    if not url.startswith("sqlite:"):
        return None
    path = urlparse(url).path[1:]
    return Path(path) if path and path != ":memory:" else None
