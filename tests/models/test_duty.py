"""Check-in and check-out, the handover, nights in the village, a cadre's month."""
import datetime as dt
from dataclasses import replace

import pytest

from models.core.entities import Cadre, Event, Station, now
from models.core.validation import ValidationError
from models.duty.checkin import (
    EARLY_BEFORE,
    LATE_AFTER,
    check_in,
    check_in_state,
    duty_now,
    missed_check_ins,
    my_shift,
)
from models.duty.entities import Handover, Leave, NightStay, Shift, ShiftTemplate
from models.duty.handover import (
    acknowledge,
    check_out,
    handover_items,
    pending_handover,
    search_handovers,
)
from models.duty.nights import mark_night, nights_out_of_reach, nights_summary
from models.duty.summary import CadreMonth, cadre_month_summary, home_duty
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import Move, advance, hand_original
from models.people.residents import ResidentForm, register_resident
from tests.actors import acting, our_station

D = dt.date(2026, 3, 10)  # a Tuesday


def at(hour: int, minute: int = 0, day: dt.date = D) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def cadres(station, admin):
    ming = Cadre.create(station=station, name="张明", login="ming")
    hua = Cadre.create(station=station, name="李华", login="hua")
    return dict(ming=ming, hua=hua, admin=admin)


@pytest.fixture
def templates(station):
    return {tp.name: tp for tp in ShiftTemplate.select().where(ShiftTemplate.station == station)}


def make_shift(station, template, cadre, starts: dt.datetime, ends: dt.datetime,
               day: dt.date | None = None) -> Shift:
    return Shift.create(station=station, template=template, day=day or starts.date(),
                        starts_at=starts, ends_at=ends, cadre=cadre)


@pytest.fixture
def day_and_night(station, cadres, templates):
    """张明 on the day shift of D, 李华 on the night shift after it."""
    day = make_shift(station, templates["日班"], cadres["ming"], at(8), at(20))
    night = make_shift(station, templates["夜班"], cadres["hua"], at(20),
                       at(8, day=D + dt.timedelta(days=1)))
    return day, night


