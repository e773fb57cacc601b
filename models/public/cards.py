"""惠农政策知情卡: one card per household of a villager group, naming the policies
that concern it — those for every household, and those for a kind of household
(低保户, 残疾人…) it is tagged as — with the desk's phone and hours. Printed by
`kiosk export policy-cards --group N --out FILE.html` and handed out on visits."""
from __future__ import annotations

from dataclasses import dataclass, field

from models.core.entities import Station, VillagerGroup
from models.core.i18n import t
from models.core.validation import fail
from models.errands.printing import escaped, page_html
from models.people.entities import HEAD_OF_HOUSEHOLD, Household, Resident, ResidentStatus
from models.public.board import public_policies
from models.public.entities import Policy
from models.village.entities import HouseholdTag


@dataclass
class HouseholdCard:
    number: str
    head: str  # the head of household's name, "" when the register names none
    policies: list[Policy] = field(default_factory=list)


@dataclass
class PolicyCards:
    station: str
    group: str
    duty_phone: str
    opening_hours: str
    cards: list[HouseholdCard]


def policy_cards(station_id: int, group_number: int) -> PolicyCards:
    """The cards of the station's villager group `group_number`, by door number."""
    group = VillagerGroup.get_or_none((VillagerGroup.station == station_id)
                                      & (VillagerGroup.number == group_number))
    if group is None:
        raise fail("group", "cards.no_group", number=group_number)
    station = Station.get_by_id(station_id)
    policies = public_policies(station_id)
    households = list(Household.select().where(Household.group == group.id)
                      .order_by(Household.number))
    ids = [household.id for household in households]
    heads = dict(Resident.select(Resident.household, Resident.name)
                 .where(Resident.household.in_(ids) & (Resident.relation == HEAD_OF_HOUSEHOLD)
                        & (Resident.status == ResidentStatus.PRESENT)).tuples())
    tags: dict[int, set[str]] = {}
    for household_id, tag in (HouseholdTag.select(HouseholdTag.household, HouseholdTag.tag)
                              .where(HouseholdTag.household.in_(ids)).tuples()):
        tags.setdefault(household_id, set()).add(tag)
    cards = [HouseholdCard(h.number, heads.get(h.id, ""),
                           [p for p in policies if not p.tag or p.tag in tags.get(h.id, ())])
             for h in households]
    return PolicyCards(station.name, t("report.group", number=group.number),
                       station.duty_phone, station.opening_hours, cards)


CARD_CSS = """
.card { border: 2px solid #000; padding: 4mm 6mm; margin-bottom: 8mm;
        page-break-inside: avoid; }
.card h2 { font-size: 15pt; margin: 0 0 3mm; }
.card .who { margin: 0 0 3mm; }
.card .contact { margin: 3mm 0 0; font-weight: bold; }
"""


def policy_cards_html(cards: PolicyCards) -> str:
    """The cards as printable A4 pages (HTML), every value escaped."""
    columns = ("title", "qualifies", "amount", "bring", "apply_at")
    head = "".join(f"<th>{escaped(t(f'policy.{name}'))}</th>" for name in columns)
    contact = t("policy_cards.contact", phone=cards.duty_phone, hours=cards.opening_hours)
    sections = []
    for card in cards.cards:
        rows = "".join("<tr>" + "".join(f"<td>{escaped(getattr(p, name))}</td>"
                                        for name in columns) + "</tr>" for p in card.policies)
        who = t("policy_cards.household", number=card.number, head=card.head)
        sections.append(
            f'<section class="card"><h2>{escaped(t("policy_cards.heading"))}</h2>'
            f'<p class="who">{escaped(who)}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f'<p class="contact">{escaped(contact)}</p></section>')
    title = t("policy_cards.title", station=cards.station, group=cards.group,
              count=len(cards.cards))
    return page_html(title, "".join(sections), CARD_CSS)
