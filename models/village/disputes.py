"""Disputes (矛盾纠纷排查调处): found on a visit or brought to the desk, mediated,
settled, escalated to the township or withdrawn.

Who: any active cadre of the station records a dispute (they own it), edits it,
holds a mediation session and moves it on; the rows must be the station's.

The moves are one table (`MOVES`):
- 排查发现 → 调解中 (a session held moves it there by itself), 上报乡镇 (too grave
  for the village: straight to the township), 撤回 (the parties dropped it);
- 调解中 → 已调解 (with the agreement's text), 上报乡镇 (to whom, when), 撤回;
- reopening, always with a reason: 已调解 → 调解中 (an agreement not kept),
  上报乡镇 → 调解中 (the township sent it back to the village), 撤回 → 排查发现
  (the parties came back).
Withdrawing needs a reason too. A closed dispute (已调解, 上报乡镇, 撤回) takes no
mediation session; an escalated one still takes the township's result.

A dispute stands out while it is open (排查发现, 调解中) and at high risk or past
its review date; the review date defaults from the risk and a session may move it.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from models.core import history
from models.core.db import writes
from models.core.entities import Counter, VillagerGroup, now
from models.core.guard import require_cadre, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.text import inert
from models.core.validation import ValidationError, fail, written_day
from models.people.entities import Household, Resident
from models.village.entities import (
    Dispute,
    DisputeKind,
    DisputeParty,
    DisputeStatus,
    Escalation,
    MediationSession,
    Risk,
    Visit,
)
from models.village.visits import visit_to_follow_up

S = DisputeStatus
OPEN = (S.FOUND, S.MEDIATING)
MOVES: dict[str, tuple[str, ...]] = {
    S.FOUND: (S.MEDIATING, S.ESCALATED, S.WITHDRAWN),
    S.MEDIATING: (S.SETTLED, S.ESCALATED, S.WITHDRAWN),
    S.SETTLED: (S.MEDIATING,),
    S.ESCALATED: (S.MEDIATING,),
    S.WITHDRAWN: (S.FOUND,),
}
NEEDS_REASON = {(S.SETTLED, S.MEDIATING), (S.ESCALATED, S.MEDIATING),
                (S.WITHDRAWN, S.FOUND), (S.FOUND, S.WITHDRAWN),
                (S.MEDIATING, S.WITHDRAWN)}
REVIEW_DAYS = {Risk.HIGH: 3, Risk.MEDIUM: 7, Risk.LOW: 15}  # the review date's default
TITLE_MAX, NAME_MAX, PLACE_MAX, PEOPLE_MAX, REASON_MAX, NOTES_MAX = 60, 40, 60, 200, 200, 2000


# ---- checking what was typed ----

def _text(field_name: str, value: str, label_key: str, max_len: int, *,
          required: bool = False, multiline: bool = False) -> str:
    text = inert(value, multiline=multiline)
    if required and not text:
        raise fail(field_name, "invalid.text_empty", label=t(label_key))
    if len(text) > max_len:
        raise fail(field_name, "invalid.text_too_long", label=t(label_key),
                   max_len=max_len, given=len(text))
    return text


def _past_day(field_name: str, value, label_key: str, since: dt.date | None = None
              ) -> dt.date:
    """A day that is not in the future (nor before `since`)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise fail(field_name, "dispute.bad_day", label=t(label_key))
    if value > dt.date.today():
        raise fail(field_name, "dispute.future", label=t(label_key))
    if since is not None and value < since:
        raise fail(field_name, "dispute.before_found", label=t(label_key),
                   since=since.isoformat())
    return value


def read_day(field_name: str, text: str, label_key: str) -> dt.date | None:
    """A day as typed in a form (2026-11-25, 2026/11/25, 11-25; full-width digits
    too), None when left empty; a clear message otherwise."""
    typed = unicodedata.normalize("NFKC", text or "").strip()
    if not typed:
        return None
    try:
        return written_day(typed, dt.date.today())
    except (TypeError, ValueError, OverflowError):
        raise fail(field_name, "dispute.bad_day", label=t(label_key)) from None


