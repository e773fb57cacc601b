"""Row-level security tried as a real station role (kiosk/station_roles.py).

Every table of the schema has a decision, derived from the models; on PostgreSQL a
login role made for station A connects as itself and runs the desk's reads and
writes, sees none of station B's rows in any table by raw SQL, and cannot write
them. The role is made for the run and dropped after: roles belong to the whole
server (CI gives the test's login CREATEROLE, see .ci/run)."""
from __future__ import annotations

import datetime as dt
import secrets
import re
from urllib.parse import urlsplit

import peewee
import psycopg
import pytest
from psycopg.types.json import Json

from kiosk import station_roles
from kiosk.station_roles import READ_ONLY, SHARED, NoDecision, policies, row_security
from models.core.db import BaseModel, database, is_sqlite, make_database
from models.core.entities import Cadre, Draft, Event, GroupCoverage, Station, VillagerGroup
from models.core.schema import all_models
from models.duty.entities import Handover, Leave, NightStay, Shift, ShiftSwap, ShiftTemplate
from models.errands.entities import (
    Errand,
    ErrandBatch,
    ErrandLink,
    ErrandMaterial,
    ServiceItem,
)
from models.people.entities import Household, Resident, ResidentKey
from models.public.entities import Policy, Publication
from models.village.entities import (
    DiaryEntry,
    Dispute,
    DisputeParty,
    Escalation,
    HouseholdTag,
    MediationSession,
    PolicyDelivery,
    Visit,
    VisitErrand,
    VisitRule,
)
from kiosk.cli import main
from tests.conftest import pg_url
from tests.models.test_guard import RULES, outcome
from tests.models.test_station_reads import (  # noqa: F401  (two, world: fixtures)
    BY_ID,
    LISTS,
    NOTHING,
    read,
    two,
    world,
)

PREFIX = "kiosk_rls_test_"  # the roles these tests make, and drop


def test_every_table_of_the_models_has_a_decision():
    tables = {model._meta.table_name for model in all_models()}
    assert set(policies()) | set(SHARED) == tables
    assert not set(policies()) & set(SHARED) and not set(READ_ONLY) & tables


def test_a_new_table_with_no_decision_fails(monkeypatch):
    class Loose(BaseModel):
        name = peewee.CharField()

    monkeypatch.setattr(station_roles, "all_models", lambda: [*all_models(), Loose])
    with pytest.raises(NoDecision, match="loose"):
        policies()


# — on PostgreSQL, as a station's own role —
def _drop(db, role: str, granted: bool = True) -> None:
    """What the owner granted it, taken back (DROP OWNED would need its membership),
    then the role."""
    who = psycopg.sql.Identifier(role).as_string(db.connection())
    if granted:
        for what in ("ALL TABLES IN SCHEMA public", "ALL SEQUENCES IN SCHEMA public",
                     "SCHEMA public"):
            db.execute_sql(f"REVOKE ALL ON {what} FROM {who}")
    db.execute_sql(f"DROP ROLE {who}")


