"""Migration 0013 makes every resident's keys and reading again, as saving does now."""
from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, make_database
from models.core.schema import upgrade_schema
from models.people.entities import Resident, ResidentKey
from models.people.residents import resident_keys, search_residents
from tests.actors import our_station

OLD_KEYS = ["zhangzhangle", "zzl", "zhangchangle", "zcl", "张长乐", "13812341234",
            "~43214321831", "01001"]


def test_older_keys_are_made_again(db_url):
    old = make_database(db_url)
    with old.connection_context():
        Runner(old, str(MIGRATIONS_DIR)).up("0010_station_admin")
        for statement in [
            "INSERT INTO station (id, name, township, created_at, version, callback_days, "
            "nights_required) VALUES (1, '红旗村', '', '2026-01-05 08:00:00', 1, 3, 15)",
            "INSERT INTO villager_group (id, station_id, number, name, version) "
            "VALUES (1, 1, 1, '一组', 1)",
            "INSERT INTO household (id, group_id, number, address, version) "
            "VALUES (1, 1, '01001', '', 1)",
            "INSERT INTO resident (id, household_id, name, gender, phone, pinyin, "
            "pinyin_override, relation, note, created_at, updated_at, version, status) VALUES "
            "(1, 1, '张长乐', '', '13812341234', 'zhang zhang le', '', '户主', '', "
            "'2026-01-01', '2026-01-01', 1, 'present'), "
            "(2, NULL, '吕布', '', '', 'lv bu', '', '', '', '2026-01-01', '2026-01-01', 1, "
            "'present')",
            *(f"INSERT INTO resident_key (resident_id, key) VALUES (1, '{key}')"
              for key in OLD_KEYS),
            "INSERT INTO resident_key (resident_id, key) VALUES (2, 'lvbu')",
        ]:
            old.execute_sql(statement)
    old.close()
    new = make_database(db_url)
    database.initialize(new)
    with new.connection_context():
        assert "0013_resident_keys_anywhere" in upgrade_schema(new)
        person = Resident.get_by_id(1)
        assert person.pinyin == "zhang chang le"
        stored = [k for (k,) in ResidentKey.select(ResidentKey.key)
                  .where(ResidentKey.resident == 1).order_by(ResidentKey.id).tuples()]
        assert stored == resident_keys(person, "01001")
        assert [r.name for r in search_residents("changle", station_id=our_station())] == ["张长乐"]
        assert [r.name for r in search_residents("8123", station_id=our_station())] == ["张长乐"]
        assert [r.name for r in search_residents("lyubu", station_id=our_station())] == ["吕布"]
        assert not ResidentKey.select().where(ResidentKey.key.startswith("~")).exists()
