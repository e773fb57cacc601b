"""A yearly enrolment run for a whole villager group, by key presses."""
import datetime as dt

import pytest

from models.core.entities import Event, VillagerGroup
from models.core.i18n import t
from models.core.validation import id_check_char
from models.errands.batches import start_batch
from models.errands.entities import Errand, ErrandBatch, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.lifecycle import Move, advance
from models.people.entities import Household
from models.people.residents import ResidentForm, register_resident
from screens.batch import BatchScreen
from screens.home import HomeScreen
from screens.widgets.dialogs import ChoiceScreen, PromptScreen

from .conftest import SIZE, burst, screen_text, settle

MEDICAL = "城乡居民医疗保险参保缴费"


def id_number(born: dt.date, seq: int) -> str:
    first17 = f"110105{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


@pytest.fixture
def households(station, head_session):
    groups = list(VillagerGroup.select().order_by(VillagerGroup.number))
    people = {}
    for group, number, members in [
        (0, "01001", [("张大山", "户主", 1950), ("李桂兰", "配偶", 1952)]),
        (0, "01002", [("[red]王[/red]", "户主", 1948), ("王强", "子", None)]),
        (1, "02001", [("赵六", "户主", 1990)]),
    ]:
        Household.create(group=groups[group], number=number)
        for name, relation, year in members:
            people[name] = register_resident(ResidentForm(
                name=name, relation=relation, household_number=number,
                id_number=id_number(dt.date(year, 3, 1), len(people)) if year else ""),
                head_session)
    return dict(groups=groups, people=people)


def rendered(app) -> str:
    """The screen as the terminal shows it."""
    import io

    from rich.console import Console
    console = Console(width=SIZE[0], height=SIZE[1], file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor")
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


async def open_batch_screen(app, pilot):
    await settle(pilot)
    assert isinstance(app.screen, HomeScreen)
    app.push_screen(BatchScreen())
    await settle(pilot)
    assert isinstance(app.screen, BatchScreen)


async def test_batch_for_one_group_by_keys(app, households, head_session):
    zhang = households["people"]["张大山"]
    item = ServiceItem.get(ServiceItem.name == MEDICAL)
    async with app.run_test(size=SIZE) as pilot:
        await open_batch_screen(app, pilot)
        assert app.focused.id == "item-query"
        assert t("batch.preview.heads", count=3) in screen_text(app)  # no group: all
        await pilot.press(*"cxjmylbxcbj")  # 城乡居民医疗保险参保缴费 by initials
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.item.name == MEDICAL
        assert app.focused.id == "groups"
        assert app.screen.query_one("#mode-on_the_spot").value  # the item's default
        await pilot.press("space")  # 第一村民小组
        await settle(pilot)
        assert t("batch.preview.heads", count=2) in screen_text(app)
        await pilot.press("tab")  # the minimum age: one errand per person of 60+
        await pilot.press(*"60")
        await settle(pilot)
        text = screen_text(app)
        assert (t("batch.preview.people", count=3, age=60)
                + t("batch.preview.no_id", count=1)) in text
        assert any(line.startswith(t("batch.reason.no_id_number")) and line.endswith("王强")
                   for line in text.splitlines())  # who was left out, and why
        await pilot.press("backspace", "backspace")  # back to heads of households
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert t("batch.created", title=ErrandBatch.get().title, created=2) in text
        assert app.screen.query_one("#tabs").active == "progress"
        table = app.screen.query_one("#progress-table")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        group, registered = households["groups"][0].name, t("status.registered")
        assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
            ("张大山", "01001", group, registered),
            ("[red]王[/red]", "01002", group, registered)]  # literally
        assert t("batch.progress.done", done=0, total=2) in text
        assert "[red]王[/red]" in rendered(app)  # names are shown as typed
        assert f"{MEDICAL}" in text
        # progress follows the errands: one is done at the desk
        errand = Errand.get(Errand.resident == zhang.id)
        advance(errand.id, errand.version, Move("delivered", missing_ok=True), head_session)
        app.screen.on_data_changed()
        await settle(pilot)
        text = screen_text(app)
        assert t("batch.progress.done", done=1, total=2) in text
        # 马上办: finished at the desk, not delivered
        assert str(table.get_row_at(0)[4]) == t("status.done_at_desk")
        assert t("batch.progress.count", status=t("status.done_at_desk"), count=1) in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    batch = ErrandBatch.get()
    errands = list(Errand.select().where(Errand.batch == batch.id).order_by(Errand.number))
    assert sorted(e.resident.name for e in errands) == ["[red]王[/red]", "张大山"]
    assert {(e.item_id, e.mode, e.owner.login) for e in errands} == {
        (item.id, "on_the_spot", "tester")}
    assert ErrandMaterial.select().where(ErrandMaterial.errand.in_(
        [e.id for e in errands])).count() == 4
    assert Event.select().where(Event.entity == "errand", Event.action == "create"
                                ).count() == 2