@pytest.fixture
def owner(db):
    if is_sqlite(db):
        pytest.skip("row-level security is PostgreSQL's; SQLite stays single-station")
    for (role,) in db.execute_sql("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                  (PREFIX + "%",)).fetchall():
        try:  # an earlier run's, killed before it dropped it
            _drop(db, role, granted=False)  # its grants went with the schema
        except peewee.DatabaseError:
            pass  # still holds rights in another database: not ours to clean
    return db


class Roles:
    """Station roles made for one test, and the databases connected as them; all
    dropped after."""

    def __init__(self, owner: peewee.Database) -> None:
        self.owner, self.names, self.databases = owner, [], []

    def new_name(self) -> str:
        self.names.append(PREFIX + secrets.token_hex(4))
        return self.names[-1]

    def url(self, role: str, password: str) -> str:
        url = urlsplit(pg_url())
        return url._replace(netloc=f"{role}:{password}@{url.hostname}:{url.port or 5432}"
                            ).geturl()

    def make_url(self, station_id: int) -> str:
        """A new role of the station: its URL."""
        role, password = self.new_name(), secrets.token_urlsafe(12)
        me = self.owner.execute_sql("SELECT current_user").fetchone()[0]
        for statement in station_roles.station_role(station_id, role, password, me):
            self.owner.execute_sql(statement.as_string(self.owner.connection()))
        return self.url(role, password)

    def connect(self, url: str) -> peewee.Database:
        self.databases.append(make_database(url))
        return self.databases[-1]

    def make(self, station_id: int) -> peewee.Database:
        return self.connect(self.make_url(station_id))


@pytest.fixture
def roles(owner):
    made = Roles(owner)
    yield made
    database.initialize(owner)
    for role_db in made.databases:
        role_db.close()
    for role in made.names:
        _drop(owner, role)


def rows_of(station: Station, head: Cadre) -> dict[str, set]:
    """A row of the station in every table kept to a station, made by the owner:
    table -> the ids made."""
    tag = f"s{station.id}"
    day, at = dt.date(2026, 11, 2), dt.datetime(2026, 11, 2, 9, 0)
    group = VillagerGroup.get(VillagerGroup.station == station)
    item = ServiceItem.get(ServiceItem.station == station)
    household = Household.create(group=group, number=tag)
    person = Resident.create(household=household, name="张三")
    errand = Errand.create(number=f"{tag}-1", station=station, resident=person, item=item,
                           mode="carried", due_date=day)
    other = Errand.create(number=f"{tag}-2", station=station, resident=person, item=item,
                          mode="carried", due_date=day)
    template = ShiftTemplate.get(ShiftTemplate.station == station)
    shift = Shift.create(station=station, template=template, day=day, starts_at=at,
                         ends_at=at + dt.timedelta(hours=8), cadre=head)
    visit = Visit.create(household=household, cadre=head, visited_at=at)
    dispute = Dispute.create(station=station, number=f"JF-{tag}", title="院墙", kind="land",
                             risk="low", found_on=day, review_due=day, owner=head)
    policy = Policy.create(station=station, title="城乡低保金")
    made = [
        station, group, head, household, person, errand, other, template, shift, visit,
        dispute, policy, item,
        GroupCoverage.create(cadre=head, group=group, since=day),
        ResidentKey.create(resident=person, key=f"zhangsan{tag}"),
        ErrandBatch.create(station=station, item=item, title="批量"),
        ErrandMaterial.create(errand=errand, name="身份证"),
        ErrandLink.create(errand=errand, other=other),
        Event.create(entity="errand", entity_id=errand.id, action="create", actor=head),
        Event.create(entity="public", entity_id=station.id, action="lookup"),
        Leave.create(cadre=head, first_day=day, last_day=day),
        ShiftSwap.create(shift=shift),
        Handover.create(shift=shift),
        NightStay.create(cadre=head, night=day),
        Draft.create(owner=head.login, form="intake"),
        HouseholdTag.create(household=household, tag="dibao"),
        VisitRule.create(station=station, tag="dibao", visits=1, per_days=30),
        VisitErrand.create(visit=visit, errand=errand),
        DisputeParty.create(dispute=dispute, resident=person),
        MediationSession.create(dispute=dispute, held_on=day, place="村委会",
                                participants="双方", cadre=head),
        Escalation.create(dispute=dispute, to_whom="镇司法所", escalated_on=day, cadre=head),
        DiaryEntry.create(station=station, cadre=head, day=day, text="走访"),
        Publication.create(station=station, title="村务公开", decided_on=day),
        PolicyDelivery.create(visit=visit, policy=policy, kind="told"),
    ]
    rows: dict[str, set] = {}
    for row in made:
        rows.setdefault(row._meta.table_name, set()).add(row.id)
    return rows


@pytest.fixture
def stations(owner, two, roles):
    """Stations A (the world's, and a row in every table) and B (the same), the
    township's cadre; station A's own role, connected."""
    a, b = two.station, Station.get_by_id(two.sessions["away"].station_id)
    two.rows = {"a": rows_of(a, two.head), "b": rows_of(b, Cadre.get_by_id(
        two.sessions["away"].cadre_id))}
    two.role_db = roles.make(a.id)
    return two


def ids(db, table: str) -> set:
    return {row[0] for row in db.execute_sql(
        psycopg.sql.SQL("SELECT id FROM {}").format(psycopg.sql.Identifier(table))
        .as_string(db.connection()))}


def test_every_table_of_the_database_is_kept_or_shared(owner):
    for statement in row_security():
        owner.execute_sql(statement.as_string(owner.connection()))
    tables = dict(owner.execute_sql(
        "SELECT c.relname, c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p "
        "WHERE p.polrelid = c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'").fetchall())
    unguarded = {name for name, kept in tables.items() if not kept}
    assert unguarded == set(SHARED) | {"schema_migration"}, "decide in kiosk/station_roles.py"


def test_a_station_role_sees_no_row_of_another_station_in_any_table(stations):
    theirs, ours = stations.rows["b"], stations.rows["a"]
    assert set(theirs) == set(policies()), "rows_of makes a row in every kept table"
    with stations.role_db.connection_context():
        for table in policies():
            seen = ids(stations.role_db, table)
            assert seen >= ours[table], table
            assert not seen & theirs[table], table
        township = Cadre.get(Cadre.login == "xiang").id  # through the owner's connection
        assert township not in ids(stations.role_db, "cadre")
        assert stations.role_db.execute_sql(
            "SELECT station_id FROM station_role").fetchall() == [(stations.station.id,)]


def _insert(db, table: str, values: dict) -> None:
    columns = [c for c in values if c != "id"]
    db.execute_sql(psycopg.sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        psycopg.sql.Identifier(table), psycopg.sql.SQL(", ").join(map(
            psycopg.sql.Identifier, columns)), psycopg.sql.SQL(", ").join(
            psycopg.sql.Placeholder() * len(columns))).as_string(db.connection()),
        [Json(values[c]) if isinstance(values[c], (dict, list)) else values[c]
         for c in columns])


