import datetime as dt

import pytest

from models.core.history import StaleEdit, history
from models.core.validation import ValidationError
from models.duty.calendar import add_working_days, working_days_between
from models.duty.holidays import calendar_around
from models.errands.entities import MODES, Errand, ErrandMaterial, ServiceItem, Status
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import (
    MOVES,
    IllegalMove,
    Move,
    MoveNeeds,
    add_note,
    advance,
    allowed_moves,
    hand_original,
    link,
    linked_errands,
    merge_into,
    missing_materials,
    move_needs,
    reassign,
    receive_material,
    record_callback,
    return_original,
)
from models.errands.records import reopened_errands
from models.people.residents import ResidentForm, register_resident

TOMORROW_9 = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(9))


@pytest.fixture
def person(station, head_session, any_way):
    return register_resident(ResidentForm(name="张三", phone="13812341234"), head_session)


def new_errand(station, head_session, person, mode, item="城乡居民医保费用报销",
               received=None, originals=()):
    """An errand of `item`; with every material received unless `received` says."""
    item = ServiceItem.get(ServiceItem.name == item)
    received = item.materials if received is None else received
    return register_errand(IntakeForm(person.id, item.id, mode, list(received),
                                      list(originals)), station.id, head_session)


def full_move(to):
    return Move(to, reason="原因", appointment_at=TOMORROW_9, place="乡镇便民服务中心",
                originals_returned=True, missing_ok=True)


def fresh(errand):
    return Errand.get_by_id(errand.id)


@pytest.mark.parametrize("mode", MODES)
def test_every_move_of_every_mode(station, head_session, person, mode):
    """Each (from, to) pair is allowed exactly when the table says so."""
    errand = new_errand(station, head_session, person, mode)
    for start in Status:
        for to in Status:
            Errand.update(status=start, flagged=start == "called_back",
                          paused_since=None).where(Errand.id == errand.id).execute()
            current = fresh(errand)
            legal = to in MOVES[mode].get(start, ())
            if legal:
                moved = advance(current.id, current.version, full_move(to), head_session)
                assert moved.status == to, (start, to)
            else:
                with pytest.raises(IllegalMove) as refused:
                    advance(current.id, current.version, full_move(to), head_session)
                message = str(refused.value)
                assert "不能从" in message and "现在可以" in message


def test_move_needs_says_what_each_move_asks_for():
    def needs(mode, status, to, out=("户口本原件",)):
        return move_needs(Errand(mode=mode, status=status), to, out)

    assert needs("carried", "registered", "in_progress") == MoveNeeds()
    for to in ("returned", "cancelled", "waiting_villager"):
        assert needs("mobile", "in_progress", to).reason, to
    for closed in ("delivered", "called_back"):  # reopening says why
        assert needs("carried", closed, "in_progress") == MoveNeeds(reason=True)
    assert needs("accompanied", "in_progress", "appointment_set") == MoveNeeds(
        appointment=True, place=True)
    assert needs("mobile", "in_progress", "appointment_set") == MoveNeeds(appointment=True)
    assert needs("carried", "result_back", "delivered") == MoveNeeds(originals=("户口本原件",))
    assert needs("carried", "result_back", "delivered", out=()) == MoveNeeds()
    assert needs("carried", "registered", "cancelled") == MoveNeeds(
        reason=True, originals=("户口本原件",))


@pytest.mark.parametrize("mode", MODES)
def test_advance_asks_exactly_what_move_needs_says(station, head_session, person, mode):
    """Every legal move goes through with what move_needs lists, and is refused
    without any one of it: the dialog built from move_needs asks for neither more nor
    less than advance requires."""
    errand = new_errand(station, head_session, person, mode, received=["身份证"],
                        originals=["身份证"])
    for start, targets in MOVES[mode].items():
        for to in targets:
            Errand.update(status=start, flagged=True, paused_since=None).where(
                Errand.id == errand.id).execute()
            current = fresh(errand)
            needs = move_needs(current, to, ["身份证"], missing_materials(errand.id))
            given = {"reason": "原因" if needs.reason else "",
                     "appointment_at": TOMORROW_9 if needs.appointment else None,
                     "place": "县政务大厅" if needs.place else "",
                     "custody_note": "原件已寄回" if needs.originals else "",
                     "missing_ok": bool(needs.missing)}
            for left_out in [name for name, value in given.items() if value]:
                with pytest.raises(ValidationError):
                    advance(current.id, current.version, Move(to, **{**given, left_out: {
                        "appointment_at": None, "missing_ok": False}.get(left_out, "")}),
                            head_session)
            assert advance(current.id, current.version, Move(to, **given),
                           head_session).status == to, (start, to)