async def test_open_errands_are_skipped_and_nothing_twice(app, households, station,
                                                          head_session):
    item = ServiceItem.get(ServiceItem.name == MEDICAL)
    register_errand(IntakeForm(households["people"]["赵六"].id, item.id, "carried"),
                    station.id, head_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_batch_screen(app, pilot)
        await pilot.press("ctrl+s")  # no item yet
        await settle(pilot)
        error = app.screen.query_one("#batch-error")
        assert str(error.render()) == t("intake.need.item")
        assert ErrandBatch.select().count() == 0
        await pilot.press(*"cxjmylbxcbj", "enter")
        await settle(pilot)
        assert t("batch.preview.open", count=1) in screen_text(app)
        app.screen.action_create()
        app.screen.action_create()  # pressed again before the first is saved: ignored
        await settle(pilot)
        assert (t("batch.created", title=ErrandBatch.get().title, created=2)
                + t("batch.skipped", count=1)) in screen_text(app)
        everyone_open = t("batch.all_open", count=3)
        assert everyone_open not in screen_text(app)  # no second attempt
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+s")  # everyone has it open now
        await settle(pilot)
        assert everyone_open in screen_text(app)
    assert ErrandBatch.select().count() == 1
    assert Errand.select().count() == 3


async def test_pick_an_earlier_batch(app, households, station, head_session):
    item = ServiceItem.get(ServiceItem.name == MEDICAL)
    pension = ServiceItem.get(ServiceItem.name == "养老保险待遇资格认证")
    first = start_batch(station.id, item.id, "on_the_spot", [], per_person_min_age=None,
                        actor=head_session, title="医保参保")
    start_batch(station.id, pension.id, "on_the_spot", [households["groups"][1].id],
                per_person_min_age=None, actor=head_session, title="养老认证")
    async with app.run_test(size=SIZE) as pilot:
        await open_batch_screen(app, pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert app.focused.id == "batch-list"
        listing = app.screen.query_one("#batch-list")
        listed = [str(listing.get_option_at_index(i).prompt)
                  for i in range(listing.option_count)]
        expected = [(t("batch.list.entry", done=0, total=1), "养老认证"),
                    (t("batch.list.entry", done=0, total=3), "医保参保")]
        assert len(listed) == len(expected)
        assert all(line.startswith(entry) and line.endswith(title)
                   for line, (entry, title) in zip(listed, expected))
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.batch_id == first.batch_id
        assert app.screen.query_one("#progress-table").row_count == 3
        assert t("batch.progress.done", done=0, total=3) in screen_text(app)


async def test_age_typed_over_in_one_burst(app, households):
    """Backspace Backspace 7 0 arriving together makes 70 of 60, not 6 or 60."""
    async with app.run_test(size=SIZE) as pilot:
        await open_batch_screen(app, pilot)
        app.screen.query_one("#min-age").focus()
        await pilot.press(*"60")
        await burst(pilot, "backspace", "backspace", *"70")
        assert app.screen.query_one("#min-age").value == "70"


async def test_a_big_batch_is_confirmed_and_unstarted_ones_cancelled(app, households,
                                                                    head_session,
                                                                    monkeypatch):
    monkeypatch.setattr("models.errands.batches.HANDFUL", 2)  # the three heads are many
    async with app.run_test(size=SIZE) as pilot:
        await open_batch_screen(app, pilot)
        await pilot.press(*"cxjmylbxcbj", "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        text = rendered(app)
        assert t("batch.confirm.title", count=3) in text
        assert t("batch.confirm.sample", sample="张大山、[red]王[/red]、赵六……") in text
        await pilot.press("down", "enter")  # 返回修改
        await settle(pilot)
        assert isinstance(app.screen, BatchScreen) and Errand.select().count() == 0
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # 确认建立 3 件
        await settle(pilot)
        assert Errand.select().count() == 3
        first = Errand.select().order_by(Errand.number).first()
        advance(first.id, first.version, Move("in_progress"), head_session)  # started
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"县里改为网上申报", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BatchScreen)
        assert t("batch.cancelled", count=2) in [n.message for n in app._notifications]
        table = app.screen.query_one("#progress-table")
        states = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert sorted(states) == sorted([t("status.in_progress")]
                                        + [t("status.cancelled")] * 2)
    assert [e.status for e in Errand.select().order_by(Errand.number)] == [
        "in_progress", "cancelled", "cancelled"]
