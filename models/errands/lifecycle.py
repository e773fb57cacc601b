"""The life of an errand, from registration to the callback (四种代办方式).

One table says which moves each way of handling allows and `move_needs` what a move
asks for; every move goes through `advance`, which checks it, keeps the paused clock
and the custody of originals straight, and writes the history.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from models.core import history
from models.core.db import writes
from models.core.entities import Cadre, Station, now
from models.core.guard import require_cadre, require_own, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.text import inert
from models.core.validation import ValidationError, fail
from models.duty.calendar import add_working_days, working_days_between
from models.duty.holidays import calendar_around
from models.errands.entities import (
    OPEN_STATUSES,
    Errand,
    ErrandLink,
    ErrandMaterial,
    Satisfaction,
    Status,
    status_label,
)


def _moves(**specific: tuple[Status, ...]) -> dict[Status, tuple[Status, ...]]:
    """Moves of one mode: what every errand may do, plus the mode's own path
    (keyed by the status it starts from)."""
    common = {
        Status.REGISTERED: (Status.IN_PROGRESS, Status.WAITING_VILLAGER),
        Status.IN_PROGRESS: (Status.WAITING_VILLAGER,),
        Status.WAITING_VILLAGER: (Status.IN_PROGRESS,),
        Status.RESULT_BACK: (Status.DELIVERED,),
        Status.DELIVERED: (Status.IN_PROGRESS,),  # reopened: the villager came back
        # 不满意 recorded before a callback reopened the errand by itself
        Status.CALLED_BACK: (Status.IN_PROGRESS,),
    }
    moves = {status: list(targets) for status, targets in common.items()}
    for status, targets in specific.items():
        moves[Status(status)] = list(targets) + moves.get(Status(status), [])
    for status in OPEN_STATUSES:  # any open errand can be returned or cancelled
        moves.setdefault(status, []).extend([Status.RETURNED, Status.CANCELLED])
    return {status: tuple(dict.fromkeys(targets)) for status, targets in moves.items()}


MOVES: dict[str, dict[Status, tuple[Status, ...]]] = {
    # 马上办: done at the desk, in one step
    "on_the_spot": _moves(registered=(Status.DELIVERED,), in_progress=(Status.DELIVERED,)),
    # 代着办: carried to the township centre, result brought back, then delivered
    "carried": _moves(in_progress=(Status.SUBMITTED,),
                      submitted=(Status.RESULT_BACK, Status.WAITING_VILLAGER)),
    # 领着办: the villager goes in person with the cadre on an agreed date
    "accompanied": _moves(in_progress=(Status.APPOINTMENT_SET,),
                          appointment_set=(Status.RESULT_BACK, Status.DELIVERED,
                                           Status.IN_PROGRESS)),
    # 流动办: the cadre goes to the home at an agreed time; what the township decides
    # is carried there as 代着办 is
    "mobile": _moves(in_progress=(Status.APPOINTMENT_SET, Status.SUBMITTED),
                     appointment_set=(Status.DELIVERED, Status.IN_PROGRESS,
                                      Status.SUBMITTED),
                     submitted=(Status.RESULT_BACK, Status.WAITING_VILLAGER)),
}
CLOSING = (Status.DELIVERED, Status.RETURNED, Status.CANCELLED)
NEEDS_MATERIALS = (Status.SUBMITTED, Status.DELIVERED)  # missing ones: confirmed first
NEEDS_REASON = (Status.RETURNED, Status.CANCELLED, Status.WAITING_VILLAGER)


class IllegalMove(ValidationError):
    def __init__(self, errand: Errand, to: str):
        allowed = "、".join(status_label(s, errand.mode) for s in allowed_moves(errand)) or t("move.none")
        known = to in Status._value2member_map_  # else no status at all: said as given
        super().__init__("status", t("move.illegal", mode=t(f"mode.{errand.mode}"),
                                     status=status_label(errand.status, errand.mode),
                                     to=status_label(to, errand.mode) if known else inert(to)[:40],
                                     allowed=allowed))


def allowed_moves(errand: Errand) -> tuple[Status, ...]:
    moves = MOVES[errand.mode].get(errand.status, ())
    if errand.status == Status.CALLED_BACK and not errand.flagged:
        return ()  # only an unsatisfied callback reopens a finished errand
    return moves


@dataclass
class Move:
    """What a cadre filled in to move an errand on."""
    to: str
    reason: str = ""
    appointment_at: dt.datetime | None = None
    place: str = ""
    originals_returned: bool = False  # closing: the originals went back just now
    custody_note: str = ""  # closing with originals still out: why
    missing_ok: bool = False  # materials still missing: go ahead anyway (recorded)


@dataclass(frozen=True)
class MoveNeeds:
    """What a move asks for besides choosing it; `advance` refuses the move without."""
    reason: bool = False
    appointment: bool = False  # when, and where
    place: bool = False  # where is required too (领着办)
    originals: tuple[str, ...] = ()  # still held at closing: handed back now, or why not
    missing: tuple[str, ...] = ()  # not yet received: going ahead must be confirmed


def _reopens(errand: Errand, to: str) -> bool:
    return to == Status.IN_PROGRESS and errand.status in (Status.DELIVERED,
                                                          Status.CALLED_BACK)


def move_needs(errand: Errand, to: str, originals_out: Sequence[str],
               missing: Sequence[str] = ()) -> MoveNeeds:
    """What moving `errand` to `to` needs, given the names of the originals still held
    for the villager (`unreturned_originals`) and of the materials not yet received
    (`missing_materials`). Illegal moves are answered too: the dialog asks, and
    `advance` then refuses with the moves that are possible."""
    appointment = to == Status.APPOINTMENT_SET
    return MoveNeeds(reason=to in NEEDS_REASON or _reopens(errand, to),
                     appointment=appointment,
                     place=appointment and errand.mode == "accompanied",
                     originals=tuple(originals_out) if to in CLOSING else (),
                     # an illegal move is refused outright, not asked about first
                     missing=tuple(missing) if to in NEEDS_MATERIALS
                     and to in allowed_moves(errand) else ())


def unreturned_originals(errand_id: int) -> list[ErrandMaterial]:
    return list(ErrandMaterial.select().where(
        (ErrandMaterial.errand == errand_id) & ErrandMaterial.original
        & ErrandMaterial.received & ErrandMaterial.returned_at.is_null())
        .order_by(ErrandMaterial.id))


def missing_materials(errand_id: int) -> list[str]:
    return [m.name for m in ErrandMaterial.select(ErrandMaterial.name).where(
        (ErrandMaterial.errand == errand_id) & ~ErrandMaterial.received)
        .order_by(ErrandMaterial.id)]


def _check(errand: Errand, move: Move) -> tuple[dict, MoveNeeds]:
    """The column changes a legal, complete move makes, and what it needed;
    ValidationError otherwise."""
    if move.to not in allowed_moves(errand):
        raise IllegalMove(errand, move.to)
    needs = move_needs(errand, move.to, [m.name for m in unreturned_originals(errand.id)],
                       missing_materials(errand.id))
    if needs.reason and not move.reason.strip():
        raise fail("reason", "move.need_reason", to=status_label(move.to, errand.mode))
    if needs.missing and not move.missing_ok:
        raise fail("missing", "move.materials_missing", to=status_label(move.to, errand.mode),
                   names="、".join(needs.missing))
    changes: dict = {"status": move.to}
    today = dt.date.today()
    if needs.appointment:
        if move.appointment_at is None:
            raise fail("appointment_at", "move.need_appointment")
        if needs.place and not move.place.strip():
            raise fail("place", "move.need_place")
        changes.update(appointment_at=move.appointment_at,
                       appointment_place=move.place.strip()[:120])
    if move.to == Status.WAITING_VILLAGER:
        changes["paused_since"] = today
    elif errand.paused_since is not None:
        # The clock ran again from today: push the due date by the days it stood.
        calendar = calendar_around(errand.paused_since, today, errand.due_date)
        stood = working_days_between(errand.paused_since, today, *calendar)
        changes.update(paused_since=None,
                       due_date=add_working_days(errand.due_date, stood, *calendar))
    if move.to in CLOSING:
        changes["closed_at"] = now()
    if needs.originals and not move.originals_returned and not move.custody_note.strip():
        raise fail("custody", "move.originals_out", names="、".join(needs.originals))
    if move.to == Status.DELIVERED:
        callback_days = Station.get_by_id(errand.station_id).callback_days
        changes.update(delivered_at=now(),
                       callback_due=today + dt.timedelta(days=callback_days))
    if _reopens(errand, move.to):
        changes.update(_reopening(errand), flagged=False)
    return changes, needs


def _reopening(errand: Errand) -> dict:
    """The column changes that put a finished errand back among the open ones."""
    return {"closed_at": None, "delivered_at": None, "callback_due": None,
            "due_date": max(errand.due_date, dt.date.today())}


def _errand(errand_id: int, actor: Session) -> Errand:
    """The errand, refused unless it is one of the actor's station."""
    errand = Errand.get_by_id(errand_id)
    require_station(actor, errand.station_id)
    return errand


