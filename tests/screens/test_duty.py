"""Check-in, check-out with the handover, acknowledging it in a second session, and
the month's duty summary — by key presses."""
import datetime as dt

import pytest

from kiosk.app import DutyDeskApp
from models.core.entities import Cadre, now
from models.core.i18n import t
from models.duty.checkin import duty_now
from models.duty.entities import Handover, NightStay, Shift, ShiftTemplate
from models.duty.nights import mark_night, nights_summary
from models.errands.entities import Errand, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import Move, advance
from screens.duty import (
    CheckOutScreen,
    DutySummaryScreen,
    HandoverScreen,
    check_in_or_out,
    show_pending_handover,
)
from screens.duty_lines import duty_line, nights_line
from screens.home import HomeScreen

from .conftest import SIZE, burst, screen_text, settle


@pytest.fixture
def hua(station):
    return Cadre.create(station=station, name="李华", login="hua")


@pytest.fixture
def shifts(station, admin, hua):
    """The admin (session 'tester') on duty since ten minutes ago, 李华 next."""
    templates = {tp.name: tp for tp in ShiftTemplate.select()}
    start = now() - dt.timedelta(minutes=10)
    mine = Shift.create(station=station, template=templates["日班"], day=start.date(),
                        starts_at=start, ends_at=start + dt.timedelta(hours=2), cadre=admin)
    after = Shift.create(station=station, template=templates["夜班"], day=start.date(),
                         starts_at=mine.ends_at, ends_at=mine.ends_at + dt.timedelta(hours=12),
                         cadre=hua)
    return mine, after


def errand_for(station, actor, person) -> Errand:
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    return register_errand(IntakeForm(person.id, item.id, "carried", ["住院发票原件"],
                                      ["住院发票原件"]), station.id, actor)


async def home(app, pilot):
    await settle(pilot)
    assert isinstance(app.screen, HomeScreen)


async def test_check_in_advance_check_out_and_acknowledge(app, station, admin, head_session,
                                                          hua, shifts, villagers):
    mine, after = shifts
    errand = errand_for(station, head_session, villagers["[/bar]"])
    async with app.run_test(size=SIZE) as pilot:
        await home(app, pilot)
        check_in_or_out(app.screen)  # the home screen's 签到/签退 key
        await settle(pilot)
        assert Shift.get_by_id(mine.id).checked_in_at is not None
        assert isinstance(app.screen, HomeScreen)

        advance(errand.id, errand.version, Move("in_progress"), head_session)
        app._poll_changes()  # what the desk does every POLL_SECONDS
        await settle(pilot)
        check_out = t("home.check_out", shift="").rstrip()
        assert check_out in str(app.screen.query_one("#duty-alerts").render())

        check_in_or_out(app.screen)  # checked in: now it is the check-out
        await settle(pilot)
        assert isinstance(app.screen, CheckOutScreen)
        text = screen_text(app)
        assert errand.number in text and "[/bar]" in text and "住院发票原件" in text
        assert app.focused.id == "note"
        await burst(pilot, *"key [red]x[/red]", "enter", *"oj", "backspace", "k")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        # back on home, the duty lines are read anew: no check-out offered any more
        assert check_out not in str(app.screen.query_one("#duty-alerts").render())
    handover = Handover.get()
    assert handover.note == "key [red]x[/red]\nok"
    assert (handover.from_cadre_id, handover.to_cadre_id) == (admin.id, hua.id)
    assert {item["number"] for item in handover.items} == {errand.number}
    assert {item["kind"] for item in handover.items} >= {"registered"}
    assert Shift.get_by_id(mine.id).checked_out_at is not None

    second = DutyDeskApp(login="hua")  # 李华's own session
    async with second.run_test(size=SIZE) as pilot:
        await home(second, pilot)
        show_pending_handover(second.screen)
        await settle(pilot)
        assert isinstance(second.screen, HandoverScreen)
        text = screen_text(second)
        assert "key [red]x[/red]" in text and errand.number in text
        assert admin.name in text and t("duty.not_acknowledged") in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(second.screen, HomeScreen)
    assert Handover.get_by_id(handover.id).acknowledged_at is not None