def _choice(field_name: str, value: str, allowed) -> str:
    if value not in set(allowed):
        raise fail(field_name, f"dispute.bad_{field_name}")
    return str(value)


def resident_station(resident_id: int) -> int | None:
    return (Resident.select(VillagerGroup.station).join(Household)
            .join(VillagerGroup).where(Resident.id == resident_id).scalar())


@dataclass(frozen=True)
class PartyForm:
    """A resident of the register (resident_id), or someone else by `name`."""
    resident_id: int | None = None
    name: str = ""


@dataclass
class DisputeForm:
    title: str
    kind: str
    risk: str
    parties: list[PartyForm] = field(default_factory=list)
    summary: str = ""
    found_on: dt.date | None = None  # None: the visit's day, else today
    review_due: dt.date | None = None  # None: as the risk has it


def _parties(parties: list[PartyForm], actor: Session) -> list[PartyForm]:
    """The parties, cleaned, each once; at least one."""
    kept: dict = {}
    for party in parties:
        if party.resident_id is not None:
            if not Resident.select().where(Resident.id == party.resident_id).exists():
                raise fail("parties", "dispute.no_resident")
            require_station(actor, resident_station(party.resident_id))
            kept.setdefault(("resident", party.resident_id), PartyForm(party.resident_id))
        else:
            name = _text("parties", party.name, "dispute.party", NAME_MAX)
            if name:
                kept.setdefault(("name", name), PartyForm(name=name))
    if not kept:
        raise fail("parties", "dispute.no_party")
    return list(kept.values())


def _values(form: DisputeForm, since: dt.date | None = None) -> dict:
    """The dispute's columns as the form has them; `since`: the visit's day."""
    risk = _choice("risk", form.risk, Risk)
    # found on a visit: that day unless another is given
    found_on = _past_day("found_on", form.found_on or since or dt.date.today(),
                         "dispute.found_on", since)
    review_due = form.review_due or found_on + dt.timedelta(days=REVIEW_DAYS[Risk(risk)])
    if not isinstance(review_due, dt.date) or isinstance(review_due, dt.datetime) \
            or review_due < found_on:
        raise fail("review_due", "dispute.bad_review")
    return dict(title=_text("title", form.title, "dispute.title_label", TITLE_MAX,
                            required=True),
                kind=_choice("kind", form.kind, DisputeKind), risk=risk,
                summary=_text("summary", form.summary, "dispute.summary", NOTES_MAX,
                              multiline=True),
                found_on=found_on, review_due=review_due)


def _save_parties(dispute_id: int, parties: list[PartyForm]) -> None:
    DisputeParty.delete().where(DisputeParty.dispute == dispute_id).execute()
    DisputeParty.insert_many([(dispute_id, p.resident_id, p.name) for p in parties],
                             fields=[DisputeParty.dispute, DisputeParty.resident,
                                     DisputeParty.name]).execute()


def next_dispute_number(year: int) -> str:
    """JF2026-0001: the year's next dispute number (inside the write transaction)."""
    name = f"dispute-{year}"
    Counter.insert(name=name, value=0).on_conflict_ignore().execute()
    Counter.update(value=Counter.value + 1).where(Counter.name == name).execute()
    return f"JF{year}-{Counter.get_by_id(name).value:04d}"


def _dispute(dispute_id: int, actor: Session) -> Dispute:
    """The dispute, refused when it is gone or another station's."""
    dispute = Dispute.get_or_none(Dispute.id == dispute_id)
    if dispute is None:
        raise fail("dispute", "dispute.gone")
    require_station(actor, dispute.station_id)
    return dispute


def _party_words(parties: list[PartyForm]) -> list:
    return [p.resident_id if p.resident_id is not None else p.name for p in parties]


# ---- recording and editing ----