def _material(material_id: int, actor: Session) -> ErrandMaterial:
    material = ErrandMaterial.get_by_id(material_id)
    _errand(material.errand_id, actor)
    return material


def _station_cadre(cadre_id: int, actor: Session) -> int:
    """An active cadre of the actor's station, to own an errand or hold an original."""
    if not Cadre.select().where((Cadre.id == cadre_id) & Cadre.active
                                & (Cadre.station == actor.station_id)).exists():
        raise fail("owner", "roster.unknown_cadre")
    return cadre_id


@writes
def advance(errand_id: int, expected_version: int, move: Move, actor: Session) -> Errand:
    require_cadre(actor)
    errand = _errand(errand_id, actor)
    if errand.version != expected_version:
        raise history.StaleEdit(errand)
    changes, needs = _check(errand, move)
    if move.to in CLOSING and move.originals_returned:
        _return_originals(errand.id, actor)
    if move.to == Status.SUBMITTED:  # the originals travel to the township centre
        (ErrandMaterial.update(at_township=True)
         .where((ErrandMaterial.errand == errand.id) & ErrandMaterial.original
                & ErrandMaterial.returned_at.is_null()).execute())
    if move.to == Status.RESULT_BACK:
        (ErrandMaterial.update(at_township=False, holder=actor.cadre_id)
         .where((ErrandMaterial.errand == errand.id) & ErrandMaterial.at_township)
         .execute())
    saved = history.save_versioned(errand, expected_version, changes, actor, "errand",
                                   action="status")
    extra = {k: v for k, v in (("reason", move.reason.strip()),
                               ("custody_note", move.custody_note.strip()),
                               ("went_ahead_missing", list(needs.missing))) if v}
    if extra:
        history.record("errand", errand.id, "note", actor, **extra)
    return saved