async def test_check_out_can_be_abandoned_and_refusals_show(app, station, admin, shifts):
    mine, _ = shifts
    async with app.run_test(size=SIZE) as pilot:
        await home(app, pilot)
        app.push_screen(CheckOutScreen(mine.id))  # not checked in yet
        await settle(pilot)
        assert t("duty.items.none") in screen_text(app)
        await pilot.press(*"note", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CheckOutScreen)
        assert t("duty.not_in") in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert Handover.select().count() == 0
    assert Shift.get_by_id(mine.id).checked_out_at is None


async def test_someone_elses_handover_is_not_acknowledged(app, station, admin, hua, shifts):
    _, after = shifts
    handover = Handover.create(shift=after, from_cadre=hua, to_cadre=hua, note="[/bar] 注意",
                               items=[])
    async with app.run_test(size=SIZE) as pilot:
        await home(app, pilot)
        app.push_screen(HandoverScreen(handover.id))
        await settle(pilot)
        assert "[/bar] 注意" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HandoverScreen)
        assert t("duty.ack_not_yours", name=hua.name) in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert Handover.get_by_id(handover.id).acknowledged_at is None


def table_rows(app) -> dict[str, list]:
    table = app.screen.query_one("#duty-summary")
    return {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}


async def test_summary_shows_who_is_short_and_finds_handovers(app, station, admin,
                                                              head_session, hua, shifts):
    mine, after = shifts
    today = dt.date.today()
    first = today.replace(day=1)
    for offset in range(12):
        mark_night(head_session, now=dt.datetime.combine(first + dt.timedelta(days=offset),
                                                         dt.time(20)))
    for offset in range(15):
        NightStay.create(cadre=hua, night=first + dt.timedelta(days=offset), source="mark")
    Handover.create(shift=mine, from_cadre=admin, to_cadre=hua, note="钥匙在抽屉里", items=[])
    Handover.create(shift=after, from_cadre=hua, to_cadre=None, note="一切正常", items=[])
    async with app.run_test(size=SIZE) as pilot:
        await home(app, pilot)
        app.push_screen(DutySummaryScreen())
        await settle(pilot)
        text = screen_text(app)
        assert t("duty.summary.month", year=today.year, month=today.month) in text
        rows = table_rows(app)
        nights = rows[admin.name][6]
        assert str(nights) == t("duty.nights_cell_short", nights=12, missing=3)
        assert "red" in str(nights.style)
        assert str(rows[hua.name][6]) == t("duty.nights_cell_ok", nights=15)
        assert "钥匙在抽屉里" in text and "一切正常" in text

        await pilot.press("left")  # last month: nobody stayed
        await settle(pilot)
        before = today.replace(day=1) - dt.timedelta(days=1)
        assert t("duty.summary.month", year=before.year, month=before.month) in screen_text(app)
        assert str(table_rows(app)[hua.name][6]) == t("duty.nights_cell_short", nights=0,
                                                      missing=15)
        await pilot.press("right")
        await settle(pilot)
        assert str(table_rows(app)[admin.name][6]) == t("duty.nights_cell_short", nights=12,
                                                        missing=3)

        await pilot.press("slash")
        assert app.focused.id == "handover-query"
        await pilot.press(*"钥匙")
        await settle(pilot)
        listed = app.screen.query_one("#handover-list")
        assert listed.option_count == 1 and "钥匙在抽屉里" in str(
            listed.get_option_at_index(0).prompt)
        await pilot.press("enter", "enter")  # to the list, open the first
        await settle(pilot)
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DutySummaryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


def test_home_lines(station, admin, hua, shifts):
    """The header line and the nights line the home screen shows."""
    line = duty_line(duty_now(station.id)).plain
    found = [line.find(part) for part in (t("duty.now"), admin.name, t("duty.next"), hua.name)]
    assert -1 not in found and found == sorted(found)  # who is on, then who is next
    assert t("duty.flag.missed") not in line  # ten minutes in: not late yet
    late = duty_now(station.id, now() + dt.timedelta(minutes=10))
    assert t("duty.flag.missed") in duty_line(late).plain
    Cadre.update(name="[red]王[/red]").where(Cadre.id == hua.id).execute()
    short = [row for row in nights_summary(station.id, dt.date.today().year,
                                           dt.date.today().month) if row.short]
    text = nights_line(short)
    assert "[red]王[/red]" in text.plain and t("duty.nights_missing", missing=15) in text.plain
