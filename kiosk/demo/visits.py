"""A year of household visits (民情访问记录) for the demo village: the rows the
coverage figures are measured on.

Drawn from a generator of their own, seeded from the build's seed, after the
village is written: the households, residents and errands a seed gives stay
exactly as they were without visits. Some households are visited far more often
than others, so that every group has some overdue.
"""
from __future__ import annotations

import datetime as dt
import random

from models.core.entities import Cadre, GroupCoverage, now
from models.core.i18n import t
from models.people.entities import Household
from models.village.entities import Duty, Visit

from .context import Writer

DAYS = 365
# what is usually found; most visits note nothing in particular
FOUND = ("身体还好", "庄稼长势不错", "屋顶漏雨", "孩子在外打工", "老人腿脚不便", "想学种植技术")
DUTY_SETS = ([Duty.POLICY], [Duty.BENEFITS], [Duty.ERRANDS], [Duty.POLICY, Duty.BENEFITS],
             [Duty.INDUSTRY], [Duty.DISPUTES], [Duty.POLICY, Duty.ERRANDS])


def write_visits(writer: Writer, seed: int, today: dt.date, count: int) -> int:
    """`count` visits over the year before `today`, mostly by the cadre who covers
    the household's group now; returns how many were written."""
    rng = random.Random(f"visits-{seed}")
    households = list(Household.select(Household.id, Household.group).tuples())
    if not households or not count:
        return 0
    covering = dict(GroupCoverage.select(GroupCoverage.group, GroupCoverage.cadre)
                    .where(GroupCoverage.until.is_null()).tuples())
    cadres = [c for (c,) in Cadre.select(Cadre.id).order_by(Cadre.id).tuples()]
    weights = [rng.uniform(0.2, 1.8) for _ in households]
    start = dt.datetime.combine(today - dt.timedelta(days=DAYS), dt.time(8))
    written = now()

    def rows():
        for household_id, group_id in rng.choices(households, weights, k=count):
            cadre = covering.get(group_id)
            if cadre is None or rng.random() < 0.1:
                cadre = rng.choice(cadres)
            at = start + dt.timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(660))
            found = rng.choice(FOUND) if rng.random() < 0.3 else ""
            yield (household_id, cadre, at, rng.choice(DUTY_SETS), "", found, "", written,
                   written, 1)

    writer.total += count
    writer.insert(Visit, [Visit.household, Visit.cadre, Visit.visited_at, Visit.duties,
                          Visit.met, Visit.found, Visit.needs, Visit.created_at,
                          Visit.updated_at, Visit.version],
                  rows(), t("demo.progress.write_visits"))
    return count
