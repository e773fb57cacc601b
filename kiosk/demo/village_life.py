"""The demo village's life away from the desk, so a new user's coverage board,
dispute list, diary and policy gaps are not empty: households tagged as the
field marks them, a few disputes at different stages, a few diary entries.

Drawn from a generator of its own, seeded from the build's seed, after the rest:
the village a seed gives stays as it was. The texts are made-up demo data.
"""
from __future__ import annotations

import datetime as dt
import random

from models.core.entities import Cadre, GroupCoverage
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident
from models.village.disputes import next_dispute_number
from models.village.entities import (
    DiaryEntry,
    Dispute,
    DisputeParty,
    DisputeStatus,
    HouseholdTag,
    MediationSession,
    Tag,
)

TAGGED_SHARE = 0.15  # of households: 低保户, 独居老人 … as a village has them
# (title, kind, risk, days ago found, status, what was agreed)
DISPUTES = (
    ("宅基地界址争议", "land", "high", 2, DisputeStatus.FOUND, ""),
    ("灌溉用水纠纷", "forest_water", "medium", 9, DisputeStatus.MEDIATING, ""),
    ("邻里院墙滴水", "neighbours", "low", 20, DisputeStatus.SETTLED,
     "双方同意由东家加装檐槽，费用各半"),
)
DIARY = ("今天走访三户，老人都说医保报销比去年方便", "组里几户想合伙种蔬菜大棚，问有没有贴息贷款",
         "村道路灯又坏了两盏，已报村委", "留守儿童放学没人接，建议周末开放村阅览室")


def write_village_life(seed: int, station_id: int, today: dt.date) -> dict[str, int]:
    rng = random.Random(f"village-life-{seed}")
    households = [h for (h,) in Household.select(Household.id).order_by(Household.id).tuples()]
    tagged = rng.sample(households, round(len(households) * TAGGED_SHARE))
    HouseholdTag.insert_many([(household, tag) for household in tagged
                              for tag in rng.sample(list(Tag), rng.choice((1, 1, 2)))],
                             fields=[HouseholdTag.household, HouseholdTag.tag]).execute()
    covering = [c for (c,) in GroupCoverage.select(GroupCoverage.cadre)
                .where(GroupCoverage.until.is_null()).order_by(GroupCoverage.id).tuples()]
    cadres = covering or [c for (c,) in Cadre.select(Cadre.id).order_by(Cadre.id).tuples()]
    heads = [r for (r,) in Resident.select(Resident.id)
             .where(Resident.relation == HEAD_OF_HOUSEHOLD).order_by(Resident.id).tuples()]
    for title, kind, risk, ago, status, agreed in DISPUTES:
        found_on = today - dt.timedelta(days=ago)
        owner = rng.choice(cadres)
        settled = status == DisputeStatus.SETTLED
        dispute = Dispute.create(
            station=station_id, number=next_dispute_number(found_on.year), title=title,
            kind=kind, risk=risk, status=status, found_on=found_on, owner=owner,
            review_due=found_on + dt.timedelta(days={"high": 3, "medium": 7}.get(risk, 15)),
            agreement=agreed, closed_by=owner if settled else None,
            closed_at=dt.datetime.combine(today - dt.timedelta(days=1), dt.time(16))
            if settled else None)
        for resident in rng.sample(heads, 2):
            DisputeParty.create(dispute=dispute, resident=resident)
        if status != DisputeStatus.FOUND:
            MediationSession.create(dispute=dispute, held_on=found_on + dt.timedelta(days=2),
                                    place="村委会调解室", participants="双方当事人、组长",
                                    agreed=agreed, cadre=owner)
    for ago, text in enumerate(DIARY):
        DiaryEntry.create(station=station_id, cadre=rng.choice(cadres),
                          day=today - dt.timedelta(days=ago * 2), text=text,
                          household=rng.choice(households))
    return dict(tagged=len(tagged), disputes=len(DISPUTES), diary=len(DIARY))