def _return_originals(errand_id: int, actor: Session) -> None:
    held = unreturned_originals(errand_id)
    if held:
        (ErrandMaterial.update(returned_at=now(), holder=None, at_township=False)
         .where(ErrandMaterial.id.in_([m.id for m in held])).execute())
        history.record("errand", errand_id, "custody", actor,
                       returned=[m.name for m in held])


@writes
def return_original(material_id: int, actor: Session) -> ErrandMaterial:
    require_cadre(actor)
    material = _material(material_id, actor)
    if material.returned_at is None:
        material.returned_at, material.holder, material.at_township = now(), None, False
        material.save()
        history.record("errand", material.errand_id, "custody", actor,
                       returned=[material.name])
    return material


@writes
def hand_original(material_id: int, holder_id: int | None, actor: Session
                  ) -> ErrandMaterial:
    """Custody passes to a cadre of the station (or, with holder None, to the
    township centre)."""
    require_cadre(actor)
    material = _material(material_id, actor)
    if holder_id is not None:
        _station_cadre(holder_id, actor)
    material.holder, material.at_township = holder_id, holder_id is None
    material.save()
    history.record("errand", material.errand_id, "custody", actor, material=material.name,
                   holder=material.holder_id, at_township=material.at_township)
    return material


@writes
def record_callback(errand_id: int, expected_version: int, actor: Session, *,
                    reached: bool, satisfaction: Satisfaction | str = "",
                    comment: str = "") -> Errand:
    """回访: unreached calls are logged and the errand waits; a reached one closes it.
    不满意 reopens it instead (back in the open queue, on its owner's home screen)
    and flags it for the station head."""
    require_cadre(actor)
    errand = _errand(errand_id, actor)
    if errand.status != Status.DELIVERED:
        raise fail("status", "callback.not_delivered",
                   status=status_label(errand.status, errand.mode))
    if not reached:
        history.record("errand", errand.id, "callback", actor, reached=False,
                       comment=comment.strip()[:500])
        return errand
    try:
        satisfaction = Satisfaction(satisfaction)
    except ValueError:
        raise fail("satisfaction", "callback.need_satisfaction") from None
    changes = {"status": Status.CALLED_BACK, "satisfaction": satisfaction}
    if satisfaction is Satisfaction.UNSATISFIED:  # back in the open queue, and the head's
        changes.update(_reopening(errand), status=Status.IN_PROGRESS, flagged=True)
    saved = history.save_versioned(errand, expected_version, changes, actor, "errand",
                                   action="callback")
    if comment.strip():
        history.record("errand", errand.id, "note", actor, text=comment.strip()[:500])
    return saved


