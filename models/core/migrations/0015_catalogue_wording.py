"""The standard catalogue in today's words: 新农合 no longer exists (城乡居民医保
took it over), and water and power are two bills paid for the villager. A
station's item still carrying a former standard name takes the new one, with its
pinyin search keys; one the head renamed is left alone, and so is a station that
already has an item by the new name (two items must not share a name)."""
from models.errands.catalogue import FORMER_NAMES, item_keys


def _rename(db, renames: dict[str, str]) -> None:
    p = db.param
    for old, new in renames.items():
        db.execute_sql(
            f"UPDATE service_item SET name = {p}, search_keys = {p}, version = version + 1 "
            f"WHERE name = {p} AND NOT EXISTS (SELECT 1 FROM service_item AS same "
            f"WHERE same.station_id = service_item.station_id AND same.name = {p})",
            (new, item_keys(new), old, new))


def up(migrator, db):
    _rename(db, FORMER_NAMES)


def down(migrator, db):
    _rename(db, {new: old for old, new in FORMER_NAMES.items()})
