"""Out in the village by key presses: the coverage board, logging a visit, a need
turned into a 代着办 errand, and the 民情日记."""
import datetime as dt

import pytest

from models.core.entities import Cadre, GroupCoverage, VillagerGroup
from models.core.i18n import t
from models.errands.entities import Errand
from models.people.entities import Household
from models.people.residents import ResidentForm, register_resident
from models.village.diary import DiaryForm, add_diary_entry
from models.village.entities import DiaryEntry, Duty, Tag, Visit, VisitErrand
from models.village.visits import (
    Rule,
    VisitForm,
    household_tags,
    log_visit,
    rule_for,
    set_household_tags,
)
from screens.coverage import CoverageScreen
from screens.diary import DiaryScreen
from screens.duty import DutySummaryScreen
from screens.errand import ErrandScreen
from screens.intake import IntakeScreen
from screens.receipt import ReceiptScreen
from screens.visit import DutyTick, VisitScreen

from tests.actors import our_station

from .conftest import SIZE, burst, screen_text, settle

NOW = dt.datetime.now().replace(second=0, microsecond=0)


@pytest.fixture
def group3(station, admin, head_session):
    """Group 3, covered by the head: 03001 (张大山, living alone, last visited ten
    days ago), 03002 (李秀英, never visited), 03003 (王有田, visited an hour ago).
    Made by a tool: no date they were made, so any past visit goes."""
    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 3))
    GroupCoverage.create(cadre=admin, group=group, since=NOW.date() - dt.timedelta(days=60))
    homes = {}
    for number, head in (("03001", "张大山"), ("03002", "李秀英"), ("03003", "王有田")):
        homes[number] = Household.create(group=group, number=number)
        register_resident(ResidentForm(name=head, household_number=number, relation="户主"),
                          head_session)
    set_household_tags(homes["03001"].id, [Tag.ALONE_ELDERLY], head_session)
    for number, ago in (("03001", dt.timedelta(days=10)), ("03003", dt.timedelta(hours=1))):
        log_visit(VisitForm(homes[number].id, NOW - ago, [Duty.POLICY]), head_session)
    return homes


async def step(pilot, *keys):
    await pilot.press(*keys)
    await settle(pilot)


async def open_board_on_group_3(pilot):
    await settle(pilot)
    await step(pilot, "v")
    assert isinstance(pilot.app.screen, CoverageScreen)
    await pilot.press("down", "down")  # groups 1, 2, 3
    await settle(pilot)


def household_rows(app) -> list[str]:
    return [f"{due.number} {due.overdue}" for due in app.screen.households]


async def test_the_board_shows_group_3_overdue_worst_first(app, group3):
    async with app.run_test(size=SIZE) as pilot:
        await open_board_on_group_3(pilot)
        text = screen_text(app)
        assert t("coverage.of_group", group="第三村民小组") in text
        assert household_rows(app) == ["03002 True", "03001 True", "03003 False"]
        assert t("coverage.never") in text and t("tag.alone_elderly") in text
        assert "王建国" in text  # who covers group 3


