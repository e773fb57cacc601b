"""The signed-in session: what screens read, and that it follows the database."""
import asyncio

from models.core import history
from models.core.entities import Cadre, Station
from models.core.session import Role
from screens.home import HomeScreen

from .conftest import SIZE, screen_text, settle


async def wait_for_poll(pilot):
    await asyncio.sleep(2.0)  # one poll interval (1.5 s) and a little
    await settle(pilot)


async def test_a_role_given_in_another_session_takes_effect_without_signing_in_again(
        db, station, head_session):
    Cadre.create(station=station, name="李干事", login="li", role="duty")
    from kiosk.app import DutyDeskApp
    app = DutyDeskApp(login="li")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session.role is Role.DUTY and not app.session.is_head
        li = Cadre.get(Cadre.login == "li")
        Cadre.update(role=Role.HEAD.value).where(Cadre.id == li.id).execute()
        history.record("cadre", li.id, "edit", head_session, role=Role.HEAD.value)
        await wait_for_poll(pilot)
        assert app.session.is_head


async def test_home_shows_a_renamed_station(app, station, head_session):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        Station.update(name="新星村便民服务站").where(Station.id == station.id).execute()
        history.record("station", station.id, "edit", head_session, name="新星村便民服务站")
        await wait_for_poll(pilot)
        assert app.session.station_name == "新星村便民服务站"
        assert "新星村便民服务站" in screen_text(app)


async def test_a_login_with_no_cadre_never_gets_the_desk(db, station):
    from kiosk.app import DutyDeskApp
    app = DutyDeskApp(login="stranger")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    assert app.session is None


async def test_a_cadre_deactivated_meanwhile_is_signed_out(db, station, head_session):
    Cadre.create(station=station, name="李干事", login="li", role="duty")
    from kiosk.app import DutyDeskApp
    app = DutyDeskApp(login="li")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        li = Cadre.get(Cadre.login == "li")
        Cadre.update(active=False).where(Cadre.id == li.id).execute()
        history.record("cadre", li.id, "deactivate", head_session)
        await wait_for_poll(pilot)
    assert app.return_code == 1
