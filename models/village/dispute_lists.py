"""The station's disputes as the screens read them: worst first, those the home
screen names, one with everything that happened to it, and the month per cadre.
The rules (what a dispute may become, who may change it) are in `disputes`;
these only read."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, Case, fn

from models.core import history
from models.core.entities import Cadre, Event
from models.core.scope import found, of_station, resident_of_station
from models.people.entities import Household, Resident
from models.village.disputes import OPEN, S, PartyForm, allowed_moves, dispute_parties
from models.village.entities import (
    Dispute,
    DisputeParty,
    Escalation,
    MediationSession,
    Risk,
    Visit,
)

RISK_RANK = {Risk.HIGH: 0, Risk.MEDIUM: 1, Risk.LOW: 2}
ATTENTION_SHOWN = 3  # disputes the home screen names


def party_names(dispute_ids: list[int]) -> dict[int, list[str]]:
    """Each dispute's parties by name, in the order they were named."""
    names: dict[int, list[str]] = {dispute_id: [] for dispute_id in dispute_ids}
    if dispute_ids:
        rows = (DisputeParty.select(DisputeParty.dispute, DisputeParty.name, Resident.name)
                .join(Resident, JOIN.LEFT_OUTER)
                .where(DisputeParty.dispute.in_(dispute_ids))
                .order_by(DisputeParty.id).tuples())
        for dispute_id, outsider, resident in rows:
            names[dispute_id].append(resident if resident is not None else outsider)
    return names


@dataclass
class DisputeRow:
    dispute: Dispute
    parties: list[str]
    owner: str

    def overdue(self, today: dt.date) -> bool:
        return self.dispute.status in OPEN and self.dispute.review_due < today

    def high(self) -> bool:
        return self.dispute.risk == Risk.HIGH

    def stands_out(self, today: dt.date) -> bool:
        return self.dispute.status in OPEN and (self.high() or self.overdue(today))


def _awaiting_township():
    return Dispute.id.in_(Escalation.select(Escalation.dispute)
                          .where(Escalation.result == ""))


def _rows(query) -> list[DisputeRow]:
    disputes = list(query)
    names = party_names([d.id for d in disputes])
    return [DisputeRow(d, names[d.id], d.owner.name) for d in disputes]


def _worst_first(query, today: dt.date):
    is_open = Dispute.status.in_(list(OPEN))
    attention = Case(None, [(is_open & ((Dispute.risk == Risk.HIGH)
                                        | (Dispute.review_due < today)), 0)], 1)
    risk = Case(Dispute.risk, [(risk, rank) for risk, rank in RISK_RANK.items()], 3)
    return query.order_by(attention, Case(None, [(is_open, 0)], 1), risk,
                          Dispute.review_due, Dispute.id)


def dispute_list(station_id: int, open_only: bool = True, today: dt.date | None = None,
                 limit: int = 500) -> list[DisputeRow]:
    """The station's disputes, worst first: open ones at high risk or past review,
    then the other open ones by risk and review date, then the closed. Open: still
    the village's (排查发现, 调解中) or at the township with no result yet."""
    today = today or dt.date.today()
    where = Dispute.station == station_id
    if open_only:
        where &= Dispute.status.in_(list(OPEN)) | (
            (Dispute.status == S.ESCALATED) & _awaiting_township())
    query = Dispute.select(Dispute, Cadre).join(Cadre, on=Dispute.owner == Cadre.id).where(where)
    return _rows(_worst_first(query, today).limit(limit))


@dataclass
class Attention:
    rows: list[DisputeRow]  # the first few
    count: int  # all of them


def disputes_needing_attention(station_id: int, today: dt.date | None = None) -> Attention:
    """Open disputes at high risk or past their review date, for the home screen."""
    today = today or dt.date.today()
    where = ((Dispute.station == station_id) & Dispute.status.in_(list(OPEN))
             & ((Dispute.risk == Risk.HIGH) | (Dispute.review_due < today)))
    count = Dispute.select().where(where).count()
    query = Dispute.select(Dispute, Cadre).join(Cadre, on=Dispute.owner == Cadre.id).where(where)
    rows = _rows(_worst_first(query, today).limit(ATTENTION_SHOWN)) if count else []
    return Attention(rows, count)


