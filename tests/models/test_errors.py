"""Failures of the machine are named with their cause, from the real errors SQLite,
the OS and the PostgreSQL driver raise; anything else is left to be reported."""
import errno
import sqlite3

import peewee
import pytest

from models.core.db import make_database
from models.core.errors import describe_failure
from models.core.i18n import t


def raised(fn):
    try:
        fn()
    except Exception as exc:
        return exc
    raise AssertionError("no error")


def test_a_full_database(tmp_path):
    path = tmp_path / "small.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.execute("PRAGMA max_page_count = 3")  # SQLITE_FULL, as a full disk gives it
    full = raised(lambda: con.executemany("INSERT INTO t VALUES (?)",
                                          [("x" * 1000,)] * 100))
    assert full.sqlite_errorcode == sqlite3.SQLITE_FULL
    assert describe_failure(full, path) == t("error.disk_full", where=path)


def test_a_full_disk_hidden_behind_a_failed_rollback(tmp_path):
    """On a full disk SQLite may end the transaction itself; Peewee's rollback then
    fails with "cannot rollback", the full disk only in its context."""
    path = tmp_path / "small.db"
    db = make_database(f"sqlite:///{path}")
    with db.connection_context():
        db.execute_sql("CREATE TABLE t (x)")
        db.execute_sql("PRAGMA max_page_count = 3")
        with pytest.raises(peewee.OperationalError, match="cannot rollback") as failed:
            with db.atomic():
                db.execute_sql("ROLLBACK")  # what SQLite did
                for _ in range(100):
                    db.execute_sql("INSERT INTO t VALUES (?)", ("x" * 1000,))
    assert describe_failure(failed.value, path) == t("error.disk_full", where=path)


def test_read_only_damaged_missing(tmp_path):
    path = tmp_path / "k.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    refused = raised(lambda: read_only.execute("INSERT INTO t VALUES (1)"))
    assert describe_failure(refused, path) == t("error.read_only", where=path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x" * 4096)
    damaged = raised(lambda: sqlite3.connect(junk).execute("SELECT 1 FROM t"))
    assert describe_failure(damaged, junk) == t("error.damaged", where=junk)
    nowhere = tmp_path / "no" / "such" / "k.db"
    missing = raised(lambda: sqlite3.connect(nowhere))
    assert describe_failure(missing, nowhere) == t("error.not_found", where=nowhere.parent)
    wrapped = raised(lambda: make_database(f"sqlite:///{junk}").connect())
    assert isinstance(wrapped, peewee.DatabaseError)
    assert describe_failure(wrapped, junk) == t("error.damaged", where=junk)


@pytest.mark.parametrize("code, key", [(errno.ENOSPC, "error.disk_full"),
                                       (errno.EROFS, "error.read_only"),
                                       (errno.EACCES, "error.read_only"),
                                       (errno.ENOENT, "error.not_found"),
                                       (errno.EISDIR, "error.is_dir")])
def test_file_errors(tmp_path, code, key):
    exc = OSError(code, "…", str(tmp_path / "out.html"))
    assert describe_failure(exc) == t(key, where=tmp_path)  # the folder: no file yet


def test_real_file_errors(tmp_path):
    assert describe_failure(raised(lambda: open(tmp_path, "w"))) == t(
        "error.is_dir", where=tmp_path)
    missing = tmp_path / "no" / "x.html"
    assert describe_failure(raised(lambda: open(missing, "w"))) == t(
        "error.not_found", where=missing.parent)


def test_an_unreachable_server():
    pytest.importorskip("psycopg")
    down = raised(lambda: make_database("postgresql://nobody:x@127.0.0.1:1/none").connect())
    assert describe_failure(down).startswith(t("error.unreachable", detail="|").split("|")[0])


def test_bugs_are_not_explained_away():
    assert describe_failure(ValueError("bad")) is None
    assert describe_failure(KeyError("x")) is None
