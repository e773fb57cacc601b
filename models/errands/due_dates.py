"""Due dates follow the holiday calendar.

When the station head enters or takes back days off or 调休, every open errand
whose span (intake day, due date] holds a changed day keeps its number of working
days and gets the date that number falls on now. Errands are taken by (intake day,
due date) pair — one GROUP BY, then per pair that moves one INSERT … SELECT of its
events and one UPDATE — so thousands of open errands cost a few statements, never
a row each in Python. Calendar days are the database's (shared by every station on
a township server), so the open errands of every station follow them.
"""
from __future__ import annotations

import datetime as dt

from peewee import Value, fn

from models.core.entities import Event, now
from models.core.session import Session
from models.duty.calendar import add_working_days, working_days_between
from models.errands.entities import OPEN_STATUSES, Errand

Calendar = tuple[frozenset[dt.date], frozenset[dt.date]]  # days off, 调休 working days


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _day(value) -> dt.date:
    """DATE() of a timestamp: a date on PostgreSQL, text on SQLite."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def spans_touching(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The distinct (intake day, due date) of open errands whose span meets
    [first, last]: only their due dates can change when those days do."""
    start = fn.DATE(Errand.created_at).coerce(False)
    rows = (Errand.select(start, Errand.due_date)
            .where(Errand.status.in_(OPEN_STATUSES) & (Errand.due_date >= first)
                   & (Errand.created_at < _midnight(last)))
            .group_by(start, Errand.due_date).tuples())
    return [(_day(start_day), due) for start_day, due in rows]


def follow_calendar(spans: list[tuple[dt.date, dt.date]], before: Calendar,
                    after: Calendar, actor: Session) -> int:
    """Move the due dates of the open errands of `spans` from the calendar `before`
    to `after` (inside the caller's write transaction), with an event for each
    errand moved; how many moved."""
    moved, at = 0, now()
    fields = [Event.entity, Event.entity_id, Event.action, Event.actor, Event.at,
              Event.detail]
    for start, due in spans:
        days = working_days_between(start, due, *before)
        new = add_working_days(start, days, *after)
        if new == add_working_days(start, days, *before):
            continue
        these = (Errand.status.in_(OPEN_STATUSES) & (Errand.due_date == due)
                 & (Errand.created_at >= _midnight(start))
                 & (Errand.created_at < _midnight(start + dt.timedelta(days=1))))
        detail = Event.detail.db_value({"changes": {"due_date": [due.isoformat(),
                                                                 new.isoformat()]}})
        Event.insert_from(Errand.select(Value("errand"), Errand.id, Value("calendar"),
                                        Value(actor.cadre_id), Value(at), Value(detail))
                          .where(these), fields).execute()
        moved += (Errand.update(due_date=new, version=Errand.version + 1)
                  .where(these).execute())
    return moved
