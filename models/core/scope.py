"""What a desk reads: its own station's rows, and nothing of another station's.

A township server keeps many stations in one database. Every read that takes a
row's id (an errand, a resident, a dispute, a shift...) or returns rows also takes
the reading station (`station_id`, the signed-in Session's) and filters on it in
the query, so a row of another station reads exactly as one that does not exist:
`not_found()`. Reads that take `station_id` alone return only that station's rows.
Residents belong to a station through household and villager group; one in no
household yet belongs to none and is found from any station, as the write guard
lets any station place them (models.core.guard.require_station).

Unique values (an ID number, a login) are the whole server's: under a station's
own PostgreSQL role (kiosk/station_roles.py) the row holding one is unseen, but the
database still refuses the same value again: `taken_elsewhere`. A household number
is the station's own (unique with the station), refused the same way when another
desk of the station saves it at the same moment.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Expression, IntegrityError

from models.core.db import database
from models.core.validation import ValidationError, fail
from models.people.entities import Household, Resident


def not_found() -> ValidationError:
    """A row that is not there for this station: another station's, or none at all."""
    return fail("record", "scope.not_found")


def found(row):
    """`row` as read, or not found when the scoped query found none."""
    if row is None:
        raise not_found()
    return row


def of_station(column, station_id: int | None) -> Expression:
    """The rows of `column`'s station (a station foreign key); None: of every station
    of the server — the township's figures, one query across all of them."""
    return column == station_id if station_id is not None else column.is_null(False)


def households_of(station_id: int):
    """The ids of the station's households, as a subquery."""
    return Household.select(Household.id).where(Household.station == station_id)


def resident_of_station(station_id: int) -> Expression:
    """Residents of the station's households, or of no household yet."""
    return Resident.household.is_null() | Resident.household.in_(households_of(station_id))


@contextmanager
def taken_elsewhere(field: str, key: str, **values) -> Iterator[None]:
    """A write of a unique value the checks before it found free: the database
    refusing it (a row of another station's, unseen; or one saved at this moment)
    ends in `fail(field, key)`, the transaction still usable."""
    try:
        with database.atomic():
            yield
    except IntegrityError:
        raise fail(field, key, **values) from None
