"""Residents browser, first-run setup, help and the command palette, by keys."""
from textual.widgets import Input

from kiosk.app import DutyDeskApp
from models.core.entities import Cadre, Station, VillagerGroup
from models.core.i18n import t
from models.duty.roster import gaps_ahead
from models.errands.entities import Errand, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.people.entities import Resident
from models.people.residents import ResidentForm, register_resident, update_resident
from screens.help import HelpScreen
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.resident_form import ResidentFormScreen
from screens.residents import ResidentsScreen
from screens.widgets.person_search import PersonSearch

from .conftest import SIZE, burst, screen_text, settle


async def test_first_run_sets_up_the_station(db):
    app = DutyDeskApp(login="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert t("setup.title") in screen_text(app)
        await pilot.press(*"红旗村便民服务站", "enter", *"城关镇", "enter", "enter")
        await pilot.press("enter", *"12345")  # no name, a short phone
        await pilot.press("enter")
        await settle(pilot)
        assert t("invalid.text_empty", label=t("setup.admin_name")) in screen_text(app)
        assert Station.select().count() == 0
        app.screen.query_one("#field-admin_name").value = "王建国"
        app.screen.query_one("#field-admin_phone").value = "138 1234 5678"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "红旗村便民服务站" in screen_text(app)
    admin = Cadre.get()
    assert (admin.name, admin.role, admin.login, admin.phone) == \
        ("王建国", "admin", "tester", "13812345678")
    assert ServiceItem.select().count() >= 25


async def test_browse_a_person_and_their_errands(app, station, head_session, villagers):
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    for mode in ("carried", "mobile"):
        register_errand(IntakeForm(villagers["张三"].id, item.id, mode), station.id, head_session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ResidentsScreen)
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "138****1234" in text and "13812341234" not in text  # masked
        assert text.count("城乡居民医保费用报销") == 2
        assert t("mode.carried") in text and t("mode.mobile") in text
        await pilot.press("f6")  # intake for this person
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.resident.name == "张三"


async def test_edit_refused_when_someone_saved_first(app, head_session, villagers):
    person = villagers["张松"]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", *"zhangsong", "enter")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        # another cadre, in another session, saves first
        update_resident(person.id, person.version,
                        ResidentForm(name="张松", phone="13900001111"), head_session)
        app.screen.query_one("#field-note").value = "腿脚不便"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("error.stale") in screen_text(app)
        # the fresh phone, masked as the form always shows it; left so, it is kept
        assert app.screen.query_one("#field-phone").value == "139****1111"
        await pilot.press("ctrl+s")  # saved on top of the fresh version
        await settle(pilot)
        assert isinstance(app.screen, ResidentsScreen)
    person = type(person).get_by_id(person.id)
    assert (person.phone, person.version) == ("13900001111", 3)


async def test_help_lists_the_keys(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert t("key.intake") in text and t("key.residents") in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_palette_jumps_to_a_resident(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"zhangsong")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResidentsScreen)
        assert app.screen.overview.resident.name == "张松"


async def test_help_and_palette_speak_chinese(app, villagers):
    """Textual's own keys and commands are the catalogue's too."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = screen_text(app)
        assert t("help.focus_next") in text and "Focus" not in text
        await pilot.press("escape", "ctrl+p")
        await pilot.pause(0.5)
        palette = app.screen
        assert palette.query_one(Input).placeholder == t("palette.placeholder")
        text = screen_text(app)  # the commands on offer before anything is typed
        assert t("key.quit") in text
        assert not any(word in text for word in ("Theme", "Quit", "Keys", "Screenshot"))
        await pilot.press(*"qxqxqx")
        await pilot.pause(1.0)
        text = screen_text(app)
        assert t("palette.none") in text and "No matches" not in text


async def test_home_counts_follow_other_sessions(app, station, head_session, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"0\n{t('home.today_intake')}" in screen_text(app)
        item = ServiceItem.get(ServiceItem.name == "村委会证明开具")
        register_errand(IntakeForm(villagers["张三"].id, item.id, "on_the_spot"),
                        station.id, head_session)  # saved by another session
        await pilot.pause(2.0)
        await settle(pilot)
        assert f"1\n{t('home.today_intake')}" in screen_text(app)
    assert Errand.select().count() == 1


async def test_home_counts_are_current_when_back_from_intake(app, station, head_session,
                                                            villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        item = ServiceItem.get(ServiceItem.name == "村委会证明开具")
        register_errand(IntakeForm(villagers["张三"].id, item.id, "on_the_spot"),
                        station.id, head_session)  # as the intake saves it
        await pilot.press("escape")
        await settle(pilot)  # well before the next poll
        assert isinstance(app.screen, HomeScreen)
        assert f"1\n{t('home.today_intake')}" in screen_text(app)


async def test_home_flags_hours_nobody_is_on_duty(app, station):
    """A fresh station has no roster yet: the home screen says so."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert t("home.gaps", count=len(gaps_ahead(station.id))) in screen_text(app)


async def test_station_head_changes_the_callback_rule(app, station):
    from screens.settings import SettingsScreen
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("enter", "enter", "backspace", "7", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert Station.get_by_id(station.id).callback_days == 7
    assert Station.get_by_id(station.id).shared_login is None  # left as it was


async def test_station_head_names_the_shared_login(app, station):
    from screens.settings import SettingsScreen
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert t("settings.shared_login") in screen_text(app)
        app.screen.query_one("#field-shared_login").focus()
        await pilot.press(*"tester", "ctrl+s")  # the head's own login: refused
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert t("cadre.login_taken", login="tester", name="王建国") in screen_text(app)
        app.screen.query_one("#field-shared_login").value = "zhiban"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert Station.get_by_id(station.id).shared_login == "zhiban"


async def test_station_head_gives_the_duty_phone(app, station):
    from screens.settings import SettingsScreen
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#field-duty_phone").focus()
        await pilot.press(*"138 0000 1111", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert Station.get_by_id(station.id).duty_phone == "13800001111"


async def test_settings_are_for_the_station_head(db, station):
    from models.core.entities import Cadre
    Cadre.create(station=station, name="李干事", login="li", role="duty")
    app = DutyDeskApp(login="li")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_setup_typed_in_one_burst(db):
    """A slow link delivers the whole form at once: every key lands in the field it was
    typed in, the Backspace after an Enter included."""
    app = DutyDeskApp(login="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, *"红旗村便民服务站", "enter", *"城关镇镇", "backspace", "enter",
                    "backspace", "3", "enter", *"王建国", "enter", *"13812345678", "enter")
        assert isinstance(app.screen, HomeScreen)
    admin, station = Cadre.get(), Station.get()
    assert (station.name, station.township) == ("红旗村便民服务站", "城关镇")
    assert (admin.name, admin.phone) == ("王建国", "13812345678")
    assert VillagerGroup.select().count() == 3


async def test_the_reading_shown_is_the_names(app, station, head_session):
    # pypinyin's own reading would show "zhang zhang le" and "li zhong yang"
    for name in ("张长乐", "李重阳"):
        register_resident(ResidentForm(name=name), head_session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", *"zhangchangle")
        await settle(pilot)
        assert "zhang chang le" in screen_text(app)  # the list of those found
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.overview.resident.name == "张长乐"
        assert "张长乐  zhang chang le" in screen_text(app)  # the person's record
        app.screen.query_one(PersonSearch).query_one(Input).value = ""
        await pilot.press(*"lichongyang")
        await settle(pilot)
        assert "li chong yang" in screen_text(app)
        assert "zhong" not in screen_text(app)


async def test_an_old_15_digit_id_number_offers_its_18_digit_form(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", "f2")
        await settle(pilot)
        assert isinstance(app.screen, ResidentFormScreen)
        assert t("resident_form.keys_offer") not in screen_text(app)
        await pilot.press(*"李四", "enter", *"110105491231002", "ctrl+s")
        await settle(pilot)
        assert "11010519491231002X" in screen_text(app)  # said in the problem line
        assert t("resident_form.keys_offer") in screen_text(app)  # and a key takes it
        assert Resident.select().count() == 0  # nothing saved until it is taken
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.query_one("#field-id_number").value == "11010519491231002X"
        assert t("resident_form.keys_offer") not in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResidentsScreen)
    assert Resident.get(Resident.name == "李四").id_number == "11010519491231002X"
