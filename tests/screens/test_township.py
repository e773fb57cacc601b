"""A township server: many stations in one database, each desk on its own; the
township reads them all and is offered no key that would change one."""
import pytest
from textual.widgets import DataTable, Static

from kiosk.app import DutyDeskApp
from models.core.entities import Cadre
from models.core.i18n import t
from models.station.setup import SetupForm, set_up_station
from screens.home import HomeScreen

from .conftest import SIZE, screen_text, settle


async def test_a_cadre_of_the_second_station_signs_in_to_their_own(db, station):
    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                        admin_name="赵站长", admin_login="zhao"))
    Cadre.create(station=other, name="钱干事", login="qian", role="duty")
    app = DutyDeskApp(login="qian")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert (app.session.station_id, app.session.station_name) == (
            other.id, "东风村便民服务站")


async def test_the_township_sees_the_stations_side_by_side_and_reads_one(db, station,
                                                                         errand):
    from models.station.township import add_township_cadre
    from screens.queue import QueueScreen
    from screens.township import TownshipScreen

    other, _ = set_up_station(SetupForm(station_name="东风村便民服务站", group_count="1",
                                        admin_name="赵站长", admin_login="zhao"))
    add_township_cadre("xiang", "乡镇督查")
    app = DutyDeskApp(login="xiang")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TownshipScreen)
        assert len(app.screen.query_one(DataTable).columns) == len(TownshipScreen.COLUMNS)
        text = screen_text(app)
        assert "红旗村便民服务站" in text and "东风村便民服务站" in text
        # the township as a whole: 红旗村's errand, due today; each head 15 nights a month
        assert t("township.total", open=1, overdue="0%", satisfied="—", nights=0, due=30,
                 coverage="—") in text
        shown_keys = {key for key, b in app.screen.active_bindings.items() if b.binding.show}
        assert shown_keys <= {"enter", "escape", "f1", "ctrl+q"}, shown_keys  # no changes
        await step(pilot, "down", "enter")
        assert app.session.station_id == other.id and app.session.is_township
        assert isinstance(app.screen, HomeScreen)  # the station's home, read only
        await step(pilot, "e")
        assert isinstance(app.screen, QueueScreen)
        assert errand.number not in screen_text(app)  # 红旗村's errand: not in 东风村
        await step(pilot, "escape", "escape")  # the queue, the station's home
        assert isinstance(app.screen, TownshipScreen)
        await step(pilot, "up", "enter", "e")
        assert app.session.station_id == station.id
        assert errand.number in screen_text(app)


async def step(pilot, *keys):
    await pilot.press(*keys)
    await settle(pilot)


async def keys_offered(pilot) -> set[str]:
    """What the keys of the screen on top do, as the key line and F1 name them."""
    from screens.help import HelpScreen
    from screens.widgets.keybar import KeyBar
    app = pilot.app
    screen = app.screen
    line = {pair.strip().split(" ", 1)[1]
            for pair in screen.query_one(KeyBar).shown.replace("\n", "  ").split("  ")
            if pair.strip()}
    await step(pilot, "f1")
    assert isinstance(app.screen, HelpScreen)
    listed = {row.strip().split("  ", 1)[1]
              for row in str(app.screen.query(Static).first().render()).splitlines()}
    await step(pilot, "escape")
    assert app.screen is screen and line <= listed
    return listed


# (the screen, the keys that open it from the station's home, the keys that change
# data there: named on the key line or in F1 for a station's cadre only)
HOME_WRITES = ("i", "d", "j", "n")
QUEUE_WRITES = ("a", "n", "o", "c", "p")
ERRAND_WRITES = ("k", "b", "m", "l", "a", "n", "o", "c")
COVERAGE_WRITES = ("l", "n", "t", "enter")
ROSTER_WRITES = ("s", "u", "l", "g", "m")
WRITE_WORDS = {
    "HomeScreen": ("key.intake", "key.duty", "key.handover", "key.night"),
    "QueueScreen": ("key.advance", "key.note", "key.reassign", "key.callback",
                    "key.phone_call"),
    "ErrandScreen": ("key.return_original", "key.receive_material", "key.merge", "key.link",
                     "key.advance"),
    "CoverageScreen": ("key.log_visit", "key.new_visit", "key.tags"),
    "RosterScreen": ("roster.key.swap", "roster.key.substitute", "roster.key.leave"),
}
READ_WORDS = {
    "HomeScreen": ("key.queue", "key.residents", "key.roster", "key.coverage", "key.stats"),
    "QueueScreen": ("key.filter", "key.search", "key.carry_list", "key.receipt"),
    "ErrandScreen": ("key.back",),
    "CoverageScreen": ("key.by_cadre", "key.period", "key.policy_gaps"),
    "RosterScreen": ("roster.key.prev", "roster.key.next"),
}


async def walk_the_station(app, pilot, visit):
    """Home, the queue, an errand, the coverage board and the roster: `visit(name)`
    on each, back home after each."""
    await visit("HomeScreen")
    for opens, name in ((("e",), "QueueScreen"), (("e", "enter"), "ErrandScreen"),
                        (("v", "enter"), "CoverageScreen"), (("w",), "RosterScreen")):
        await step(pilot, *opens)
        assert type(app.screen).__name__ == name
        await visit(name)
        while type(app.screen).__name__ != "HomeScreen":
            await step(pilot, "escape")


@pytest.fixture
def household(station):
    from models.core.entities import VillagerGroup
    from models.people.entities import Household
    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1))
    return Household.create(group=group, number="01001")


async def test_the_township_is_offered_no_key_that_changes_a_station(db, station, errand,
                                                                   household):
    from models.core.entities import Event
    from models.station.township import add_township_cadre
    add_township_cadre("xiang", "乡镇督查")
    writes = {"HomeScreen": HOME_WRITES, "QueueScreen": QUEUE_WRITES,
              "ErrandScreen": ERRAND_WRITES, "CoverageScreen": COVERAGE_WRITES,
              "RosterScreen": ROSTER_WRITES}
    app = DutyDeskApp(login="xiang")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await step(pilot, "enter")  # 红旗村, the first station
        assert not app._notifications, [n.message for n in app._notifications]
        events = Event.select().count()

        async def visit(name: str) -> None:
            offered = await keys_offered(pilot)
            assert [t(key) for key in WRITE_WORDS[name] if t(key) in offered] == [], name
            assert [t(key) for key in READ_WORDS[name] if t(key) not in offered] == [], \
                (name, offered)
            screen = app.screen
            for key in writes[name]:
                await step(pilot, key)
                assert app.screen is screen, (name, key)  # no form, no dialog opened
                assert not app._notifications, (key, [n.message for n in app._notifications])
            assert not app._notifications, [n.message for n in app._notifications]
            assert Event.select().count() == events  # nothing written, nothing refused

        await walk_the_station(app, pilot, visit)
        assert t("key.township_stations") in await keys_offered(pilot)


async def test_a_station_cadre_is_offered_the_keys_that_change_it(db, station, errand,
                                                                household, hua):
    app = DutyDeskApp(login="hua")  # a duty cadre, not the head
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def visit(name: str) -> None:
            offered = await keys_offered(pilot)
            assert all(t(key) in offered for key in WRITE_WORDS[name] + READ_WORDS[name]), \
                (name, offered)
            assert t("key.township_stations") not in offered

        await walk_the_station(app, pilot, visit)