def test_refusal_names_the_allowed_moves(station, head_session, person):
    errand = new_errand(station, head_session, person, "carried")
    with pytest.raises(IllegalMove) as refused:
        advance(errand.id, errand.version, Move("delivered"), head_session)
    assert str(refused.value) == ("代着办的事项不能从“已登记”改为“已送达”。"
                                  "现在可以：办理中、待补材料、已退回、已撤销")


def test_on_the_spot_in_one_step(station, head_session, person):
    errand = new_errand(station, head_session, person, "on_the_spot", item="村委会证明开具")
    done = advance(errand.id, errand.version, Move("delivered"), head_session)
    assert done.status == "delivered" and done.closed_at and done.callback_due


def test_carried_through_its_whole_life(station, head_session, person):
    errand = new_errand(station, head_session, person, "carried",
                        received=["身份证", "住院发票原件"], originals=["住院发票原件"])
    for to in ("in_progress", "submitted", "result_back"):
        errand = advance(errand.id, errand.version, Move(to, missing_ok=True), head_session)
    invoice = ErrandMaterial.get(ErrandMaterial.name == "住院发票原件")
    assert invoice.holder_id == head_session.cadre_id and not invoice.at_township
    with pytest.raises(ValidationError) as refused:
        advance(errand.id, errand.version, Move("delivered", missing_ok=True), head_session)
    assert "住院发票原件" in str(refused.value)
    errand = advance(errand.id, errand.version,
                     Move("delivered", originals_returned=True, missing_ok=True), head_session)
    assert ErrandMaterial.get_by_id(invoice.id).returned_at is not None
    errand = record_callback(errand.id, errand.version, head_session, reached=True,
                             satisfaction="满意", comment="很方便")
    assert (errand.status, errand.satisfaction, errand.flagged) == ("called_back", "满意", False)
    actions = [e.action for e in history("errand", errand.id)]
    assert actions == ["create", "status", "status", "note", "status", "custody", "status",
                       "note", "callback", "note"]  # the notes: who went ahead, missing what
    assert allowed_moves(errand) == ()


def test_submitted_originals_are_at_the_township(station, head_session, person):
    errand = new_errand(station, head_session, person, "carried",
                        received=["住院发票原件"], originals=["住院发票原件"])
    errand = advance(errand.id, errand.version, Move("in_progress"), head_session)
    advance(errand.id, errand.version, Move("submitted", missing_ok=True), head_session)
    assert ErrandMaterial.get(ErrandMaterial.name == "住院发票原件").at_township


def test_close_with_originals_out_needs_a_reason(station, head_session, person):
    errand = new_errand(station, head_session, person, "carried",
                        received=["住院发票原件"], originals=["住院发票原件"])
    with pytest.raises(ValidationError):
        advance(errand.id, errand.version, Move("cancelled", reason="群众不办了"), head_session)
    closed = advance(errand.id, errand.version,
                     Move("cancelled", reason="群众不办了", custody_note="原件已寄回"), head_session)
    assert closed.status == "cancelled"
    assert any(e.detail.get("custody_note") == "原件已寄回"
               for e in history("errand", errand.id))