async def test_log_a_visit_turn_its_need_into_a_carried_errand(app, group3):
    async with app.run_test(size=SIZE) as pilot:
        await open_board_on_group_3(pilot)
        await pilot.press("enter")  # into the households: 03002 first, never visited
        await step(pilot, "l")
        assert isinstance(app.screen, VisitScreen)
        assert "03002" in screen_text(app) and "李秀英" in screen_text(app)
        # the when field holds now; on past it and who was met, to the first duty
        await pilot.press("tab", "tab", "tab", "tab", "space")
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"腿脚不便")
        await pilot.press("tab", *"医保报销")
        await step(pilot, "ctrl+s")
        visit = Visit.get(Visit.household == group3["03002"].id)
        assert (visit.duties, visit.found, visit.needs) == ([Duty.POLICY], "腿脚不便", "医保报销")
        assert visit.met_resident.name == "李秀英"  # the head, pressed to begin with
        assert t("visit.saved_need") in screen_text(app)
        await step(pilot, "e")
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.resident.name == "李秀英"
        assert "医保报销" in screen_text(app)
        await pilot.press(*"cxjmybfybx")  # 城乡居民医保费用报销, 代着办 by default
        await settle(pilot)
        await step(pilot, "enter")
        await step(pilot, "ctrl+s")
        assert isinstance(app.screen, ReceiptScreen)
        errand = Errand.get()
        await step(pilot, "enter")
        assert isinstance(app.screen, VisitScreen)  # back to the visit, the errand beside it
        assert errand.number in screen_text(app)
        app.push_screen(ErrandScreen(errand.id))  # and the errand names its visit
        await settle(pilot)
        assert "03002" in screen_text(app) and t("errand.from_visit") in screen_text(app)
        await step(pilot, "escape")
        await step(pilot, "escape")
        assert isinstance(app.screen, CoverageScreen)
        assert household_rows(app)[-1] == "03002 False"  # visited now: last of the list
        assert "2/3" in screen_text(app)
        await step(pilot, "escape")
        assert "1\n" + t("home.open_count") in screen_text(app)
        assert "1 户逾期未访" in screen_text(app)  # 03001 still; 03002 visited now
        await step(pilot, "s")
        assert isinstance(app.screen, DutySummaryScreen)
        head = next(row for row in app.screen.rows if row.name == "王建国")
        this_month = Visit.select().where(
            Visit.visited_at >= dt.datetime.combine(NOW.date().replace(day=1), dt.time()))
        assert this_month.count() in (2, 3)  # 03001's ten days ago may be last month's
        assert (head.visits, head.households_visited) == (this_month.count(),) * 2
    assert (errand.mode, errand.resident.name, errand.note) == ("carried", "李秀英", "医保报销")
    assert VisitErrand.get().visit_id == visit.id and VisitErrand.get().errand_id == errand.id


async def test_a_visit_in_the_future_is_refused_and_nothing_saved(app, group3):
    async with app.run_test(size=SIZE) as pilot:
        await open_board_on_group_3(pilot)
        await step(pilot, "enter", "l")
        when = app.screen.query_one("#field-visited_at")
        when.value = ""
        await pilot.press(*f"{NOW + dt.timedelta(days=2):%Y-%m-%d} 9:00")
        await step(pilot, "ctrl+s")
        assert t("visit.future") in screen_text(app)
        assert isinstance(app.screen, VisitScreen)
    assert Visit.select().where(Visit.household == group3["03002"].id).count() == 0


async def test_my_walk_lists_the_signed_in_cadres_overdue(app, group3):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step(pilot, "v")
        await step(pilot, "m")
        assert t("coverage.of_cadre", name="王建国") in screen_text(app)
        assert household_rows(app) == ["03002 True", "03001 True"]


async def test_a_duty_cadre_sees_no_rules_key(station, group3):
    Cadre.create(station=station, name="李值班", login="duty", role="duty")
    from kiosk.app import DutyDeskApp
    app = DutyDeskApp(login="duty")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step(pilot, "v")
        assert not app.screen.check_action("rules", ())
        await step(pilot, "r")
        assert isinstance(app.screen, CoverageScreen)


