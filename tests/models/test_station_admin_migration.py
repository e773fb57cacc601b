"""Migration 0008 brings a station from before the head's admin screens along."""
import datetime as dt
import json

from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, make_database
from models.core.entities import Cadre, GroupCoverage
from models.core.schema import upgrade_schema
from models.errands.entities import MODES, ServiceItem


def test_migration_brings_an_older_station_along(db_url):
    """A station from before 0008: its cadre's group becomes a cover since setup,
    the standard items get their ways, an item of its own keeps every way."""
    old = make_database(db_url)
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0007_drafts")
        for statement in [
            "INSERT INTO station (id, name, township, created_at, version, callback_days, "
            "nights_required) VALUES (1, '红旗村', '', '2026-01-05 08:00:00', 1, 3, 15)",
            "INSERT INTO villager_group (id, station_id, number, name) VALUES (1, 1, 1, '一组')",
            "INSERT INTO cadre (id, station_id, name, login, phone, role, group_id, active, "
            "version, stays_in_village) VALUES (1, 1, '王', 'w', '', 'admin', 1, TRUE, 1, TRUE)",
            "INSERT INTO cadre (id, station_id, name, login, phone, role, group_id, active, "
            "version, stays_in_village) VALUES (2, 1, '李', 'l', '', 'duty', 1, FALSE, 1, TRUE)",
            "INSERT INTO service_item (id, station_id, category, name, default_mode, "
            "time_limit_days, materials, search_keys, active, version) VALUES "
            "(1, 1, '户籍管理', '身份证换领补领', 'accompanied', 20, '[\"户口簿\"]', '', TRUE, 1), "
            "(2, 1, '自定', '自家的事', 'carried', 3, '[\"发票原件\"]', '', TRUE, 1)",
        ]:
            old.execute_sql(statement)
    old.close()
    new = make_database(db_url)
    database.initialize(new)
    with new.connection_context():
        assert "0010_station_admin" in upgrade_schema(new)
        covers = {(c.cadre_id, c.group_id, c.since, c.until is None)
                  for c in GroupCoverage.select()}
        assert covers == {(1, 1, dt.date(2026, 1, 5), True),
                          (2, 1, dt.date(2026, 1, 5), False)}
        assert Cadre.get_by_id(1).name == "王"
        id_card, own = ServiceItem.get_by_id(1), ServiceItem.get_by_id(2)
        assert (id_card.allowed_modes, id_card.in_person) == (["accompanied"], True)
        assert (own.allowed_modes, own.in_person, own.originals) == (list(MODES), False, [])
        raw = new.execute_sql("SELECT allowed_modes FROM service_item WHERE id = 2").fetchone()
        assert json.loads(raw[0]) == list(MODES)