@dataclass
class DisputeDetail:
    dispute: Dispute
    parties: list[str]
    party_forms: list[PartyForm]  # the same parties, as the form edits them
    owner: str
    sessions: list[MediationSession]
    escalations: list[Escalation]
    events: list[Event]
    cadres: dict[int, str]
    visit: Visit | None
    moves: tuple[str, ...]


def dispute_detail(dispute_id: int, *, station_id: int) -> DisputeDetail:
    dispute = found(Dispute.get_or_none((Dispute.id == dispute_id)
                                        & (Dispute.station == station_id)))
    cadres = {c.id: c.name for c in Cadre.select(Cadre.id, Cadre.name)
              .where(Cadre.station == dispute.station_id)}
    return DisputeDetail(
        dispute, party_names([dispute.id])[dispute.id], dispute_parties(dispute.id),
        cadres.get(dispute.owner_id, ""),
        list(dispute.sessions.order_by(MediationSession.held_on, MediationSession.id)),
        list(dispute.escalations.order_by(Escalation.id)),
        history.history("dispute", dispute.id), cadres,
        # with its household: the screen names it without another query
        Visit.select(Visit, Household).join(Household)
        .where(Visit.id == dispute.visit_id).first() if dispute.visit_id else None,
        allowed_moves(dispute))


def resident_name(resident_id: int, *, station_id: int) -> str:
    return (Resident.select(Resident.name)
            .where((Resident.id == resident_id) & resident_of_station(station_id))
            .scalar() or "")


def disputes_of_visit(visit_id: int, *, station_id: int) -> list[Dispute]:
    return list(Dispute.select().where((Dispute.visit == visit_id)
                                       & (Dispute.station == station_id))
                .order_by(Dispute.id))


# ---- the month per cadre ----

@dataclass
class DisputeCounts:
    found: int = 0  # recorded in the month (by their owner)
    settled: int = 0  # settled in the month, by whoever settled them
    escalated: int = 0  # reported to the township in the month

    @property
    def handled(self) -> int:
        return self.found + self.settled + self.escalated


    def __add__(self, other: DisputeCounts) -> DisputeCounts:
        return DisputeCounts(self.found + other.found, self.settled + other.settled,
                             self.escalated + other.escalated)


def dispute_counts(station_id: int | None, first: dt.date, after: dt.date
                   ) -> dict[int, DisputeCounts]:
    """Per cadre, disputes found, settled and escalated from `first` up to the day
    before `after`, counted in the database."""
    return {cadre_id: counts for cadre_id, counts
            in dispute_tally(station_id, first, after).items() if cadre_id is not None}


def dispute_tally(station_id: int | None, first: dt.date, after: dt.date
                  ) -> dict[int | None, DisputeCounts]:
    """As `dispute_counts`, and under None those settled by a cadre since removed:
    all of them add up to the station's. None: every station's."""
    counts: dict[int | None, DisputeCounts] = {}
    start, end = (dt.datetime.combine(day, dt.time()) for day in (first, after))
    station = of_station(Dispute.station, station_id)
    for name, query in (
            ("found", Dispute.select(Dispute.owner, fn.COUNT(Dispute.id))
             .where(station & (Dispute.found_on >= first) & (Dispute.found_on < after))
             .group_by(Dispute.owner)),
            ("settled", Dispute.select(Dispute.closed_by, fn.COUNT(Dispute.id))
             .where(station & (Dispute.status == S.SETTLED) & (Dispute.closed_at >= start)
                    & (Dispute.closed_at < end))
             .group_by(Dispute.closed_by)),
            ("escalated", Escalation.select(Escalation.cadre, fn.COUNT(Escalation.id))
             .join(Dispute).where(station & (Escalation.escalated_on >= first)
                                  & (Escalation.escalated_on < after))
             .group_by(Escalation.cadre))):
        for cadre_id, count in query.tuples():
            setattr(counts.setdefault(cadre_id, DisputeCounts()), name, count)
    return counts


def open_high_risk(station_id: int, found_before: dt.date, at: dt.datetime) -> int:
    """Disputes at high risk found before `found_before` and still open at `at`:
    not settled, escalated or withdrawn by then (as they stand now: a dispute
    reopened since counts as open). At the present moment: the open ones."""
    return Dispute.select().where(
        (Dispute.station == station_id) & (Dispute.risk == Risk.HIGH)
        & (Dispute.found_on < found_before)
        & (Dispute.closed_at.is_null() | (Dispute.closed_at >= at))).count()