def test_the_database_refuses_a_station_role_s_writes_to_another_station(owner, stations):
    theirs = stations.rows["b"]
    for table in policies():
        their_id = min(theirs[table])
        cursor = owner.execute_sql(psycopg.sql.SQL("SELECT * FROM {} WHERE id = %s").format(
            psycopg.sql.Identifier(table)).as_string(owner.connection()), (their_id,))
        row = dict(zip([c.name for c in cursor.description], cursor.fetchone()))
        with stations.role_db.connection_context():
            change = psycopg.sql.SQL("UPDATE {} SET id = id WHERE id = %s RETURNING id").format(
                psycopg.sql.Identifier(table)).as_string(stations.role_db.connection())
            assert stations.role_db.execute_sql(change, (their_id,)).fetchall() == [], table
            # a copy of their row (unique columns made new): refused, whatever it is
            for column in ("number", "login", "id_number", "form"):
                if isinstance(row.get(column), str):
                    row[column] = f"{row[column]}x"
            with pytest.raises(peewee.DatabaseError, match="row-level security"):
                with stations.role_db.atomic():
                    _insert(stations.role_db, table, row)
    with stations.role_db.connection_context(), pytest.raises(
            peewee.DatabaseError, match="row-level security"), stations.role_db.atomic():
        stations.role_db.execute_sql(  # moving our errand to their station
            "UPDATE errand SET station_id = %s WHERE id = %s",
            (stations.sessions["away"].station_id, stations.errand.id))


def test_the_desk_works_as_a_station_role(stations):
    """Every write of the desk (tests/models/test_guard.py's rules) and every read of
    a station's rows (tests/models/test_station_reads.py's), as station A's role."""
    a, b = stations.station.id, stations.sessions["away"].station_id
    head, duty = stations.sessions["head"], stations.sessions["duty"]
    database.initialize(stations.role_db)
    refused = {}
    with stations.role_db.connection_context():
        for name, rule in RULES.items():
            # the township's own writes come through the owner's role, never a station's
            if rule.who not in ("exempt", "township"):
                got = outcome(stations.role_db, rule.call, stations,
                              head if rule.who == "head" else duty)
                if got != "ok":
                    refused[name] = got
        assert refused == {}
        for name, fn in BY_ID.items():
            assert read(fn, stations, a) not in NOTHING, name
            assert read(fn, stations, b) in NOTHING, name
        for name, fn in LISTS.items():
            assert fn(stations, a), name


