"""The queue's open errands of a station, in the order the queue shows them (due
date, then id): a small index of only the open errands, so a station's first page
and its count read a few thousand entries rather than the station's every errand.
On a township server of 30 stations × 100,000 errands PostgreSQL otherwise reads
the station's 100,000 through (station_id) and drops the closed ones
(benchmarks/township_scale.py). The statuses are the open ones when it was made."""

OPEN = ("registered", "in_progress", "waiting_villager", "submitted", "appointment_set",
        "result_back")


def up(migrator, db):
    statuses = ", ".join(f"'{status}'" for status in OPEN)
    db.execute_sql("CREATE INDEX errand_open_queue ON errand (station_id, due_date, id)"
                   f" WHERE status IN ({statuses})")


def down(migrator, db):
    db.execute_sql("DROP INDEX errand_open_queue")
