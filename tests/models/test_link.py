"""A lost link to the township's server: told apart from other failures, tried again
with backoff, and never leaving half a save behind."""
import sqlite3

import peewee
import psycopg
import psycopg.errors
import pytest

from models.core import history
from models.core.db import database, make_database, writes
from models.core.errors import is_lost_link
from models.core.i18n import t
from models.core.link import Link, LinkLost, probe, retry_delay
from models.errands.entities import ServiceItem
from models.errands.intake import IntakeForm, register_errand
from tests.actors import acting

REFUSED = ('connection failed: connection to server at "10.0.0.2", port 5432 failed: '
           'Connection refused')


def wrapped(exc: Exception) -> peewee.OperationalError:
    """As Peewee raises the driver's error: its own class, the driver's first."""
    outer = peewee.OperationalError(exc)
    outer.__cause__ = exc
    return outer


@pytest.mark.parametrize("exc", [
    psycopg.OperationalError(REFUSED),
    psycopg.OperationalError("server closed the connection unexpectedly"),
    psycopg.OperationalError("consuming input failed: timeout expired"),
    psycopg.InterfaceError("the connection is closed"),
    psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
    psycopg.errors.ConnectionFailure("connection failure"),
    psycopg.OperationalError('connection failed: FATAL:  the database system is starting up'),
    wrapped(psycopg.OperationalError(REFUSED)),
])
def test_a_server_out_of_reach_is_a_lost_link(exc):
    assert is_lost_link(exc)


@pytest.mark.parametrize("exc", [
    psycopg.OperationalError('connection failed: FATAL:  password authentication failed'),
    psycopg.errors.SerializationFailure("could not serialize access"),
    psycopg.errors.DiskFull("could not extend file"),
    psycopg.errors.UniqueViolation("duplicate key"),
    wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")),
    sqlite3.OperationalError("unable to open database file"),  # a local file: never
    peewee.OperationalError("database is locked"),
    RuntimeError("a bug"),
])
def test_other_failures_are_not(exc):
    assert not is_lost_link(exc)


def test_retries_back_off_to_every_fifteen_seconds():
    assert [retry_delay(n) for n in range(7)] == [1, 2, 4, 8, 15, 15, 15]


def test_the_link_counts_its_tries_until_it_is_back():
    link = Link()
    assert not link.lost(RuntimeError("a bug")) and not link.down
    assert link.lost(psycopg.OperationalError(REFUSED))
    assert link.down and link.banner() == t("link.down")
    assert not link.lost(psycopg.OperationalError(REFUSED))  # known already: no news
    assert link.next_delay() == 1
    link.trying()
    link.trying()
    assert link.next_delay() == 4
    assert link.banner() == t("link.down_retrying", attempt=2,
                              at=link.last_try.strftime("%H:%M:%S"))
    link.back()
    assert not link.down and link.attempts == 0


def test_postgres_connections_notice_a_dead_link_in_seconds():
    params = make_database("postgresql://u:p@10.0.0.2/kiosk").connect_params
    assert params["connect_timeout"] == 5 and params["keepalives_idle"] == 5
    assert params["tcp_user_timeout"] == 10_000
    # what the URL says wins
    assert make_database("postgresql://u:p@h/k?connect_timeout=20").connect_params[
        "connect_timeout"] == 20


def test_the_probe_follows_the_link(link):
    probe()
    link.cut()
    with pytest.raises(Exception) as lost:
        probe()
    assert is_lost_link(lost.value)
    database.close()
    with pytest.raises(Exception) as refused:
        database.connect()
    assert is_lost_link(refused.value)
    link.restore()
    database.connect()
    probe()


def count(table: str) -> int:
    """Counted on the server directly, past the cut link."""
    from tests.conftest import pg_url
    direct = make_database(pg_url())
    with direct.connection_context():
        return direct.execute_sql(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_link_cut_in_the_middle_of_a_save_leaves_nothing(admin, zhang, link,
                                                           monkeypatch):
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    before = {table: count(table) for table in ("errand", "errand_material", "event")}
    record = history.record

    def cut_then_record(*args, **kwargs):
        # the errand, its materials and its number are written; the event is next
        assert count("errand") == before["errand"]  # not committed: others see none
        link.cut()
        return record(*args, **kwargs)
    monkeypatch.setattr(history, "record", cut_then_record)
    form = IntakeForm(zhang.id, item.id, "carried", received=["身份证", "户口簿"])
    with pytest.raises(Exception) as cut:
        register_errand(form, admin.station_id, acting(admin))
    assert is_lost_link(cut.value)
    assert not getattr(cut.value, "commit_unknown", False)  # cut before the commit
    assert {table: count(table) for table in before} == before


@writes
def note_then_lose_the_link(proxy, station_id):
    database.execute_sql("UPDATE station SET name = 'half' WHERE id = %s", (station_id,))
    proxy.cut()  # the last statement is done: the commit is what the cut breaks


def test_a_link_lost_at_the_commit_is_marked_unknown(station, link):
    with pytest.raises(Exception) as cut:
        note_then_lose_the_link(link, station.id)
    assert is_lost_link(cut.value) and cut.value.commit_unknown
    assert str(LinkLost.from_error(cut.value)) == t("link.save_unknown")
    assert count("station WHERE name = 'half'") == 0