@writes
def receive_material(material_id: int, actor: Session) -> ErrandMaterial:
    """A material brought after intake (often the next day) is ticked as received;
    an original is then in the keeping of the cadre who took it."""
    require_cadre(actor)
    material = _material(material_id, actor)
    if not material.received:
        material.received = True
        material.original = material.name in material.errand.item.originals
        if material.original:
            material.holder = actor.cadre_id
        material.save()
        history.record("errand", material.errand_id, "materials", actor,
                       received=[material.name])
    return material


@writes
def add_note(errand_id: int, text: str, actor: Session) -> None:
    require_cadre(actor)
    _errand(errand_id, actor)
    text = text.strip()
    if not text:
        raise fail("note", "errand.need_note")
    history.record("errand", errand_id, "note", actor, text=text[:2000])


@writes
def reassign(errand_id: int, expected_version: int, owner_id: int, actor: Session
             ) -> Errand:
    """Another cadre owns the errand now. A duty cadre takes one over or hands on
    their own; moving someone else's to a third cadre is the head's."""
    errand = _errand(errand_id, actor)
    require_own(actor, errand.owner_id, owner_id)
    _station_cadre(owner_id, actor)
    return history.save_versioned(errand, expected_version, {"owner": owner_id}, actor,
                                  "errand", action="reassign")


@writes
def merge_into(duplicate_id: int, expected_version: int, keep_id: int, actor: Session
               ) -> Errand:
    """A duplicate errand is cancelled into the one that carries on."""
    require_cadre(actor)
    if duplicate_id == keep_id:
        raise fail("merge", "errand.merge_self")
    keep = _errand(keep_id, actor)
    duplicate = _errand(duplicate_id, actor)
    if duplicate.status not in OPEN_STATUSES:
        raise fail("merge", "errand.merge_closed")
    saved = history.save_versioned(
        duplicate, expected_version,
        {"status": Status.CANCELLED, "closed_at": now(), "merged_into": keep.id,
         "paused_since": None}, actor, "errand", action="merge")
    history.record("errand", keep.id, "merge", actor, absorbed=duplicate.number)
    return saved


@writes
def link(errand_id: int, other_id: int, actor: Session) -> None:
    require_cadre(actor)
    if errand_id == other_id:
        raise fail("link", "errand.link_self")
    first, second = sorted(_errand(one, actor).id for one in (errand_id, other_id))
    ErrandLink.insert(errand=first, other=second).on_conflict_ignore().execute()
    for one, two in ((first, second), (second, first)):
        history.record("errand", one, "link", actor,
                       other=Errand.get_by_id(two).number)


def linked_errands(errand_id: int) -> list[Errand]:
    ids = ([row.other_id for row in ErrandLink.select().where(ErrandLink.errand == errand_id)]
           + [row.errand_id for row in ErrandLink.select().where(ErrandLink.other == errand_id)])
    return list(Errand.select().where(Errand.id.in_(ids)).order_by(Errand.id)) if ids else []


@writes
def mark_carried(errand_ids: list[int], actor: Session, missing_ok: bool = False
                 ) -> list[Errand]:
    """Back from the township centre: every errand taken there is 已报送乡镇.

    One transaction for the trip; a registered errand passes through 办理中 so the
    history shows both steps (a 流动办 back from the home visit goes straight on).
    Each move is checked as `advance` checks it: with materials missing, only when
    the cadre chose to go ahead anyway."""
    require_cadre(actor)
    carried = []
    for errand_id in errand_ids:
        errand = _errand(errand_id, actor)
        if Status.SUBMITTED not in allowed_moves(errand) \
                and Status.IN_PROGRESS in allowed_moves(errand):
            errand = advance(errand.id, errand.version,
                             Move(Status.IN_PROGRESS, missing_ok=missing_ok), actor)
        errand = advance(errand.id, errand.version,
                         Move(Status.SUBMITTED, missing_ok=missing_ok), actor)
        carried.append(errand)
    return carried
