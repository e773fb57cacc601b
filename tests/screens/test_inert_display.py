"""Stored text never reaches the terminal raw, whoever wrote it.

Rows are poisoned by raw SQL, as an older version or another tool would have left
them (the text columns clean what they store, so the ORM cannot): clipboard and
title escape sequences, a screen clear, an unterminated sequence, text that looks
like markup. Then every screen that shows them is driven by keys, in Pilot and in
a real pseudo-terminal.
"""
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.core.db import database
from models.core.entities import Cadre, now
from models.core.i18n import t
from models.duty.entities import Handover, Leave, NightStay, Shift, ShiftTemplate
from models.errands.entities import ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.people.entities import Household
from models.people.residents import ResidentForm, register_resident
from screens.audit import AuditScreen
from screens.calendar import CalendarScreen
from screens.carry import CarryScreen
from screens.duty import DutySummaryScreen, HandoverScreen
from screens.errand import ErrandScreen
from screens.intake import IntakeScreen
from screens.move import MoveScreen
from screens.queue import QueueScreen
from screens.residents import ResidentsScreen
from screens.roster import RosterScreen
from screens.statistics import StatisticsScreen
from tests.actors import acting

from .conftest import SIZE, screen_text, settle

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT.parents[1] / "shared" / "tools" / "tuiprobe.py"  # the project's probe
CLIPBOARD = "\x1b]52;c;aGk=\x07"
TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
UNTERMINATED = "\x1b]0;"
ID_NUMBER = "11010519491231002X"


def raw(sql: str, *params) -> None:
    """SQL as another tool would run it: past the columns that clean text."""
    database.execute_sql(sql.replace("?", database.param), params)


@pytest.fixture
def poisoned(station, admin):
    """A person with a household and a carried errand, a second cadre on the roster,
    a handover, a holiday this month — each text then overwritten with escapes."""
    group = station.groups.order_by("number").first()
    household = Household.create(group=group, number="03021", address="村东")
    zhang = register_resident(ResidentForm(name="张三", id_number=ID_NUMBER,
                                           phone="13812341234", household_number="03021",
                                           relation="户主"), acting(admin))
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    errand = register_errand(IntakeForm(zhang.id, item.id, "carried", ["住院发票原件"],
                                        ["住院发票原件"]), station.id, acting(admin))
    hua = Cadre.create(station=station, name="李华", login="hua")
    templates = {tp.name: tp for tp in ShiftTemplate.select()}
    start = now() - dt.timedelta(minutes=10)
    mine = Shift.create(station=station, template=templates["日班"], day=start.date(),
                        starts_at=start, ends_at=start + dt.timedelta(hours=2), cadre=admin)
    Shift.create(station=station, template=templates["夜班"], day=start.date(),
                 starts_at=mine.ends_at, ends_at=mine.ends_at + dt.timedelta(hours=12),
                 cadre=hua)
    today = dt.date.today()
    leave = Leave.create(cadre=hua, first_day=today, last_day=today, reason="培训")
    handover = Handover.create(shift=mine, from_cadre=admin, to_cadre=hua, note="交接",
                               items=[{"kind": "due", "text": "到期"}])
    early = ShiftTemplate.create(station=station, name="早班", starts="05:00", ends="06:00",
                                 position=2)
    missed = Shift.create(station=station, template=early, day=today,
                          starts_at=start - dt.timedelta(hours=3),
                          ends_at=start - dt.timedelta(hours=2), cadre=hua)
    night = NightStay.create(cadre=hua, night=today, source="correction")

    raw("UPDATE resident SET name = ?, note = ?, relation = ? WHERE id = ?",
        f"张三{TITLE}", f"腿脚不便{CLIPBOARD}[/bar]{CLEAR}", f"户主{TITLE}", zhang.id)
    raw("UPDATE household SET address = ? WHERE id = ?",
        f"村东{UNTERMINATED}[red]x[/red]", household.id)
    raw("UPDATE errand SET note = ?, appointment_place = ?, appointment_at = ? WHERE id = ?",
        f"急{CLIPBOARD}[red]x[/red]", f"乡里{TITLE}[/bar]", now(), errand.id)
    raw("UPDATE errand_material SET name = ? WHERE errand_id = ?",
        f"户口本{CLEAR}[/bar]", errand.id)
    raw("UPDATE service_item SET name = ? WHERE id = ?", f"医保{CLEAR}[/bar]", item.id)
    raw("UPDATE handover SET note = ? WHERE id = ?", f"交接{CLIPBOARD}[/bar]", handover.id)
    raw("UPDATE leave SET reason = ? WHERE id = ?", f"病假{TITLE}[/bar]", leave.id)
    raw("UPDATE shift SET missed_reason = ? WHERE id = ?", f"开会{TITLE}[/bar]", missed.id)
    raw("UPDATE night_stay SET reason = ? WHERE id = ?", f"纠纷{CLIPBOARD}[/bar]", night.id)
    raw("UPDATE cadre SET name = ? WHERE id = ?", f"李华{TITLE}[/bar]", hua.id)
    raw("UPDATE station SET name = ? WHERE id = ?", f"红旗村{CLIPBOARD}[red]x[/red]",
        station.id)
    raw("UPDATE shift_template SET name = ? WHERE id = ?", f"日班{TITLE}",
        templates["日班"].id)
    raw("INSERT INTO calendar_day (day, kind, name) VALUES (?, ?, ?)",
        today, "holiday", f"[/bar]{UNTERMINATED}")
    raw("INSERT INTO event (entity, entity_id, action, actor_id, at, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)", "errand", errand.id, "note", admin.id, now(),
        json.dumps({"text": f"说明{CLIPBOARD}[/bar]{UNTERMINATED}"}))
    return {"errand": errand, "resident": zhang}


