"""Policy delivery (惠农政策落实): which policies a visit explained (宣讲) or
delivered (落实/兑现) to its household, what a household has had, and the
households that qualify for a tagged policy and have never had it explained.

A visit's policies are saved with the visit (log_visit / edit_visit), so the
same rules hold: the visit's cadre or the head, one transaction, an event.
Delivering a policy counts as having it explained.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import Desc, fn

from models.core import history
from models.core.entities import VillagerGroup
from models.core.scope import not_found
from models.core.session import Session
from models.core.validation import fail
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident
from models.public.entities import Policy
from models.village.entities import Delivery, Duty, HouseholdTag, PolicyDelivery, Visit

# a visit may record policies only when it served one of these duties
POLICY_DUTIES = (Duty.POLICY, Duty.BENEFITS)


def clean_deliveries(deliveries, duties: list[str], station_id: int) -> list[tuple[int, str]]:
    """(policy id, kind) pairs as saved: one per policy, active policies of the
    station only, and only on a visit that served a policy duty."""
    pairs = list(dict.fromkeys((policy_id, kind) for policy_id, kind in deliveries or []))
    if not pairs:
        return []
    if not set(duties) & set(POLICY_DUTIES):
        raise fail("policies", "policy_delivery.no_duty")
    if any(kind not in set(Delivery) for _, kind in pairs):
        raise fail("policies", "policy_delivery.bad_kind")
    ids = [policy_id for policy_id, _ in pairs]
    if len(set(ids)) != len(ids):
        raise fail("policies", "policy_delivery.twice")
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise fail("policies", "policy_delivery.unknown")
    known = Policy.select().where(Policy.id.in_(ids) & (Policy.station == station_id)
                                  & Policy.active).count()
    if known != len(ids):
        raise fail("policies", "policy_delivery.unknown")
    return sorted(pairs)


def _visit_deliveries(visit_id: int) -> list[tuple[int, str]]:
    return sorted(PolicyDelivery.select(PolicyDelivery.policy, PolicyDelivery.kind)
                  .where(PolicyDelivery.visit == visit_id).tuples())


def save_deliveries(visit_id: int, pairs: list[tuple[int, str]], actor: Session) -> None:
    """The visit's policies from now on: exactly `pairs` (cleaned); an event when
    they change. Runs inside the visit's write transaction."""
    before = _visit_deliveries(visit_id)
    if before == pairs:
        return
    PolicyDelivery.delete().where(PolicyDelivery.visit == visit_id).execute()
    if pairs:
        PolicyDelivery.insert_many([(visit_id, policy_id, kind) for policy_id, kind in pairs],
                                   fields=[PolicyDelivery.visit, PolicyDelivery.policy,
                                           PolicyDelivery.kind]).execute()
    history.record("visit", visit_id, "policies", actor,
                   changes={"policies": [[list(p) for p in before], [list(p) for p in pairs]]})


# ---- what a household has had ----

@dataclass
class PolicyLine:
    """A policy in force, as it stands for one household."""
    policy: Policy
    tagged_for: bool  # meant for a kind of household this one is tagged as
    qualifies: bool  # tagged for it, or meant for every household
    last_explained: dt.datetime | None = None
    last_delivered: dt.datetime | None = None
    on_visit: str = ""  # what the visit being written did with it (Delivery), or ""

    @property
    def never_explained(self) -> bool:
        return self.last_explained is None and self.last_delivered is None


def household_policies(household_id: int, visit_id: int | None = None, *,
                       station_id: int) -> list[PolicyLine]:
    """The station's policies in force for the household: those tagged for it
    first, then those for everyone, then the rest; each with when it was last
    explained / delivered, and what visit `visit_id` did with it."""
    group_station = (Household.select(VillagerGroup.station).join(VillagerGroup)
                     .where(Household.id == household_id).scalar())
    if group_station != station_id:
        raise not_found()
    tags = {tag for (tag,) in HouseholdTag.select(HouseholdTag.tag)
            .where(HouseholdTag.household == household_id).tuples()}
    latest = {(policy_id, kind): when for policy_id, kind, when in
              PolicyDelivery.select(PolicyDelivery.policy, PolicyDelivery.kind,
                                    fn.MAX(Visit.visited_at)).join(Visit)
              .where(Visit.household == household_id)
              .group_by(PolicyDelivery.policy, PolicyDelivery.kind).tuples()}
    on_visit = dict(_visit_deliveries(visit_id)) if visit_id else {}
    lines = [PolicyLine(policy, policy.tag in tags, not policy.tag or policy.tag in tags,
                        latest.get((policy.id, Delivery.EXPLAINED)),
                        latest.get((policy.id, Delivery.DELIVERED)), on_visit.get(policy.id, ""))
             for policy in Policy.select().where((Policy.station == station_id) & Policy.active)
             .order_by(Policy.search_keys, Policy.id)]
    return sorted(lines, key=lambda line: (not line.tagged_for, not line.qualifies))


# ---- the households a tagged policy has not reached ----

@dataclass
class GapHousehold:
    household_id: int
    number: str
    group: int  # the villager group's number
    head: str  # the head of household, else its first member; "" when nobody
    tag_count: int  # how many tags the household carries: the most first


@dataclass
class PolicyGap:
    policy: Policy
    households: list[GapHousehold] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.households)


def policy_gaps(group_id: int | None = None, *, station_id: int) -> list[PolicyGap]:
    """Per tagged policy in force, the station's households (of `group_id`) tagged
    for it that have never had it explained or delivered; households with the most
    tags first, then by group and door number. Policies with most gaps first."""
    Told = PolicyDelivery.alias()
    told = (Told.select(Told.id).join(Visit)
            .where((Told.policy == Policy.id) & (Visit.household == Household.id)))
    Tags = HouseholdTag.alias()
    tag_count = (Tags.select(fn.COUNT(Tags.id)).where(Tags.household == Household.id))
    Head = Resident.alias()
    head = (Head.select(Head.name).where(Head.household == Household.id)  # else the first
            .order_by(Head.relation != HEAD_OF_HOUSEHOLD, Head.id).limit(1))
    query = (Policy.select(Policy.id, Household.id, Household.number, VillagerGroup.number,
                           head.alias("head"), tag_count.alias("tags"))
             .join(HouseholdTag, on=(HouseholdTag.tag == Policy.tag))
             .join(Household, on=(HouseholdTag.household == Household.id))
             .join(VillagerGroup, on=(Household.group == VillagerGroup.id))
             .where((Policy.station == station_id) & Policy.active & (Policy.tag != "")
                    & (VillagerGroup.station == station_id) & ~fn.EXISTS(told))
             .order_by(Policy.id, Desc(tag_count), VillagerGroup.number, Household.number))
    if group_id is not None:
        query = query.where(Household.group == group_id)
    policies = {p.id: p for p in Policy.select().where((Policy.station == station_id)
                                                       & Policy.active & (Policy.tag != ""))}
    gaps: dict[int, PolicyGap] = {}
    for policy_id, household_id, number, group, head_name, tags in query.tuples():
        gaps.setdefault(policy_id, PolicyGap(policies[policy_id])).households.append(
            GapHousehold(household_id, number, group, head_name or "", tags))
    return sorted(gaps.values(), key=lambda gap: (-gap.count, gap.policy.search_keys))
