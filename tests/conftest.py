"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from $KIOSK_TEST_PG_URL (CI sets it up; see .ci/run). On CI a
missing server is an error, never a silent skip. The tests run in parallel
(pytest-xdist): each worker wipes a database of its own beside that one.
"""
from __future__ import annotations

import functools
import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from models.core.db import database, is_sqlite, make_database
from models.core.entities import Cadre
from models.core.schema import upgrade_schema
from models.station.setup import SetupForm, set_up_station
from tests.actors import acting
from tests.linkproxy import LinkProxy

PG_URL = os.environ.get("KIOSK_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgres"]


def pytest_configure(config):
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI must test PostgreSQL: set KIOSK_TEST_PG_URL")


@functools.cache
def pg_url() -> str:
    """This worker's own PostgreSQL database: $KIOSK_TEST_PG_URL's name plus the
    xdist worker's (made on first use; its role needs CREATEDB), so that workers never
    wipe each other's schema. Without xdist, the named database itself."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return PG_URL
    parts = urlsplit(PG_URL)
    name = f"{parts.path.lstrip('/')}_{worker}"
    server = make_database(PG_URL)
    with server.connection_context():
        if not server.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (name,)).fetchone():
            server.execute_sql(f'CREATE DATABASE "{name}"')
    server.close()
    return urlunsplit(parts._replace(path="/" + name))


def _reset_postgres(url: str) -> None:
    db = make_database(url)
    with db.connection_context():
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")


@pytest.fixture
def db_url(request, tmp_path):
    backend = getattr(request, "param", "sqlite")
    if backend == "postgres":
        if not PG_URL:
            pytest.skip("no PostgreSQL: set KIOSK_TEST_PG_URL")
        _reset_postgres(pg_url())
        return pg_url()
    return f"sqlite:///{tmp_path / 'kiosk.db'}"


def pytest_generate_tests(metafunc):
    """Tests that use the database run once per backend."""
    if "db_url" in metafunc.fixturenames:
        metafunc.parametrize("db_url", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def own_state_dir(tmp_path, monkeypatch):
    """Drafts kept on this machine go to the test's own folder, not the user's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def db(db_url):
    """An empty, up-to-date database; the test body holds a connection."""
    connection = make_database(db_url)
    database.initialize(connection)
    with connection.connection_context():
        upgrade_schema(connection)
        yield connection
    connection.close()


@pytest.fixture
def station(db):
    """A station as first-run setup leaves it: groups, an admin, the catalogue."""
    station, admin = set_up_station(SetupForm(
        station_name="红旗村便民服务站", township="城关镇", group_count="3",
        admin_name="王建国", admin_phone="13800000001", admin_login="tester"))
    return station


@pytest.fixture
def admin(station):
    return Cadre.get(Cadre.login == "tester")


@pytest.fixture
def head_session(admin):
    """The station head signed in: the actor of most writes in the tests."""
    return acting(admin)


@pytest.fixture
def duty_session(station):
    """A duty cadre of the station signed in."""
    return acting(Cadre.create(station=station, name="李值班", login="duty", role="duty"))


ID_NUMBER = "11010519491231002X"


@pytest.fixture
def zhang(admin):
    """A villager with an ID number and a mobile: what is masked, and revealed."""
    from models.people.residents import ResidentForm, register_resident
    return register_resident(ResidentForm(name="张三", id_number=ID_NUMBER,
                                          phone="13812341234"), acting(admin))


@pytest.fixture
def hua(station):
    """A duty cadre of the station (login "hua"), not its head."""
    from models.core.entities import Cadre
    return Cadre.create(station=station, name="李华", login="hua")


@pytest.fixture
def errand(station, admin, zhang):
    """张三's 马上办 errand, just registered."""
    from models.errands.entities import ServiceItem
    from models.errands.intake import IntakeForm, register_errand
    item = ServiceItem.get(ServiceItem.name == "村委会证明开具")
    return register_errand(IntakeForm(zhang.id, item.id, "on_the_spot"), station.id,
                           acting(admin))


@pytest.fixture
def any_way(station):
    """Every way of handling allowed on every catalogue item: for tests of what the
    ways themselves do, not of which ways an item allows."""
    from models.errands.entities import MODES, ServiceItem
    ServiceItem.update(allowed_modes=list(MODES)).where(
        ServiceItem.station == station.id).execute()


@pytest.fixture
def link(db):
    """The PostgreSQL server behind a link the test cuts and restores (a TCP proxy
    on 127.0.0.1: the server itself, shared with others, is never stopped). The
    models and the test body go through it. SQLite is a local file: no link."""
    if is_sqlite(db):
        pytest.skip("SQLite is a local file: it has no link to lose")
    proxy = LinkProxy(pg_url()).start()
    through = make_database(proxy.url)
    database.initialize(through)
    through.connect()
    yield proxy
    through.close()
    proxy.stop()
    database.initialize(db)