def assert_inert(app, *literal: str) -> str:
    text = screen_text(app)
    assert "\x1b" not in text and "\x07" not in text
    for expected in literal:
        assert expected in text, (expected, text[-3000:])
    return text


async def go(pilot, *keys: str, screen=None):
    await pilot.press(*keys)
    await settle(pilot)
    if screen is not None:
        assert isinstance(pilot.app.screen, screen), pilot.app.screen


async def test_every_screen_shows_poisoned_rows_inert(app, poisoned):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "\x1b" not in app.sub_title
        assert_inert(app, "红旗村]52;c;aGk=[red]x[/red]", "李华]0;pwned[/bar]")

        await go(pilot, "r", *"zhangsan", screen=ResidentsScreen)
        assert_inert(app, "张三]0;pwned")  # the search result
        await go(pilot, "enter")
        text = assert_inert(app, "腿脚不便]52;c;aGk=[/bar][2J", "村东]0;[red]x[/red]",
                            "医保[2J[/bar]", "110105********002X", "138****1234")
        assert ID_NUMBER not in text and "13812341234" not in text

        await go(pilot, "escape", "i", *"zhangsan", "enter", screen=IntakeScreen)
        assert_inert(app, "张三]0;pwned", "医保[2J[/bar]")

        await go(pilot, "escape", "e", screen=QueueScreen)
        assert_inert(app, "医保[2J[/bar]", "张三]0;pwned")
        await go(pilot, "enter", screen=ErrandScreen)
        assert_inert(app, "急]52;c;aGk=[red]x[/red]", "乡里]0;pwned[/bar]",
                     "户口本[2J[/bar]", "说明]52;c;aGk=[/bar]]0;")
        await go(pilot, "a", screen=MoveScreen)  # cancelling asks about the originals
        moves = app.screen.query_one("#moves")
        labels = [str(moves.get_option_at_index(i).prompt)
                  for i in range(moves.option_count)]
        await go(pilot, *["down"] * labels.index(t("status.cancelled")), "enter")
        assert_inert(app, t("move.originals_back_named", names="户口本[2J[/bar]"))
        await go(pilot, "escape", "escape", "t", screen=CarryScreen)
        assert_inert(app, "户口本[2J[/bar]", "医保[2J[/bar]")

        await go(pilot, "escape", "escape", "w", screen=RosterScreen)
        assert_inert(app, "休 [/bar]]0;", "李华]0;pwned[/bar]")
        assert "日班]0;pwned 08:00–20:00" in [
            str(c.label) for c in app.screen.query_one("#roster-grid").columns.values()]
        await go(pilot, "escape", "h", screen=CalendarScreen)
        assert_inert(app, "[/bar]]0;")

        await go(pilot, "escape", "s", screen=DutySummaryScreen)
        assert_inert(app, "交接]52;c;aGk=[/bar]", "李华]0;pwned[/bar]",
                     "开会]0;pwned[/bar]", "纠纷]52;c;aGk=[/bar]")
        await go(pilot, "slash", "tab", "enter", screen=HandoverScreen)
        assert_inert(app, "交接]52;c;aGk=[/bar]", "日班]0;pwned")

        await go(pilot, "escape", "escape", "x", screen=StatisticsScreen)
        assert_inert(app, "医保[2J[/bar]")

        await go(pilot, "escape", "a", screen=AuditScreen)
        assert_inert(app, "说明]52;c;aGk=[/bar]]0;")


