"""Migration 0025: the queue's open errands get a partial index of their own, on
both backends; on PostgreSQL a station's queue count reads it."""
from peewee import fn
from playhouse.migrations import Runner

from models.core.db import MIGRATIONS_DIR, database, is_sqlite
from models.core.schema import upgrade_schema
from models.errands.entities import Errand, Status
from models.errands.queue import _conditions, preset_filter

INDEX = "errand_open_queue"
MIGRATION = "0025_open_queue_index"


def open_queue_index(db):
    return [i for i in db.get_indexes("errand") if i.name == INDEX]


def test_the_open_queue_index_comes_and_goes(db, errand):
    (index,) = open_queue_index(db)
    assert index.columns == ["station_id", "due_date", "id"] and "WHERE" in index.sql.upper()
    runner = Runner(db, str(MIGRATIONS_DIR))
    runner.down(MIGRATION)  # and any after it
    assert open_queue_index(db) == []
    assert MIGRATION in upgrade_schema(db)
    assert open_queue_index(db)
    if is_sqlite(db):
        return
    # a station's open queue, counted as the queue's first page counts it
    database.execute_sql("SET enable_seqscan = off")
    count = Errand.select(fn.COUNT(Errand.id)).where(
        *_conditions(preset_filter("open", errand.station_id, None), errand.due_date))
    sql, params = count.sql()
    plan = "\n".join(row[0] for row in database.execute_sql("EXPLAIN " + sql, params))
    assert INDEX in plan, plan
    assert errand.status == Status.REGISTERED and count.scalar() == 1
