"""The station head's screens, by keys: the first day, cadres, households, the
catalogue; and a duty cadre who does not get them."""
import pytest

from kiosk.app import DutyDeskApp
from models.core.entities import Cadre, GroupCoverage, VillagerGroup
from models.core.i18n import t
from models.core.validation import ValidationError
from models.errands.entities import Errand, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.people.entities import Household, Resident
from models.station.groups import GroupForm, add_group
from screens.cadres import CadreErrandsScreen, CadreFormScreen, CadresScreen
from screens.catalogue import CatalogueScreen, ItemFormScreen
from screens.home import HomeScreen
from screens.households import HouseholdFormScreen, HouseholdsScreen
from screens.intake import IntakeScreen
from screens.table_import import ImportScreen
from screens.widgets.dialogs import ChoiceScreen
from tests.actors import acting

from .conftest import SIZE, screen_text, settle


async def keys(pilot, *presses: str) -> None:
    """Each key in turn, and what it started finished before the next."""
    for key in presses:
        await pilot.press(key)
        await settle(pilot)


async def test_first_day_says_what_to_do_next(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        for key in ("home.first_day", "home.first_day.households", "home.first_day.team",
                    "home.first_day.catalogue", "home.head_hint"):
            assert t(key) in text, key
        for key, screen in (("u", ImportScreen), ("f", HouseholdsScreen),
                            ("c", CadresScreen), ("m", CatalogueScreen)):
            await keys(pilot, key)
            assert isinstance(app.screen, screen)
            await keys(pilot, "escape")


async def test_add_a_cadre_who_covers_groups(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "c", "f2")
        assert isinstance(app.screen, CadreFormScreen)
        await pilot.press(*"李华", "enter", *"Li", "enter", *"13900001111", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("cadre.bad_login", given="Li") in screen_text(app)  # nothing saved
        form = app.screen
        form.query_one("#field-login").value = "lihua"
        form.query_one("#field-name").value = "李华[/bar]"
        first = VillagerGroup.get(VillagerGroup.number == 1)
        form.query_one(f"#group-{first.id}").focus()
        await pilot.press("space", "tab", "tab", "space")  # groups 1 and 3
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CadresScreen)
        assert "李华[/bar]" in screen_text(app)
    li = Cadre.get(Cadre.login == "lihua")
    assert (li.name, li.phone, li.role) == ("李华[/bar]", "13900001111", "duty")
    assert sorted(c.group.number for c in GroupCoverage.select().where(
        GroupCoverage.cadre == li.id)) == [1, 3]


async def test_add_a_household_with_its_head(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "f", "f2")
        assert isinstance(app.screen, HouseholdFormScreen)
        await pilot.press(*"03021", "enter", *"3", "enter")
        app.screen.query_one("#field-address").value = "东头\x1b]0;x\x07[/bar]12号"
        await pilot.press("enter", *"王大山", "enter", "enter", "enter")  # saves
        await settle(pilot)
        assert t("invalid.text_control", label=t("household.address")) in screen_text(app)
        app.screen.query_one("#field-address").value = "东头[/bar]12号"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdsScreen)
        text = screen_text(app)
        assert "03021" in text and "东头[/bar]12号" in text and "王大山" in text
    household = Household.get(Household.number == "03021")
    assert household.group.number == 3
    assert Resident.get(Resident.household == household).relation == "户主"


async def test_a_catalogue_item_with_only_accompanied(app, station, admin, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "m", "f2")
        assert isinstance(app.screen, ItemFormScreen)
        await pilot.press(*"户籍管理", "enter", *"户口本补办", "enter", *"10", "enter")
        await pilot.press(*"身份证,户口本原件*", "enter")  # on to the ways
        await pilot.press("space", "tab", "space", "tab", "tab", "space")  # only 领着办
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # default: 领着办 (the first key finds 代着办)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen), screen_text(app)
        assert t("mode.accompanied") in screen_text(app)
        item = ServiceItem.get(ServiceItem.name == "户口本补办")
        assert (item.allowed_modes, item.default_mode, item.originals) == \
            (["accompanied"], "accompanied", ["户口本原件"])
        # retire another item: intake no longer offers it
        await pilot.press("escape", "i", *"zhangsan", "enter")
        await settle(pilot)
        await pilot.press(*"hkbbb", "enter")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert t("intake.only_ways", ways=t("mode.accompanied")) in screen_text(app)
        app.screen.query_one("#mode-carried").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("intake.mode_not_allowed", item="户口本补办", mode=t("mode.carried"),
                 allowed=t("mode.accompanied")) in screen_text(app)
    assert not Errand.select().exists()


async def test_retire_an_item(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "m")
        first = app.screen.current()
        await pilot.press("x")
        await settle(pilot)
        assert not ServiceItem.get_by_id(first.id).active
        assert t("catalogue.retired") in screen_text(app)


async def test_deactivate_a_cadre_with_open_errands(app, station, admin, villagers):
    li = Cadre.create(station=station, name="李华", login="lihua")
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    errands = [register_errand(IntakeForm(villagers[name].id, item.id, "carried"),
                               station.id, acting(li)) for name in ("张三", "[/bar]")]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "c")
        await pilot.press("down", "x")  # 李华 is second
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # 停用
        await settle(pilot)
        assert isinstance(app.screen, CadreErrandsScreen), [n.message for n in app._notifications]
        text = screen_text(app)
        assert all(e.number in text for e in errands)
        for _ in errands:
            await pilot.press("o")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            await pilot.press("enter")  # to the head, the one active cadre left
            await settle(pilot)
        assert app.screen.rows == []
    assert not Cadre.get_by_id(li.id).active
    assert {e.owner_id for e in Errand.select()} == {admin.id}


async def test_a_duty_cadre_gets_no_admin_keys(station):
    Cadre.create(station=station, name="李干事", login="li", role="duty")
    app = DutyDeskApp(login="li")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert t("home.head_hint") not in text and t("home.first_day") not in text
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not {"cadres", "groups", "households", "import_register", "catalogue",
                    "settings"} & shown
        for key in ("c", "g", "f", "u", "m", "ctrl+o"):
            await keys(pilot, key)
            assert isinstance(app.screen, HomeScreen), key
        # and were a screen to call the model all the same, it refuses
        with pytest.raises(ValidationError) as refused:
            add_group(GroupForm("9"), app.session)
        assert refused.value.code == "guard.head_only"
    assert VillagerGroup.select().count() == 3


async def test_the_head_sets_a_cadres_pin_which_is_never_shown(app, station, admin):
    from models.station.pins import pin_matches
    from screens.cadres import PinDialog
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "c", "p")
        assert isinstance(app.screen, PinDialog)
        await pilot.press(*"12", "enter")
        await settle(pilot)
        assert t("pin.bad") in screen_text(app) and isinstance(app.screen, PinDialog)
        app.screen.query_one("#field-pin").value = ""
        await pilot.press(*"2468", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CadresScreen)
        assert "2468" not in screen_text(app)
    assert pin_matches(Cadre.get_by_id(admin.id).pin_hash, "2468")