def _create(form: DisputeForm, actor: Session, visit: Visit | None = None) -> Dispute:
    cadre = require_cadre(actor)
    since = visit.visited_at.date() if visit is not None else None
    values = _values(form, since)
    parties = _parties(form.parties, actor)
    dispute = Dispute.create(station=actor.station_id,
                             number=next_dispute_number(values["found_on"].year),
                             owner=cadre, visit=visit, status=S.FOUND, **values)
    _save_parties(dispute.id, parties)
    history.record("dispute", dispute.id, "create", actor, number=dispute.number,
                   kind=dispute.kind, risk=dispute.risk, parties=_party_words(parties),
                   visit=visit.id if visit else None)
    return dispute


@writes
def record_dispute(form: DisputeForm, actor: Session) -> Dispute:
    """A dispute brought to the desk, owned by the cadre who records it."""
    return _create(form, actor)


@writes
def dispute_from_visit(visit_id: int, form: DisputeForm, actor: Session) -> Dispute:
    """The dispute a visit found, linked to the visit (and found no earlier)."""
    visit = visit_to_follow_up(visit_id, actor)
    dispute = _create(form, actor, visit)
    history.record("visit", visit.id, "dispute", actor, dispute=dispute.number)
    return dispute


@writes
def edit_dispute(dispute_id: int, expected_version: int, form: DisputeForm,
                 actor: Session) -> Dispute:
    """Correct what a dispute says and who its parties are; StaleEdit when someone
    saved it meanwhile."""
    require_cadre(actor)
    dispute = _dispute(dispute_id, actor)
    visit = dispute.visit
    values = _values(form, visit.visited_at.date() if visit is not None else None)
    parties = _parties(form.parties, actor)
    before = _party_words(dispute_parties(dispute.id))
    saved = history.save_versioned(dispute, expected_version, values, actor, "dispute")
    if _party_words(parties) != before:
        _save_parties(dispute.id, parties)
        history.record("dispute", dispute.id, "parties", actor,
                       changes={"parties": [before, _party_words(parties)]})
    return saved


# ---- mediation ----

@dataclass
class SessionForm:
    held_on: dt.date | None  # None: today
    place: str
    participants: str
    agreed: str = ""
    next_review: dt.date | None = None  # look at the dispute again by then


@writes
def hold_session(dispute_id: int, form: SessionForm, actor: Session) -> MediationSession:
    """A mediation sitting on an open dispute; one found only now is 调解中 from it."""
    cadre = require_cadre(actor)
    dispute = _dispute(dispute_id, actor)
    if dispute.status not in OPEN:
        raise fail("dispute", "dispute.closed_no_session", status=t(f"dispute.status.{dispute.status}"))
    held_on = _past_day("held_on", form.held_on or dt.date.today(), "dispute.held_on",
                        dispute.found_on)
    values = dict(held_on=held_on,
                  place=_text("place", form.place, "dispute.place", PLACE_MAX, required=True),
                  participants=_text("participants", form.participants,
                                     "dispute.participants", PEOPLE_MAX, required=True),
                  agreed=_text("agreed", form.agreed, "dispute.agreed", NOTES_MAX,
                               multiline=True))
    changes: dict = {}
    if dispute.status == S.FOUND:
        changes["status"] = S.MEDIATING
    if form.next_review is not None:
        if not isinstance(form.next_review, dt.date) or form.next_review < held_on:
            raise fail("next_review", "dispute.bad_next_review")
        changes["review_due"] = form.next_review
    session = MediationSession.create(dispute=dispute, cadre=cadre, **values)
    history.record("dispute", dispute.id, "session", actor, held_on=held_on,
                   place=values["place"])
    if changes:
        history.save_versioned(dispute, dispute.version, changes, actor, "dispute",
                               action="status" if "status" in changes else "edit")
    return session


# ---- moving on ----

@dataclass
class DisputeMove:
    to: str
    agreement: str = ""  # settling: the agreement's text
    to_whom: str = ""  # escalating: who at the township took it
    escalated_on: dt.date | None = None  # escalating: when (None: today)
    reason: str = ""  # withdrawing, reopening


