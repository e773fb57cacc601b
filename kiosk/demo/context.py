"""What every part of a demo build shares: the random generator and the dates it
works from, and the writer that puts rows in by the batch and reports progress."""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from models.core.db import database, is_sqlite, max_sql_variables

Progress = Callable[[int, int, str], None]

HISTORY_DAYS = 395  # about thirteen months of errands, up to today
BATCH_ROWS = 500


@dataclass(frozen=True)
class Demo:
    """One build. Every choice comes from `rng`, in a fixed order: the same seed
    gives the same village only while the parts draw from it in the same order."""
    rng: random.Random
    today: dt.date
    spec: dict  # how many groups, residents and errands

    @property
    def start(self) -> dt.date:
        """The first day of the errand history."""
        return self.today - dt.timedelta(days=HISTORY_DAYS)

    @property
    def registered_at(self) -> dt.datetime:
        """When the station and its people were entered: a month before the history."""
        return dt.datetime.combine(self.start - dt.timedelta(days=30), dt.time(9, 0))


class Writer:
    """Multi-row INSERTs (PostgreSQL: COPY), counting the rows written against
    `total` for `report`."""

    def __init__(self, report: Progress):
        self.report = report
        self.written = 0
        self.total = 1

    def insert(self, model, fields: list, rows: Iterable[tuple], label: str) -> None:
        """At most BATCH_ROWS rows a statement (and the backend's limit of bound
        parameters); `rows` may be a generator, so big tables never sit in memory
        as a whole."""
        if not is_sqlite():
            return self._copy(model, fields, rows, label)
        per_statement = max(1, min(BATCH_ROWS, max_sql_variables() // len(fields)))
        rows = iter(rows)
        while batch := list(islice(rows, per_statement)):
            model.insert_many(batch, fields=fields).execute()
            self.written += len(batch)
            self.report(self.written, self.total, label)

    def _copy(self, model, fields: list, rows: Iterable[tuple], label: str) -> None:
        """COPY ... FROM STDIN: far less work than building multi-row INSERTs;
        the values converted as peewee's INSERT would convert them."""
        # COPY leaves out peewee's defaults (a row's version, when it was made)
        given = {field.name for field in fields}  # by name: peewee's == builds SQL
        defaulted = [field for field in model._meta.sorted_fields
                     if field.name not in given and field.default is not None]
        defaults = [field.db_value(field.default() if callable(field.default)
                                   else field.default) for field in defaulted]
        columns = ", ".join(field.column_name for field in fields + defaulted)
        statement = f"COPY {model._meta.table_name} ({columns}) FROM STDIN"
        with database.cursor().copy(statement) as copy:
            for row in rows:
                copy.write_row([field.db_value(value) for field, value in zip(fields, row)]
                               + defaults)
                self.written += 1
                if self.written % BATCH_ROWS == 0:
                    self.report(self.written, self.total, label)
        self.report(self.written, self.total, label)