def test_the_script_add_station_prints_makes_a_working_station_role(db_url, owner, roles,
                                                                      capsys):
    """What a superuser runs with psql, run here by the test's login (CREATEROLE)."""
    role = roles.new_name()
    for name, login, extra in (("红旗村便民服务站", "hongqi", ["--pg-role", role]),
                               ("东风村便民服务站", "dongfeng", [])):
        assert main(["--db", db_url, "township", "add-station", name, "--head-login", login,
                     *extra]) == 0
    script = capsys.readouterr().out
    for statement in script.splitlines():
        owner.execute_sql(statement.rstrip(";"))
    password = re.search(r"LOGIN PASSWORD '([^']+)'", script).group(1)
    role_db = roles.connect(roles.url(role, password))
    theirs = owner.execute_sql("SELECT id FROM station WHERE name = '东风村便民服务站'").fetchone()
    with role_db.connection_context():
        assert role_db.execute_sql("SELECT name FROM station").fetchall() == [("红旗村便民服务站",)]
        assert {login for (login,) in role_db.execute_sql("SELECT login FROM cadre")} == {
            "hongqi"}
        with pytest.raises(peewee.DatabaseError, match="row-level security"), role_db.atomic():
            role_db.execute_sql("INSERT INTO villager_group (station_id, number, name, version)"
                                " VALUES (%s, 99, 'x', 1)", theirs)


def test_a_station_role_does_not_upgrade_the_schema_the_owner_does(owner, roles, station,
                                                                   tmp_path, monkeypatch,
                                                                   capsys):
    """The desk opened by a station's role on an older schema says so in one line;
    opened by the owner, it upgrades and puts the policies back on every table (here
    on one a migration rebuilt without them)."""
    from kiosk.database import open_database
    from models.core import schema
    from models.core.schema import UpgradeNotAllowed
    role_url = roles.make_url(station.id)
    for migration in schema.MIGRATIONS_DIR.glob("[0-9]*.py"):
        (tmp_path / migration.name).symlink_to(migration)
    (tmp_path / "9999_newer.py").write_text("def up(migrator, db):\n    pass\n")
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", tmp_path)
    with pytest.raises(UpgradeNotAllowed):
        open_database(role_url)
    assert main(["--db", role_url, "export-roster", "--format", "text"]) == 1
    said = capsys.readouterr().err.strip()
    assert "无权升级" in said and len(said.splitlines()) == 1
    owner.execute_sql("ALTER TABLE errand DISABLE ROW LEVEL SECURITY")
    owner.execute_sql("DROP POLICY station_rows ON errand")
    assert open_database(pg_url())[1] == ["9999_newer"]
    database.initialize(owner)
    assert owner.execute_sql("SELECT relrowsecurity FROM pg_class WHERE relname = 'errand'"
                             ).fetchone() == (True,)
    assert open_database(role_url)[1] == []  # nothing left to do, and it may read that


def test_a_number_taken_at_another_station_is_said_not_crashed(stations):
    """An ID number or login another station holds is taken, though its row stays
    unseen (the database's index sees it, the role does not); a household number
    is each station's own."""
    from models.core.validation import ValidationError
    from models.people.residents import ResidentForm, register_resident
    from models.station.cadres import CadreForm, add_cadre
    from tests.conftest import ID_NUMBER
    theirs = stations.rows["b"]["resident"]  # 张三 of their household
    Resident.update(id_number=ID_NUMBER).where(Resident.id.in_(theirs)).execute()
    database.initialize(stations.role_db)
    with stations.role_db.connection_context():
        with pytest.raises(ValidationError) as taken:
            register_resident(ResidentForm(name="王五", id_number=ID_NUMBER),
                              stations.sessions["head"])
        assert taken.value.field == "id_number" and "张三" not in str(taken.value)
        with pytest.raises(ValidationError) as taken:
            add_cadre(CadreForm("王五", login="other-head"), stations.sessions["head"])
        assert taken.value.field == "login"
        # a household number is the station's own: theirs is free to us
        ours = register_resident(ResidentForm(
            name="王五", household_number=f"s{stations.sessions['away'].station_id}",
            group_number="1"), stations.sessions["head"])
        assert ours.household.station_id == stations.station.id