def refused(code: str, fn, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message and "{" not in caught.value.message
    return caught.value


# ---- check-in ----

def test_check_in_on_time_and_early(day_and_night, cadres):
    day, _ = day_and_night
    shift = check_in(day.id, acting(cadres["ming"]), now=at(7, 30))
    assert shift.checked_in_at == at(7, 30)
    assert check_in_state(shift) == "on_time"
    assert Shift.get_by_id(day.id).version == 2
    event = Event.get((Event.entity == "shift") & (Event.entity_id == day.id))
    assert event.action == "check_in" and event.actor_id == cadres["ming"].id


def test_check_in_late_is_flagged(day_and_night, cadres):
    day, _ = day_and_night
    shift = check_in(day.id, acting(cadres["ming"]), now=at(8) + LATE_AFTER + dt.timedelta(minutes=1))
    assert check_in_state(shift) == "late"
    assert duty_now(day.station_id, now=at(10)).late
    exactly = Shift.get_by_id(day.id)
    exactly.checked_in_at = at(8) + LATE_AFTER  # on the boundary: still on time
    assert check_in_state(exactly) == "on_time"


def test_check_in_refusals(day_and_night, cadres):
    day, _ = day_and_night
    too_early = at(8) - EARLY_BEFORE - dt.timedelta(minutes=1)
    refused("duty.too_early", check_in, day.id, acting(cadres["ming"]), now=too_early)
    refused("duty.not_yours", check_in, day.id, acting(cadres["hua"]), now=at(8))
    refused("duty.over", check_in, day.id, acting(cadres["ming"]), now=at(20))
    assert Shift.get_by_id(day.id).checked_in_at is None  # nothing half-saved
    check_in(day.id, acting(cadres["ming"]), now=at(8))
    message = refused("duty.already_in", check_in, day.id, acting(cadres["ming"]), now=at(9))
    assert "08:00" in message.message
    assert Shift.get_by_id(day.id).checked_in_at == at(8)


def test_missed_check_ins(station, cadres, templates, day_and_night):
    day, night = day_and_night
    eve = D - dt.timedelta(days=1)
    before = make_shift(station, templates["夜班"], cadres["hua"], at(20, day=eve), at(8),
                        day=eve)
    old = make_shift(station, templates["日班"], cadres["hua"],
                     at(8, day=D - dt.timedelta(2)), at(20, day=D - dt.timedelta(2)))
    make_shift(station, templates["夜班"], None, at(20, day=D - dt.timedelta(2)),
               at(8, day=D - dt.timedelta(1)), day=D - dt.timedelta(2))  # nobody on it
    assert [s.id for s in missed_check_ins(station.id, now=at(8, 10))] == [before.id]
    assert not duty_now(station.id, now=at(8, 10)).missed  # not late yet
    late = at(8) + LATE_AFTER + dt.timedelta(minutes=1)
    assert [s.id for s in missed_check_ins(station.id, now=late)] == [before.id, day.id]
    assert duty_now(station.id, now=late).missed
    check_in(day.id, acting(cadres["ming"]), now=late)
    assert [s.id for s in missed_check_ins(station.id, now=late)] == [before.id]
    assert old.id not in [s.id for s in missed_check_ins(station.id, now=at(8, 30))]


def test_who_is_on_duty_now_and_next(station, cadres, day_and_night):
    day, night = day_and_night
    check_in(day.id, acting(cadres["ming"]), now=at(8, 5))
    duty = duty_now(station.id, now=at(10))
    assert (duty.current.id, duty.next.id) == (day.id, night.id)
    assert (duty.current_name, duty.next_name) == ("张明", "李华")
    assert not duty.late and not duty.missed
    duty = duty_now(station.id, now=at(21))
    assert (duty.current.id, duty.current_name, duty.next) == (night.id, "李华", None)
    assert duty.missed  # 李华 has not checked in at 21:00
    duty = duty_now(station.id, now=at(6))
    assert duty.current is None and duty.next.id == day.id


def test_my_shift(station, cadres, day_and_night):
    day, night = day_and_night
    ming, hua = cadres["ming"].id, cadres["hua"].id
    assert my_shift(station.id, ming, now=at(6, 59)) is None  # more than an hour early
    assert my_shift(station.id, ming, now=at(7, 30)).id == day.id
    assert my_shift(station.id, hua, now=at(10)) is None
    assert my_shift(station.id, hua, now=at(19, 5)).id == night.id
    check_in(day.id, acting(cadres["ming"]), now=at(8))
    assert my_shift(station.id, ming, now=at(20, 30)).id == day.id  # forgot to check out
    check_out(day.id, acting(cadres["ming"]), "", now=at(20, 30))
    assert my_shift(station.id, ming, now=at(20, 31)) is None


def test_night_shift_records_the_night(station, cadres, day_and_night):
    _, night = day_and_night
    hua = cadres["hua"].id
    check_in(night.id, acting(cadres["hua"]), now=at(19, 50))
    stays = list(NightStay.select().where(NightStay.cadre == hua))
    assert [(s.night, s.source) for s in stays] == [(D, "shift")]
    mark_night(acting(cadres["hua"]), now=at(21))  # marking it too changes nothing
    assert NightStay.select().where(NightStay.cadre == hua).count() == 1
    assert NightStay.get(NightStay.cadre == hua).source == "shift"


def test_late_check_in_after_midnight_counts_the_evening(station, cadres, day_and_night):
    _, night = day_and_night
    check_in(night.id, acting(cadres["hua"]), now=at(0, 30, day=D + dt.timedelta(days=1)))
    assert NightStay.get(NightStay.cadre == cadres["hua"].id).night == D


def test_day_shift_records_no_night(station, cadres, day_and_night):
    day, _ = day_and_night
    check_in(day.id, acting(cadres["ming"]), now=at(8))
    assert NightStay.select().count() == 0


# ---- handover ----

@pytest.fixture
def person(station, head_session):
    return register_resident(ResidentForm(name="张三", phone="13812341234"), head_session)


def new_errand(station, cadre, person, item="城乡居民医保费用报销",
               originals=()) -> Errand:
    item = ServiceItem.get(ServiceItem.name == item)
    return register_errand(IntakeForm(person.id, item.id, "carried", list(originals),
                                      list(originals)), station.id, acting(cadre))


def backdate(errand: Errand, created: dt.datetime, due: dt.date) -> Errand:
    Errand.update(created_at=created, due_date=due).where(Errand.id == errand.id).execute()
    return Errand.get_by_id(errand.id)


@pytest.fixture
def live_shift(station, cadres, templates):
    """张明's shift running now (started two hours ago), 李华's right after it."""
    start = now() - dt.timedelta(hours=2)
    mine = make_shift(station, templates["日班"], cadres["ming"], start,
                      start + dt.timedelta(hours=12))
    after = make_shift(station, templates["夜班"], cadres["hua"], mine.ends_at,
                       mine.ends_at + dt.timedelta(hours=12))
    return mine, after


@pytest.fixture
def shift_work(station, cadres, person, live_shift):
    """Errands inside and outside 张明's shift."""
    ming, hua = cadres["ming"], cadres["hua"]
    mine, _ = live_shift
    long_ago = now() - dt.timedelta(days=3)
    far = now().date() + dt.timedelta(days=20)
    # outside: registered and advanced three days ago, due later, original with 李华
    outside = backdate(new_errand(station, hua, person, originals=["身份证"]), long_ago, far)
    outside = advance(outside.id, outside.version, Move("in_progress"), acting(hua))
    Event.update(at=long_ago).where((Event.entity == "errand")
                                    & (Event.entity_id == outside.id)).execute()
    hand_original(ErrandMaterial.get(ErrandMaterial.errand == outside.id).id, hua.id,
                  acting(hua))
    # registered before, advanced during the shift
    advanced = backdate(new_errand(station, hua, person), long_ago, far)
    advanced = advance(advanced.id, advanced.version, Move("in_progress"), acting(ming))
    # registered before, due during the shift
    due = backdate(new_errand(station, hua, person), long_ago, mine.starts_at.date())
    # registered before; its original is in 张明's hands
    held = backdate(new_errand(station, hua, person, originals=["住院发票原件"]),
                    long_ago, far)
    hand_original(ErrandMaterial.get((ErrandMaterial.errand == held.id)
                                     & ErrandMaterial.original).id, ming.id, acting(ming))
    # taken in by 张明 at intake three days ago, custody never recorded: his
    kept = backdate(new_errand(station, ming, person, originals=["医保卡"]), long_ago, far)
    # his errand, but the original went to the township centre
    away = backdate(new_errand(station, ming, person, originals=["出院小结"]), long_ago, far)
    ErrandMaterial.update(at_township=True).where(ErrandMaterial.errand == away.id).execute()
    # registered during the shift
    fresh = new_errand(station, ming, person)
    return dict(outside=outside, advanced=advanced, due=due, held=held, fresh=fresh,
                kept=kept, away=away)


def test_handover_lists_what_happened_in_the_shift(live_shift, shift_work):
    mine, _ = live_shift
    items = handover_items(mine.id, station_id=our_station())
    kinds = {(item["kind"], item["number"]) for item in items}
    assert kinds == {("registered", shift_work["fresh"].number),
                     ("advanced", shift_work["advanced"].number),
                     ("due", shift_work["due"].number),
                     ("original", shift_work["held"].number),
                     ("original", shift_work["kept"].number)}
    originals = {item["material"] for item in items if item["kind"] == "original"}
    assert originals == {"住院发票原件", "医保卡"}
    assert all(item["material"] in item["text"] for item in items if item["kind"] == "original")
    assert all(item["resident"] == "张三" and item["item"] == "城乡居民医保费用报销"
               and item["text"] for item in items)
    advanced = next(item for item in items if item["kind"] == "advanced")
    assert advanced["status"] == "in_progress" and "办理中" in advanced["text"]
    listed = " ".join(item["text"] for item in items)
    assert shift_work["outside"].number not in listed
    assert shift_work["away"].number not in listed


def test_handover_of_an_earlier_window_lists_nothing_later(station, cadres, templates,
                                                           shift_work):
    """A shift that ended yesterday saw none of today's work."""
    start = now() - dt.timedelta(days=2)
    old = make_shift(station, templates["日班"], cadres["admin"], start,
                     start + dt.timedelta(hours=1))
    assert handover_items(old.id, now=old.ends_at, station_id=our_station()) == []


def test_check_out_hands_over_to_the_next_cadre(station, cadres, live_shift, shift_work):
    mine, after = live_shift
    ming, hua, admin = (cadres[name].id for name in ("ming", "hua", "admin"))
    as_ming, as_hua, as_admin = (acting(cadres[name]) for name in ("ming", "hua", "admin"))
    refused("duty.not_in", check_out, mine.id, as_ming, "x")
    check_in(mine.id, as_ming, now=mine.starts_at)
    refused("duty.not_yours", check_out, mine.id, as_hua, "x")
    handover = check_out(mine.id, as_ming, "  钥匙在抽屉里 [red]别丢[/red]\n第二行  ")
    saved = Handover.get_by_id(handover.id)
    assert saved.note == "钥匙在抽屉里 [red]别丢[/red]\n第二行"
    assert (saved.from_cadre_id, saved.to_cadre_id) == (ming, hua)
    assert len(saved.items) == 5 and saved.items == handover_items(mine.id, station_id=our_station())
    assert Shift.get_by_id(mine.id).checked_out_at is not None
    refused("duty.already_out", check_out, mine.id, as_ming, "again")
    assert Handover.select().count() == 1

    assert pending_handover(station.id, hua).id == handover.id
    assert pending_handover(station.id, ming) is None
    assert pending_handover(station.id, admin) is None
    refused("duty.ack_own", acknowledge, handover.id, as_ming)
    refused("duty.ack_not_yours", acknowledge, handover.id, as_admin)
    done = acknowledge(handover.id, as_hua)
    assert done.acknowledged_at is not None and done.to_cadre.name == "李华"
    assert pending_handover(station.id, hua) is None
    refused("duty.ack_already", acknowledge, handover.id, as_hua)
    actions = [e.action for e in Event.select().where(Event.entity == "handover")
               .order_by(Event.id)]
    assert actions == ["create", "acknowledge"]


def test_unaddressed_handover_goes_to_whoever_is_on_duty(station, cadres, templates):
    start = now() - dt.timedelta(hours=3)
    last = make_shift(station, templates["日班"], cadres["ming"], start,
                      start + dt.timedelta(hours=1))
    check_in(last.id, acting(cadres["ming"]), now=start)
    handover = check_out(last.id, acting(cadres["ming"]), "无人接班", now=last.ends_at)
    assert handover.to_cadre_id is None
    assert pending_handover(station.id, cadres["hua"].id) is None  # not on duty
    make_shift(station, templates["夜班"], cadres["hua"], now() - dt.timedelta(minutes=30),
               now() + dt.timedelta(hours=8))
    assert pending_handover(station.id, cadres["hua"].id).id == handover.id
    assert pending_handover(station.id, cadres["ming"].id) is None  # wrote it
    acknowledge(handover.id, acting(cadres["hua"]))
    assert Handover.get_by_id(handover.id).to_cadre_id == cadres["hua"].id  # who took it


def test_search_handovers(station, cadres, live_shift, shift_work):
    mine, after = live_shift
    ming, hua = acting(cadres["ming"]), acting(cadres["hua"])
    check_in(mine.id, ming, now=mine.starts_at)
    first = check_out(mine.id, ming, "钥匙在抽屉里，100%要还")
    check_in(after.id, hua, now=after.starts_at)
    second = check_out(after.id, hua, "一切正常", now=after.ends_at)

    def found(text):
        return [h.id for h in search_handovers(station.id, text)]

    assert found("") == [second.id, first.id]  # newest first
    assert found("钥匙") == [first.id]
    assert found(shift_work["fresh"].number) == [first.id]  # a listed line
    assert found("住院发票") == [first.id]
    assert found("正常") == [second.id]
    assert found("李华") == [second.id, first.id]  # written to, or by, 李华
    assert found("100%") == [first.id]
    assert found("%") == [first.id]  # literally, not a wildcard
    assert found("_") == []
    assert found("没有这个") == []
    assert search_handovers(station.id, "钥匙")[0].from_cadre.name == "张明"


# ---- nights ----

def mark_nights(cadre, month_days, month=3):
    for day in month_days:
        mark_night(acting(cadre), now=dt.datetime(2026, month, day, 20))


def test_nights_summary_marks_who_is_short(station, cadres):
    ming, hua, admin = cadres["ming"], cadres["hua"], cadres["admin"]
    mark_nights(ming, range(1, 13))  # 12 nights
    mark_nights(hua, range(1, 16))  # 15 nights
    mark_night(acting(ming), now=dt.datetime(2026, 2, 28, 20))  # other months
    mark_night(acting(ming), now=dt.datetime(2026, 4, 1, 20))
    Cadre.create(station=station, name="村支书", stays_in_village=False)
    Cadre.create(station=station, name="调走了", active=False)
    rows = {row.name: row for row in nights_summary(station.id, 2026, 3)}
    assert set(rows) == {"张明", "李华", admin.name}
    assert (rows["张明"].nights, rows["张明"].required, rows["张明"].short,
            rows["张明"].missing) == (12, 15, True, 3)
    assert (rows["李华"].nights, rows["李华"].short, rows["李华"].missing) == (15, False, 0)
    assert rows[admin.name].nights == 0 and rows[admin.name].short
    Station.update(nights_required=10).where(Station.id == station.id).execute()
    rows = {row.name: row for row in nights_summary(station.id, 2026, 3)}
    assert not rows["张明"].short and rows["张明"].required == 10


def test_home_names_only_who_can_no_longer_reach_the_rule(station, cadres):
    """On the 20th of March twelve nights are still to come: 张明's 12 and 李华's 5
    can still make 15, the head's none cannot; leave takes nights away."""
    ming, hua, admin = cadres["ming"], cadres["hua"], cadres["admin"]
    mark_nights(ming, range(1, 13))
    mark_nights(hua, range(1, 6))
    out = lambda day: [row.name for row in nights_out_of_reach(  # noqa: E731
        station.id, dt.date(2026, 3, day))]
    assert out(1) == []  # the month has just begun
    assert out(20) == [admin.name]
    assert {row.name for row in nights_summary(station.id, 2026, 3)
            if row.short} == {"张明", "李华", admin.name}  # the summary counts as it stands
    Leave.create(cadre=hua, first_day=dt.date(2026, 3, 20), last_day=dt.date(2026, 3, 25))
    assert set(out(20)) == {"李华", admin.name}  # 5 + 6 nights left after the leave
    mark_nights(ming, [20])  # a night already spent is not to come again
    assert "张明" not in out(20) and "张明" not in out(29)
    assert "张明" in out(31)  # 13 and the last night: 14


def test_mark_night(station, cadres):
    """The signed-in cadre's own night, from 18:00 to 06:00 the next morning."""
    ming = acting(cadres["ming"])
    row = mark_night(ming, now=at(18))
    assert (row.cadre_id, row.night, row.source) == (cadres["ming"].id, D, "mark")
    assert mark_night(ming, now=at(5, 59, day=D + dt.timedelta(days=1))).id == row.id  # once
    assert NightStay.select().count() == 1
    assert Event.select().where(Event.entity == "night").count() == 1
    for hour, minute in ((17, 59), (6, 0), (12, 0)):
        refused("duty.night_too_early", mark_night, ming, now=at(hour, minute))
    assert NightStay.select().count() == 1


# ---- a cadre's month ----

def test_cadre_month_summary(station, cadres, templates, person):
    ming, hua = cadres["ming"], cadres["hua"]
    day_tp, night_tp = templates["日班"], templates["夜班"]
    on_time = make_shift(station, day_tp, ming, at(8, day=dt.date(2026, 3, 2)),
                         at(20, day=dt.date(2026, 3, 2)))
    late = make_shift(station, day_tp, ming, at(8, day=dt.date(2026, 3, 4)),
                      at(20, day=dt.date(2026, 3, 4)))
    make_shift(station, day_tp, ming, at(8, day=dt.date(2026, 3, 6)),
               at(20, day=dt.date(2026, 3, 6)))  # missed
    make_shift(station, day_tp, ming, at(8, day=dt.date(2026, 3, 25)),
               at(20, day=dt.date(2026, 3, 25)))  # still to come
    make_shift(station, day_tp, ming, at(8, day=dt.date(2026, 4, 2)),
               at(20, day=dt.date(2026, 4, 2)))  # next month
    night = make_shift(station, night_tp, hua, at(20, day=dt.date(2026, 3, 2)),
                       at(8, day=dt.date(2026, 3, 3)), day=dt.date(2026, 3, 2))
    check_in(on_time.id, acting(ming), now=on_time.starts_at)
    check_in(late.id, acting(ming), now=late.starts_at + dt.timedelta(minutes=40))
    check_in(night.id, acting(hua), now=night.starts_at)
    mark_nights(ming, range(1, 13))
    # errands: 张明 touches two in March (three events), one in February
    first = new_errand(station, ming, person)
    advance(first.id, first.version, Move("in_progress"), acting(ming))
    second = new_errand(station, ming, person)
    february = new_errand(station, ming, person)
    march = dt.datetime(2026, 3, 15, 10)
    Event.update(at=march).where(Event.entity_id.in_([first.id, second.id])
                                 & (Event.entity == "errand")).execute()
    Event.update(at=dt.datetime(2026, 2, 15)).where(
        (Event.entity_id == february.id) & (Event.entity == "errand")).execute()

    rows = {row.name: row for row in cadre_month_summary(station.id, 2026, 3,
                                                          now=at(12, day=dt.date(2026, 3, 20)))}
    m = rows["张明"]
    assert (m.shifts, m.on_time, m.late, m.missed) == (4, 1, 1, 1)
    assert (m.nights, m.required, m.short, m.missing_nights) == (12, 15, True, 3)
    assert m.errands_handled == 2
    h = rows["李华"]
    assert (h.shifts, h.on_time, h.nights, h.errands_handled) == (1, 1, 1, 0)
    assert rows[cadres["admin"].name].shifts == 0


def test_punctuality_rounds_half_up():
    row = CadreMonth(cadre_id=1, name="张明", shifts=8, nights=0, on_time=1, late=6,
                     missed=1, errands_handled=0)
    assert row.punctuality == 13  # 12.5%: not 12 (cut off, or rounded to even)
    assert replace(row, on_time=5, late=3, missed=0).punctuality == 63
    assert replace(row, on_time=0, late=0, missed=0).punctuality is None


def test_home_duty_in_one_call(station, cadres, live_shift):
    mine, after = live_shift
    summary = home_duty(station.id, cadres["ming"].id)
    assert summary.duty.current.id == mine.id and summary.mine.id == mine.id
    assert summary.pending is None
    assert [s.id for s in summary.missed] == [mine.id]  # started 2 h ago, no check-in
    today = dt.date.today()
    Leave.create(cadre=cadres["ming"], first_day=today,  # no night left this month
                 last_day=today.replace(day=28) + dt.timedelta(days=4))
    summary = home_duty(station.id, cadres["ming"].id)
    assert {row.name for row in summary.short} >= {"张明"}
