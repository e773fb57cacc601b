"""One database for the whole program, chosen by URL, and the rules for writing to it.

SQLite (the village machine) and PostgreSQL (a township server) sit behind the same
`database` proxy. Every write goes through `writes`/`retrying`, which takes the write lock up
front and retries the rare "database is locked" with backoff, so several cadres'
sessions on one SQLite file never see that error.
"""
from __future__ import annotations

import functools
import json
import random
import sqlite3
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import peewee
from peewee import DatabaseProxy, Model, OperationalError, TextField
from playhouse.db_url import connect as connect_url

from models.core.db_url import is_postgres_url
from models.core.text import inert_data

database = DatabaseProxy()

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    # Power cuts are common in villages and writes are few: FULL keeps the last
    # committed errand after a cut, where NORMAL may drop it (WAL never corrupts
    # either way). The cost is one extra fsync per commit, invisible at our volume.
    "synchronous": "full",
    "busy_timeout": 10_000,
    "cache_size": -16_000,  # 16 MB page cache: enough for 100,000 errands' indexes
}

# A township server over a weak link: a dead link is noticed in seconds (a refused
# or silent connect gives up after 5 s; an idle connection is probed after 5 s, given
# up after 3 unanswered probes; unacknowledged data after 10 s), not after the
# operating system's two hours. The URL may say otherwise (?connect_timeout=20).
POSTGRES_LINK = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5,
                 "keepalives_interval": 2, "keepalives_count": 3,
                 "tcp_user_timeout": 10_000}


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class JSONField(TextField):
    """JSON in a text column: portable across SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(inert_data(value), ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


def is_sqlite(db=None) -> bool:
    db = db or database.obj
    return isinstance(db, peewee.SqliteDatabase)


def make_database(url: str) -> peewee.Database:
    """A Peewee database for `url`, configured for several processes at once."""
    if url.startswith("sqlite:"):
        path = url.split("://", 1)[1] if "://" in url else url[len("sqlite:"):]
        if path and path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE: a write transaction takes the write lock when it begins, so a
        # read-then-write can never fail with SQLITE_BUSY_SNAPSHOT halfway through.
        return connect_url(url, pragmas=SQLITE_PRAGMAS, timeout=10,
                           lock_type="IMMEDIATE", autoconnect=False)
    if is_postgres_url(url):
        given = parse_qs(urlparse(url).query)
        link = {key: value for key, value in POSTGRES_LINK.items() if key not in given}
        return connect_url(url, autoconnect=False, prefer_psycopg3=True, **link)
    raise ValueError(f"unsupported database URL: {url!r}")


def _is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text


def retrying(fn, *args, attempts: int = 6, **kwargs):
    """Run fn(*args, **kwargs) as one write transaction, retrying when busy.

    On a busy error nothing fn wrote was committed, so running it again is safe.
    Nested inside another transaction it becomes a savepoint of that one.

    A PostgreSQL link lost before the commit rolls everything back (the server
    drops the transaction with the connection). Lost at the commit itself, nobody
    can tell whether it arrived: the error is marked `commit_unknown`, never retried.
    """
    outermost = not database.in_transaction()
    for attempt in range(attempts):
        committing = False
        try:
            with database.atomic():
                result = fn(*args, **kwargs)
                committing = outermost
            return result
        except Exception as exc:
            if committing:
                exc.commit_unknown = True
            if (not isinstance(exc, OperationalError) or not _is_busy(exc)
                    or attempt == attempts - 1):
                raise
        time.sleep(0.02 * (2 ** attempt) * (0.5 + random.random()))


def writes(fn):
    """Decorator: the function is one retried write transaction (see `retrying`).

    Marked `is_write`, so a test can find every function that changes data and
    prove each checks its actor (tests/models/test_guard.py)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return retrying(fn, *args, **kwargs)
    wrapper.is_write = True
    return wrapper


def max_sql_variables() -> int:
    """Bound parameters one statement may carry: SQLite's limit (999 before 3.32,
    32,766 since), PostgreSQL's 65,535."""
    if not is_sqlite():
        return 65_535
    return 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
