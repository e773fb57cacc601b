"""The signed-in session: what screens read, and that it follows the database."""
import asyncio

from models.core import history
from models.core.entities import Cadre, Station
from models.core.i18n import t
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


def share_the_desk(station, head_session, *pins):
    """The station's desk signed into as "zhiban"; cadres with their PINs."""
    from models.station.pins import set_pin
    from models.station.settings import SettingsForm, settings_of, update_settings
    _, templates = settings_of(station.id)
    update_settings(station.id, Station.get_by_id(station.id).version, SettingsForm(
        station.name, station.township, "3", "15",
        {tp.id: f"{tp.name} {tp.starts}-{tp.ends}" for tp in templates}, "zhiban"),
        head_session)
    cadres = []
    for name, pin in pins:
        cadre = Cadre.create(station=station, name=name, role="duty")
        set_pin(cadre.id, pin, head_session)
        cadres.append(cadre)
    return cadres


async def test_at_a_shared_login_the_cadre_says_who_they_are_by_pin(
        db, station, head_session):
    from kiosk.app import DutyDeskApp
    from screens.pin_sign_in import PinSignInScreen
    _, zhou = share_the_desk(station, head_session, ("李干事", "1111"),
                             ("[/b]周\x1b]0;x\x07", "2468"))
    app = DutyDeskApp(login="zhiban")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PinSignInScreen) and app.session is None
        assert "李干事" in screen_text(app) and "[/b]周" in screen_text(app)
        await pilot.press("down", "enter", *"1111", "enter")  # 周's name, 李's PIN
        await settle(pilot)
        assert isinstance(app.screen, PinSignInScreen) and app.session is None
        assert t("pin.wrong", left=4) in screen_text(app)
        assert app.screen.query_one("#pin").value == ""
        await pilot.press(*"２４６８", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert (app.session.cadre_id, app.session.login) == (zhou.id, "zhiban")
    assert [e.action for e in history.history("cadre", zhou.id)][-2:] == [
        "pin_failed", "signed_in_pin"]


async def test_a_shared_login_with_no_pins_set_says_what_to_do(db, station, head_session):
    from kiosk.app import DutyDeskApp
    share_the_desk(station, head_session)
    app = DutyDeskApp(login="zhiban")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert t("pin.none_yet") in screen_text(app) and app.session is None
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert app.session is None


async def test_a_shared_login_cannot_act_as_anyone(db, station, head_session):
    from kiosk.app import DutyDeskApp
    share_the_desk(station, head_session)
    app = DutyDeskApp(login="zhiban", act_as="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 1 and app.session is None


async def test_a_browser_desk_never_signs_a_login_in_without_a_pin(db, station, head_session):
    """`kiosk serve`'s sessions: a cadre's own login (or one no longer shared) is
    refused rather than signed in as that cadre."""
    from kiosk.app import DutyDeskApp
    app = DutyDeskApp(login="tester", pin_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 1 and app.session is None
