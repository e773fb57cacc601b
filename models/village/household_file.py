"""What a cadre has beside them when logging a visit: the household, its people
and tags, the rule it is held to, its last visits, its open errands and disputes.

Each kind of record beside the visit is one field of `HouseholdFile`, read here
in one go.
"""
from __future__ import annotations

from dataclasses import dataclass

from models.core.entities import Cadre, VillagerGroup
from models.core.scope import found, households_of
from models.errands.entities import OPEN_STATUSES, Errand, ServiceItem
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident, ResidentStatus
from models.village.disputes import OPEN as OPEN_DISPUTE
from models.village.entities import Dispute, DisputeParty, Visit
from models.village.policy_delivery import PolicyLine, household_policies
from models.village.visits import Rule, errands_of_visit, household_tags, rule_for

LAST_VISITS = 5


@dataclass
class HouseholdFile:
    household: Household  # with .group
    members: list[Resident]  # living here now, the head first
    tags: list[str]
    rule: Rule
    last_visits: list[Visit]  # newest first, with .cadre
    open_errands: list[Errand]  # of its members, most urgent first, with .resident, .item
    visit_errands: list[Errand]  # what the visit being written has become
    open_disputes: list[Dispute]  # a member is a party, or found on a visit here
    policies: list[PolicyLine]  # in force, its own first; with what the visit did

    @property
    def head(self) -> Resident | None:
        return self.members[0] if self.members else None

    @property
    def policies_untold(self) -> list[PolicyLine]:
        """The policies it qualifies for and has never had explained."""
        return [line for line in self.policies if line.qualifies and line.never_explained]


def household_file(household_id: int, visit_id: int | None = None, *, station_id: int
                   ) -> HouseholdFile:
    """The file of a household of the station; with `visit_id`, also the errands
    that visit's needs became."""
    household = found(Household.select(Household, VillagerGroup).join(VillagerGroup)
                      .where((Household.id == household_id)
                             & (VillagerGroup.station == station_id)).first())
    members = list(Resident.select().where((Resident.household == household_id)
                                           & (Resident.status == ResidentStatus.PRESENT))
                   .order_by(Resident.relation != HEAD_OF_HOUSEHOLD, Resident.id))
    visits = list(Visit.select(Visit, Cadre).join(Cadre)
                  .where(Visit.household == household_id)
                  .order_by(Visit.visited_at.desc(), Visit.id.desc()).limit(LAST_VISITS))
    errands = list(Errand.select(Errand, Resident, ServiceItem).join(Resident)
                   .switch(Errand).join(ServiceItem)
                   .where((Resident.household == household_id)
                          & Errand.status.in_(OPEN_STATUSES))
                   .order_by(Errand.due_date, Errand.id))
    return HouseholdFile(household, members, household_tags(household_id, station_id=station_id),
                         rule_for(household_id, station_id=station_id), visits, errands,
                         errands_of_visit(visit_id, station_id=station_id) if visit_id else [],
                         open_disputes(household_id, station_id=station_id),
                         household_policies(household_id, visit_id, station_id=station_id))


def open_disputes(household_id: int, *, station_id: int) -> list[Dispute]:
    """Open disputes of the station a member of the household is a party to, or
    found on one of its visits; the latest review first."""
    members = (DisputeParty.select(DisputeParty.dispute).join(Resident)
               .where(Resident.household == household_id))
    visits = Visit.select(Visit.id).where(Visit.household == household_id)
    return list(Dispute.select()
                .where((Dispute.id.in_(members) | Dispute.visit.in_(visits))
                       & (Dispute.station == station_id)
                       & Dispute.status.in_(list(OPEN_DISPUTE)))
                .order_by(Dispute.review_due, Dispute.id))


def resident_household_file(resident_id: int, *, station_id: int) -> HouseholdFile | None:
    """The file of the household the resident belongs to; None when they are in
    none (or in another station's)."""
    household_id = (Resident.select(Resident.household)
                    .where((Resident.id == resident_id)
                           & Resident.household.in_(households_of(station_id))).scalar())
    return household_file(household_id, station_id=station_id) if household_id else None