async def test_the_diary_add_and_search(app, group3, head_session):
    add_diary_entry(DiaryForm("村东头的路灯坏了", "", ""), head_session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step(pilot, "y")
        assert isinstance(app.screen, DiaryScreen)
        assert "村东头的路灯坏了" in screen_text(app)
        await step(pilot, "f2")
        await pilot.press("tab", *"03001")  # about 张大山's household
        await pilot.press("tab", *"张大山说想养羊")
        await step(pilot, "ctrl+s")
        assert isinstance(app.screen, DiaryScreen)
        assert "03001 张大山" in screen_text(app)
        await step(pilot, "f3", *"养羊")
        assert [row.entry.text for row in app.screen.rows] == ["张大山说想养羊"]
    entry = DiaryEntry.get(DiaryEntry.text == "张大山说想养羊")
    assert entry.household_id == group3["03001"].id and entry.day == dt.date.today()


async def test_a_diary_entry_too_long_is_refused_in_words(app, group3):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step(pilot, "y")
        await step(pilot, "f2")
        app.screen.query_one("#diary-text").text = "长" * 10_000
        await step(pilot, "ctrl+s")
        assert "10000" in screen_text(app)
        assert not isinstance(app.screen, DiaryScreen)  # the form stays, as typed
    assert DiaryEntry.select().count() == 0


async def test_a_visit_typed_in_one_burst_lands_where_it_was_typed(app, group3):
    """Over a slow link the ticks, tabs and words come in one write."""
    async with app.run_test(size=SIZE) as pilot:
        await open_board_on_group_3(pilot)
        await step(pilot, "enter", "l")
        await burst(pilot, "tab", "tab", "tab", "tab", "space", "tab", "tab", "space",
                    "tab", "tab", "tab", *"ok", "tab", *"need")
        await step(pilot, "ctrl+s")
    visit = Visit.get(Visit.household == group3["03002"].id)
    assert (visit.duties, visit.found, visit.needs) == (
        [Duty.POLICY, Duty.ERRANDS], "ok", "need")


async def test_the_head_sets_the_visit_rules_and_a_households_tags(app, group3):
    async with app.run_test(size=SIZE) as pilot:
        await open_board_on_group_3(pilot)
        assert app.screen.period == "week"  # the county's twice a week
        await step(pilot, "r")
        field = app.screen.query_one("#field-every")
        assert field.value == "2/7"
        field.value = ""
        await step(pilot, *"1/30", "ctrl+s")
        assert isinstance(app.screen, CoverageScreen)
        assert app.screen.period == "month"  # the board follows the new rule
        await step(pilot, "p")
        assert app.screen.period == "week"
        assert t("coverage.period.week", start="", end="")[:2] in screen_text(app)
        await step(pilot, "enter", "t")  # 03002, never visited
        await step(pilot, "space", "ctrl+s")  # the first tag: 低保户
        assert isinstance(app.screen, CoverageScreen)
        assert t("tag.dibao") in screen_text(app)
    assert household_tags(group3["03002"].id, station_id=our_station()) == [Tag.DIBAO]
    assert rule_for(group3["03003"].id, station_id=our_station()) == Rule(1, 30)


async def test_a_visit_starts_from_a_household_found_by_initials(app, group3):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step(pilot, "v", "n")
        assert isinstance(app.screen, VisitScreen)
        assert t("visit.find") in screen_text(app)
        await step(pilot, *"lxy")  # 李秀英, head of 03002
        await step(pilot, "enter")
        assert app.screen.household_id == group3["03002"].id
        assert app.focused.id == "field-visited_at"
        await step(pilot, "ctrl+s")  # no duty ticked
        assert t("visit.no_duty") in screen_text(app)
        assert isinstance(app.focused, DutyTick)
    assert Visit.select().where(Visit.household == group3["03002"].id).count() == 0


async def test_a_dispute_found_on_the_visit_is_recorded_from_it(app, group3):
    """j on a saved visit records a dispute found there: linked to the visit, and
    beside the household's next visit until it is settled."""
    from models.village.entities import Dispute
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # signed in, home shown
        app.push_screen(VisitScreen(group3["03002"].id))
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", "tab", "space")  # a duty: 政策宣讲
        await step(pilot, "ctrl+s")
        visit = Visit.get(Visit.household == group3["03002"].id)
        assert t("visit.side.open_disputes") in screen_text(app)
        await step(pilot, "j")
        assert t("dispute_form.from_visit") in screen_text(app)
        await step(pilot, "f3", "tab", "tab")
        await burst(pilot, *"赵大", "enter")
        await burst(pilot, *"争水")
        await step(pilot, "ctrl+s")
        assert isinstance(app.screen, VisitScreen)
        dispute = Dispute.get()
        assert dispute.visit_id == visit.id
        assert dispute.number in screen_text(app) and "争水" in screen_text(app)


async def test_the_board_prints_the_groups_contact_cards(app, group3, tmp_path, monkeypatch):
    from models.errands.printing import print_dir
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # PostgreSQL: the data dir
    async with app.run_test(size=SIZE) as pilot:
        await open_board_on_group_3(pilot)
        await step(pilot, "k")
        page = print_dir() / (t("cards.file", group=t("report.group", number=3)) + ".html")
        text = page.read_text(encoding="utf-8")
        assert all(number in text for number in ("03001", "03002", "03003"))
        assert "王建国" in text  # the cadre who covers group 3
        assert str(page) in "".join(n.message for n in app._notifications)
