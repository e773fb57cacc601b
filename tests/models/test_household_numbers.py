"""Household numbers (户号) are each station's own (issue 12): every village numbers
its households from 01001, so two stations of a township server both have 01001;
one station cannot have it twice. Migration 0026 makes it so on an older database."""
import pytest
from peewee import IntegrityError
from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, is_sqlite
from models.core.entities import VillagerGroup
from models.core.schema import upgrade_schema
from models.core.session import session_for
from models.people.entities import Household, Resident
from models.people.households import HouseholdForm, add_household
from models.people.register_import import import_register
from models.people.residents import ResidentForm, register_resident
from models.station.setup import SetupForm, set_up_station

from .conftest import refused
from .test_register_import import register

MIGRATION = "0026_household_numbers_per_station"


@pytest.fixture
def far(station):
    """The head of a second station on the same database."""
    other, far_head = set_up_station(SetupForm(station_name="东风村便民服务站", admin_name="赵站长",
                                               group_count="2", admin_login="far"))
    return session_for(other, far_head, "far")


def stations_of(number: str) -> list[int]:
    return sorted(Household.select(Household.station).where(Household.number == number)
                  .scalars())


def test_two_stations_each_have_household_01001(head, far):
    ours = add_household(HouseholdForm("01001", "1"), head)
    theirs = add_household(HouseholdForm("01001", "1"), far)
    assert (ours.station_id, theirs.station_id) == (head.station_id, far.station_id)
    assert stations_of("01001") == sorted([head.station_id, far.station_id])
    for session in (head, far):
        refused("household.number_taken", add_household, HouseholdForm("01001", "2"), session)
        refused("household.number_taken", add_household, HouseholdForm(" 01001 ", "1"),
                session)
    # a resident's household number finds the station's own
    zhang = register_resident(ResidentForm(name="张三", household_number="01001"), far)
    assert zhang.household_id == theirs.id


def test_the_register_import_numbers_per_station(head, far):
    row = ["孙红", "孙红", "户主", "", "", "1", "1", "", "", ""]
    for session in (head, far):
        report = import_register(register(row), session)
        assert report.rejected == {}
    assert stations_of("01001") == sorted([head.station_id, far.station_id])
    # the same register again: each finds its own, nothing new
    assert import_register(register(row), far).unchanged == 1
    assert Household.select().count() == 2
    assert not (Household.select().join(VillagerGroup)
                .where(VillagerGroup.station != Household.station).exists())


def test_the_database_refuses_a_station_the_same_number_twice(head, far):
    ours = add_household(HouseholdForm("01001", "1"), head)
    with pytest.raises(IntegrityError):
        Household.create(group=ours.group_id, number="01001")


def test_migration_keeps_households_and_numbers_them_per_station(db, head, far):
    add_household(HouseholdForm("01001", "1"), head)
    add_household(HouseholdForm("02001", "1"), far)
    zhang = register_resident(ResidentForm(name="张三", household_number="01001"), head)
    if is_sqlite(db):  # as upgrade_schema does: a rebuilt table cascades nothing
        db.execute_sql("PRAGMA foreign_keys = OFF")
    Runner(db, str(MIGRATIONS_DIR)).down(MIGRATION)  # and any after it
    columns = [c.name for c in db.get_columns("household")]
    assert "station_id" not in columns
    db.execute_sql("INSERT INTO household (group_id, number, address, version) "
                   "VALUES (%s, '03001', '', 1)" % VillagerGroup.get(
                       VillagerGroup.station == far.station_id).id)
    assert MIGRATION in upgrade_schema(db)
    assert dict(Household.select(Household.number, Household.station).tuples()) == {
        "01001": head.station_id, "02001": far.station_id, "03001": far.station_id}
    assert Resident.get_by_id(zhang.id).household.number == "01001"
    add_household(HouseholdForm("01001", "2"), far)
    assert stations_of("01001") == sorted([head.station_id, far.station_id])
    refused("household.number_taken", add_household, HouseholdForm("02001", "2"), far)