async def test_the_halls_screen_shows_poisoned_rows_inert(poisoned, station):
    from kiosk.public_app import PublicApp
    raw("INSERT INTO policy (station_id, title, qualifies, bring, apply_at, amount, tag, "
        "search_keys, active, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, '', 'dbj', "
        "TRUE, ?, 1)", station.id, f"低保{TITLE}[/bar]", f"困难{CLIPBOARD}[red]x[/red]",
        f"身份证{CLEAR}", f"村里{UNTERMINATED}", "[/bar]", now())
    raw("INSERT INTO publication (station_id, title, decided_on, decision, result, active, "
        "updated_at, version) VALUES (?, ?, ?, ?, ?, TRUE, ?, 1)", station.id,
        f"修路{CLIPBOARD}[/bar]", dt.date.today(), f"决议{TITLE}[red]x[/red]",
        f"结果{CLEAR}", now())
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_inert(app, "红旗村]52;c;aGk=[red]x[/red]")
        await go(pilot, "1", *poisoned["errand"].number.replace("-", ""), "enter",
                 *"1234", "enter")
        assert_inert(app, "医保[2J[/bar]", "户口本[2J[/bar]")
        await go(pilot, "escape", "2")
        assert_inert(app, "低保]0;pwned[/bar]", "困难]52;c;aGk=[red]x[/red]", "身份证[2J",
                     "村里]0;")
        await go(pilot, "escape", "3")
        assert_inert(app, "修路]52;c;aGk=[/bar]", "决议]0;pwned[red]x[/red]", "结果[2J")
        await go(pilot, "escape", "4")
        assert_inert(app, "医保[2J[/bar]")


async def test_disputes_show_poisoned_rows_inert(app, poisoned, admin):
    """A dispute's parties, title, sessions and report, each poisoned: the home
    line, the list and the detail show them as plain text."""
    from models.village.disputes import (
        DisputeForm,
        DisputeMove,
        PartyForm,
        SessionForm,
        hold_session,
        move_dispute,
        record_dispute,
    )
    from models.village.entities import Dispute
    from screens.dispute import DisputeScreen
    from screens.disputes import DisputesScreen

    head = acting(admin)
    dispute = record_dispute(DisputeForm("院墙", "land", "high", [
        PartyForm(poisoned["resident"].id), PartyForm(name="外地人")]), head)
    hold_session(dispute.id, SessionForm(None, "村委会", "双方", "各让一步"), head)
    dispute = Dispute.get_by_id(dispute.id)
    move_dispute(dispute.id, dispute.version, DisputeMove("escalated", to_whom="镇司法所"),
                 head)
    raw("UPDATE dispute_party SET name = ? WHERE resident_id IS NULL", f"外地{TITLE}[/bar]")
    raw("UPDATE dispute SET title = ?, summary = ? WHERE id = ?",
        f"院墙{CLIPBOARD}[red]x[/red]", f"经过{CLEAR}[/bar]", dispute.id)
    raw("UPDATE mediation_session SET place = ?, agreed = ?",
        f"村委会{UNTERMINATED}[/bar]", f"让步{TITLE}[b]")
    raw("UPDATE escalation SET to_whom = ?", f"司法所{CLIPBOARD}[/bar]")
    raw("INSERT INTO event (entity, entity_id, action, actor_id, at, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)", "dispute", dispute.id, "note", admin.id, now(),
        json.dumps({"reason": f"理由{CLIPBOARD}[/bar]"}))
    raw("UPDATE dispute SET status = 'mediating' WHERE id = ?", dispute.id)  # on home
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_inert(app, "院墙]52;c;aGk=[red]x[/red]")
        await go(pilot, "z", screen=DisputesScreen)
        assert_inert(app, "院墙]52;c;aGk=[red]x[/red]", "张三]0;pwned、外地]0;pwned[/bar]")
        await go(pilot, "enter", screen=DisputeScreen)
        assert_inert(app, "经过[2J[/bar]", "村委会]0;[/bar]", "让步]0;pwned[b]",
                     "司法所]52;c;aGk=[/bar]", "理由]52;c;aGk=[/bar]")