def allowed_moves(dispute: Dispute) -> tuple[str, ...]:
    return MOVES.get(dispute.status, ())


def needs_reason(dispute: Dispute, to: str) -> bool:
    return (dispute.status, to) in NEEDS_REASON


def move_asks(dispute: Dispute, to: str) -> tuple[str, ...]:
    """The fields of `DisputeMove` that moving `dispute` to `to` needs filled."""
    asks = ("reason",) if needs_reason(dispute, to) else ()
    if to == S.SETTLED:
        asks += ("agreement",)
    if to == S.ESCALATED:
        asks += ("to_whom", "escalated_on")
    return asks


class IllegalMove(ValidationError):
    def __init__(self, dispute: Dispute, to: str):
        allowed = "、".join(t(f"dispute.status.{s}") for s in allowed_moves(dispute))
        to_word = t(f"dispute.status.{to}") if to in set(S) else inert(to)[:40]
        super().__init__("status", t("dispute.illegal_move",
                                     status=t(f"dispute.status.{dispute.status}"),
                                     to=to_word, allowed=allowed or t("move.none")),
                         "dispute.illegal_move")


@writes
def move_dispute(dispute_id: int, expected_version: int, move: DisputeMove,
                 actor: Session) -> Dispute:
    require_cadre(actor)
    dispute = _dispute(dispute_id, actor)
    if dispute.version != expected_version:
        raise history.StaleEdit(dispute)
    if move.to not in allowed_moves(dispute):
        raise IllegalMove(dispute, move.to)
    changes: dict = {"status": move.to}
    extra: dict = {}
    if needs_reason(dispute, move.to):
        extra["reason"] = _text("reason", move.reason, "dispute.reason", REASON_MAX,
                                required=True)
    if move.to == S.SETTLED:
        changes["agreement"] = _text("agreement", move.agreement, "dispute.agreement",
                                     NOTES_MAX, required=True, multiline=True)
    if move.to in (S.SETTLED, S.ESCALATED, S.WITHDRAWN):
        changes.update(closed_at=now(), closed_by=actor.cadre_id)
    else:
        changes.update(closed_at=None, closed_by=None)
    if move.to == S.ESCALATED:
        to_whom = _text("to_whom", move.to_whom, "dispute.to_whom", PLACE_MAX, required=True)
        day = _past_day("escalated_on", move.escalated_on or dt.date.today(),
                        "dispute.escalated_on", dispute.found_on)
        Escalation.create(dispute=dispute, to_whom=to_whom, escalated_on=day,
                          cadre=actor.cadre_id)
        extra.update(to_whom=to_whom, escalated_on=day)
    saved = history.save_versioned(dispute, expected_version, changes, actor, "dispute",
                                   action="status")
    if extra:
        history.record("dispute", dispute.id, "note", actor, **extra)
    return saved


@writes
def record_escalation_result(escalation_id: int, expected_version: int, result: str,
                             actor: Session) -> Escalation:
    """What the township did with a dispute the station reported."""
    require_cadre(actor)
    escalation = Escalation.get_or_none(Escalation.id == escalation_id)
    if escalation is None:
        raise fail("escalation", "dispute.gone")
    _dispute(escalation.dispute_id, actor)
    text = _text("result", result, "dispute.result", NOTES_MAX, required=True,
                 multiline=True)
    saved = history.save_versioned(escalation, expected_version, {"result": text}, actor,
                                   "escalation", action="result")
    history.record("dispute", escalation.dispute_id, "result", actor, result=text)
    return saved


# ---- reading ----

def dispute_parties(dispute_id: int) -> list[PartyForm]:
    return [PartyForm(p.resident_id, p.name if p.resident_id is None else "")
            for p in DisputeParty.select().where(DisputeParty.dispute == dispute_id)
            .order_by(DisputeParty.id)]
