"""A township server: many stations in one database, each desk on its own."""
from textual.widgets import DataTable

from kiosk.app import DutyDeskApp
from models.core.entities import Cadre
from models.station.setup import SetupForm, set_up_station
from screens.home import HomeScreen

from .conftest import SIZE, settle


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

    from .conftest import screen_text
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
        shown_keys = {key for key, b in app.screen.active_bindings.items() if b.binding.show}
        assert shown_keys <= {"enter", "escape", "f1", "ctrl+q"}, shown_keys  # no changes
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.session.station_id == other.id and app.session.is_township
        assert isinstance(app.screen, QueueScreen)
        assert errand.number not in screen_text(app)  # 红旗村's errand: not in 东风村
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("up", "enter")
        await settle(pilot)
        assert app.session.station_id == station.id
        assert errand.number in screen_text(app)