def test_paused_clock_moves_the_due_date(station, head_session, person):
    errand = new_errand(station, head_session, person, "carried")
    due = errand.due_date
    waiting = advance(errand.id, errand.version, Move("waiting_villager", reason="缺发票"),
                      head_session)
    assert waiting.paused_since == dt.date.today()
    # the villager brings the invoice a week later
    week_ago = dt.date.today() - dt.timedelta(days=7)
    Errand.update(paused_since=week_ago).where(Errand.id == errand.id).execute()
    resumed = advance(errand.id, waiting.version, Move("in_progress"), head_session)
    assert resumed.paused_since is None
    calendar = calendar_around(week_ago, due)
    stood = working_days_between(week_ago, dt.date.today(), *calendar)
    assert 3 <= stood <= 5
    assert resumed.due_date == add_working_days(due, stood, *calendar) > due


def test_reasons_and_appointments_required(station, head_session, person):
    errand = new_errand(station, head_session, person, "accompanied")
    with pytest.raises(ValidationError):
        advance(errand.id, errand.version, Move("cancelled"), head_session)
    errand = advance(errand.id, errand.version, Move("in_progress"), head_session)
    with pytest.raises(ValidationError):
        advance(errand.id, errand.version, Move("appointment_set"), head_session)
    with pytest.raises(ValidationError):
        advance(errand.id, errand.version, Move("appointment_set", appointment_at=TOMORROW_9),
                head_session)
    set_ = advance(errand.id, errand.version,
                   Move("appointment_set", appointment_at=TOMORROW_9, place="县政务大厅"), head_session)
    assert (set_.appointment_at, set_.appointment_place) == (TOMORROW_9, "县政务大厅")


def test_unsatisfied_callback_flags_and_reopens(station, head_session, person):
    errand = new_errand(station, head_session, person, "on_the_spot", item="村委会证明开具")
    errand = advance(errand.id, errand.version, Move("delivered"), head_session)
    not_reached = record_callback(errand.id, errand.version, head_session, reached=False)
    assert not_reached.status == "delivered"
    with pytest.raises(ValidationError):
        record_callback(errand.id, errand.version, head_session, reached=True, satisfaction="还行")
    errand = record_callback(errand.id, errand.version, head_session, reached=True,
                             satisfaction="不满意", comment="证明写错了名字")
    errand = fresh(errand)
    assert (errand.status, errand.satisfaction, errand.flagged) == ("in_progress", "不满意", True)
    assert (errand.closed_at, errand.delivered_at, errand.callback_due) == (None, None, None)
    assert [e.number for e in reopened_errands(station.id, head_session.cadre_id)] == [errand.number]
    assert reopened_errands(station.id, head_session.cadre_id + 1000) == []
    delivered = advance(errand.id, errand.version, Move("delivered"), head_session)
    assert reopened_errands(station.id, head_session.cadre_id) == []
    assert delivered.flagged  # the head's flag stays until the head has seen to it


def test_callback_satisfied_closes(station, head_session, person):
    errand = new_errand(station, head_session, person, "on_the_spot", item="村委会证明开具")
    errand = advance(errand.id, errand.version, Move("delivered"), head_session)
    errand = record_callback(errand.id, errand.version, head_session, reached=True,
                             satisfaction="基本满意")
    assert (errand.status, errand.flagged, allowed_moves(errand)) == ("called_back", False, ())
    assert reopened_errands(station.id, head_session.cadre_id) == []


def test_mobile_errand_can_be_carried_to_the_township(station, head_session, person):
    """流动办 taken at the home often needs the township: carried as 代着办 is, with
    the originals travelling and coming back."""
    errand = new_errand(station, head_session, person, "mobile", originals=["身份证"])
    errand = advance(errand.id, errand.version, Move("in_progress"), head_session)
    assert "submitted" in allowed_moves(errand)
    errand = advance(errand.id, errand.version, Move("submitted"), head_session)
    card = ErrandMaterial.get((ErrandMaterial.errand == errand.id)
                              & (ErrandMaterial.name == "身份证"))
    assert card.at_township
    assert allowed_moves(errand)[:2] == ("result_back", "waiting_villager")
    errand = advance(errand.id, errand.version, Move("result_back"), head_session)
    assert not ErrandMaterial.get_by_id(card.id).at_township
    errand = advance(errand.id, errand.version, full_move("delivered"), head_session)
    assert errand.status == "delivered"


