"""A township server: many stations in one database, each desk on its own."""
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