def test_the_terminal_receives_no_escape_from_the_data(db_url, poisoned, tmp_path):
    """The bytes a cadre's terminal gets, in a real pseudo-terminal: the person's
    record drawn (ID revealed), none of the sequences stored in it sent."""
    pytest.importorskip("pyte", reason="tuiprobe reads the screen with pyte")
    if not PROBE.exists():
        pytest.skip(f"no {PROBE}")
    launch = ("import sys; from models.core.db import database, make_database; "
              "database.initialize(make_database(sys.argv[1])); "
              "from kiosk.app import DutyDeskApp; DutyDeskApp(login='tester').run()")
    written = tmp_path / "terminal.bin"
    result = subprocess.run(
        [sys.executable, str(PROBE), "--wait", t("home.today_intake"), "--raw",
         str(written), "--keys", "r,text:zhangsan,enter,f7", "--expect", ID_NUMBER,
         "--", sys.executable, "-c", launch, db_url],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr
    sent = written.read_bytes()
    assert "腿脚不便".encode() in sent
    # Textual clears the screen itself (ESC [2J) but never sets a title or the
    # clipboard: those, and the data's clear, can only have come from the rows.
    for sequence in (b"\x1b]52", b"\x1b]0;", b"[/bar]\x1b[2J"):
        assert sequence not in sent


def test_notifications_only_through_tell():
    """`notify` reads its message as markup unless told otherwise, and writes any
    control character it holds: the screens and the shell call `tell()` instead."""
    callers = [f"{path.relative_to(ROOT)}:{number}"
               for package in ("screens", "kiosk") for path in (ROOT / package).rglob("*.py")
               if path.name != "shown.py"
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if ".notify(" in line]
    assert callers == []


async def test_the_visit_screens_show_poisoned_rows_inert(app, poisoned, station, admin):
    """The coverage board, the visit form with the household's file, the diary."""
    from models.core.entities import GroupCoverage
    from models.village.diary import DiaryForm, add_diary_entry
    from models.village.entities import Duty
    from models.village.visits import VisitForm, log_visit
    from screens.coverage import CoverageScreen
    from screens.diary import DiaryScreen
    from screens.visit import VisitScreen

    household = poisoned["resident"].household
    GroupCoverage.create(cadre=admin, group=household.group, since=dt.date(2025, 1, 1))
    visit = log_visit(VisitForm(household.id, now().replace(second=0, microsecond=0)
                                - dt.timedelta(days=9), [Duty.POLICY]), acting(admin))
    entry = add_diary_entry(DiaryForm("日记", about="03021"), acting(admin))
    raw("UPDATE visit SET needs = ?, met = ? WHERE id = ?", f"修路{CLIPBOARD}[/bar]",
        f"邻居{TITLE}", visit.id)
    raw("UPDATE diary_entry SET text = ? WHERE id = ?", f"日记{CLEAR}[red]x[/red]", entry.id)
    raw("UPDATE villager_group SET name = ? WHERE id = ?", f"一组{TITLE}[/bar]",
        household.group_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "v", screen=CoverageScreen)
        assert_inert(app, "一组]0;pwned[/bar]", "03021")
        await go(pilot, "enter", "l", screen=VisitScreen)
        assert_inert(app, "修路]52;c;aGk=[/bar]", "一组]0;pwned[/bar]", "医保[2J[/bar]",
                     "张三]0;pwned")
        await go(pilot, "escape", "m", screen=CoverageScreen)
        assert_inert(app, "03021")
        await go(pilot, "escape", "y", screen=DiaryScreen)
        assert_inert(app, "日记[2J[red]x[/red]", "03021")


async def test_the_policy_gaps_and_the_visit_s_policies_show_poisoned_rows_inert(
        app, poisoned, station):
    """The coverage board's 政策未宣讲 list, and the policies beside and on a visit."""
    from models.public.entities import Policy
    from models.village.entities import HouseholdTag, Tag
    from screens.coverage import CoverageScreen
    from screens.policy_gaps import PolicyGapsScreen
    from screens.visit import VisitScreen

    household = poisoned["resident"].household
    HouseholdTag.create(household=household, tag=Tag.DIBAO)
    policy = Policy.create(station=station, title="低保", tag=Tag.DIBAO)
    raw("UPDATE policy SET title = ?, qualifies = ? WHERE id = ?", f"低保{TITLE}[/bar]",
        f"困难{CLIPBOARD}[red]x[/red]", policy.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "v", screen=CoverageScreen)
        await go(pilot, "z", screen=PolicyGapsScreen)
        assert_inert(app, "低保]0;pwned[/bar]", "张三]0;pwned", "困难]52;c;aGk=[red]x[/red]")
        await go(pilot, "down", "enter", screen=VisitScreen)
        await go(pilot, "tab", "tab", "tab", "tab", "space")  # 政策宣讲: the policies show
        assert_inert(app, "★ 低保]0;pwned[/bar]")


async def test_the_township_table_shows_a_poisoned_station_name_inert(poisoned):
    from kiosk.app import DutyDeskApp
    from models.station.township import add_township_cadre
    from screens.township import TownshipScreen
    add_township_cadre("xiang", "乡镇督查")
    app = DutyDeskApp(login="xiang")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TownshipScreen)
        assert_inert(app, "红旗村]52;c;aGk=[red]x[/red]")