def test_materials_brought_later_and_going_ahead_without(station, head_session, person):
    """The missing paper comes the next day: ticked on the errand, with an event.
    Sending or delivering with some still missing needs the cadre's explicit go-ahead,
    recorded with who gave it."""
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    errand = new_errand(station, head_session, person, "carried", received=["身份证"])
    later, *rest = [m for m in item.materials if m != "身份证"]
    assert missing_materials(errand.id) == [later, *rest]
    row = ErrandMaterial.get((ErrandMaterial.errand == errand.id) & (ErrandMaterial.name == later))
    receive_material(row.id, head_session)
    assert ErrandMaterial.get_by_id(row.id).received
    assert missing_materials(errand.id) == rest
    events = history("errand", errand.id)
    assert events[-1].action == "materials" and events[-1].detail == {"received": [later]}
    errand = advance(errand.id, errand.version, Move("in_progress"), head_session)
    assert move_needs(errand, "submitted", [], rest).missing == tuple(rest)
    assert move_needs(errand, "waiting_villager", [], rest).missing == ()
    with pytest.raises(ValidationError) as refused:
        advance(errand.id, errand.version, Move("submitted"), head_session)
    assert refused.value.field == "missing" and rest[0] in str(refused.value)
    errand = advance(errand.id, errand.version, Move("submitted", missing_ok=True), head_session)
    went = history("errand", errand.id)[-1]
    assert went.detail == {"went_ahead_missing": rest}
    assert went.actor_id == head_session.cadre_id


def test_material_brought_later_is_held_as_the_catalogue_says(station, head_session, person):
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    item.originals = ["身份证"]
    item.save()
    errand = new_errand(station, head_session, person, "carried", received=[])
    card = ErrandMaterial.get((ErrandMaterial.errand == errand.id) & (ErrandMaterial.name == "身份证"))
    receive_material(card.id, head_session)
    card = ErrandMaterial.get_by_id(card.id)
    assert (card.original, card.holder_id) == (True, head_session.cadre_id)


def test_stale_move_refused(station, head_session, person):
    errand = new_errand(station, head_session, person, "carried")
    advance(errand.id, errand.version, Move("in_progress"), head_session)
    with pytest.raises(StaleEdit) as refused:
        advance(errand.id, errand.version, Move("cancelled", reason="x"), head_session)
    assert refused.value.fresh.status == "in_progress"


def test_custody_notes_reassign_merge_link(station, head_session, person):
    from models.core.entities import Cadre
    other = Cadre.create(station=station, name="李四", login="lisi")
    first = new_errand(station, head_session, person, "carried", received=["身份证"],
                       originals=["身份证"])
    second = new_errand(station, head_session, person, "carried")
    card = ErrandMaterial.get((ErrandMaterial.errand == first.id) & (ErrandMaterial.name == "身份证"))
    assert card.original and card.received
    hand_original(card.id, other.id, head_session)
    assert ErrandMaterial.get_by_id(card.id).holder_id == other.id
    return_original(card.id, head_session)
    assert ErrandMaterial.get_by_id(card.id).returned_at is not None
    add_note(first.id, "群众电话改了", head_session)
    with pytest.raises(ValidationError):
        add_note(first.id, "  ", head_session)
    moved = reassign(first.id, first.version, other.id, head_session)
    assert moved.owner_id == other.id
    link(first.id, second.id, head_session)
    link(second.id, first.id, head_session)  # once is enough
    assert [e.id for e in linked_errands(first.id)] == [second.id]
    assert [e.id for e in linked_errands(second.id)] == [first.id]
    merged = merge_into(second.id, fresh(second).version, first.id, head_session)
    assert (merged.status, merged.merged_into_id) == ("cancelled", first.id)
    with pytest.raises(ValidationError):
        merge_into(second.id, merged.version, first.id, head_session)
    actions = [e.action for e in history("errand", first.id)]
    assert {"custody", "note", "reassign", "link", "merge"} <= set(actions)
