"""This month's and next month's roster, with the shifts up to today worked."""
from __future__ import annotations

import datetime as dt
import random

from models.core.entities import Cadre, Station
from models.core.session import session_for
from models.duty.entities import NightStay, Shift, ShiftTemplate
from models.duty.hours import next_month
from models.duty.roster import plan_month, save_plan

from .context import Demo


def make_roster(demo: Demo, station: Station, cadres: list[Cadre]) -> int:
    """The roster as the generator makes it, the shifts before noon today worked,
    and the nights cadres stayed in the village. Returns the shifts planned."""
    first = demo.today.replace(day=1)
    head = session_for(station, cadres[0], cadres[0].login or "")
    count = 0
    for year, month in (first.year, first.month), next_month(first.year, first.month):
        plan = plan_month(station.id, year, month, today=first)
        count += save_plan(plan, head)
    now = dt.datetime.combine(demo.today, dt.time(12))
    nights = _work_shifts(demo.rng, station, now)
    nights += _stayed_nights(demo, cadres, first)
    NightStay.insert_many(nights, fields=[NightStay.cadre, NightStay.night,
                                          NightStay.source]).on_conflict_ignore().execute()
    return count


def _work_shifts(rng: random.Random, station: Station,
                 now: dt.datetime) -> list[tuple[int, dt.date, str]]:
    """Check-ins and check-outs for the shifts begun by `now`: mostly on time, a few
    late, one in twenty missed. Returns the night shifts worked, as nights stayed."""
    worked = (Shift.select(Shift, ShiftTemplate).join(ShiftTemplate)
              .where((Shift.station == station.id) & (Shift.starts_at <= now)
                     & Shift.cadre.is_null(False)).order_by(Shift.starts_at))
    nights = []
    for shift in worked:
        roll = rng.random()
        if roll < 0.05:
            continue  # never checked in: shows as missed
        late = roll > 0.88
        shift.checked_in_at = shift.starts_at + dt.timedelta(
            minutes=rng.randint(20, 50) if late else -rng.randint(1, 15))
        if shift.ends_at <= now:
            shift.checked_out_at = shift.ends_at + dt.timedelta(minutes=rng.randint(0, 10))
        shift.save()
        if shift.template.night:
            nights.append((shift.cadre_id, shift.starts_at.date(), "shift"))
    return nights


def _stayed_nights(demo: Demo, cadres: list[Cadre],
                   first: dt.date) -> list[tuple[int, dt.date, str]]:
    """Resident cadres live in the village Monday to Friday: Mon–Thu evenings from
    `first` to yesterday, marked "stayed tonight" most weeks."""
    nights = []
    day = first
    while day < demo.today:
        if day.weekday() < 4:
            nights += [(c.id, day, "mark") for c in cadres if demo.rng.random() < 0.8]
        day += dt.timedelta(days=1)
    return nights
