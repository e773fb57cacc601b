"""A cadre's afternoon at the desk, by key presses."""
from kiosk.app import DutyDeskApp
from models.core.entities import Cadre
from models.core.i18n import t
from models.errands.entities import Errand, ErrandMaterial
from models.people.entities import Resident
from models.people.households import mark_resident
from screens.intake import IntakeScreen
from screens.receipt import ReceiptScreen
from screens.resident_form import ResidentFormScreen

from .conftest import SIZE, screen_text, settle


async def type_text(pilot, text):
    await pilot.press(*text)
    await settle(pilot)


async def test_walk_in_intake_by_keys(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "红旗村便民服务站" in screen_text(app)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await type_text(pilot, "zs")
        results = screen_text(app)
        assert "张三" in results and "张松" in results
        await pilot.press(*["backspace"] * 2)
        await type_text(pilot, "zhangsan")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.resident.name == "张三"
        assert app.focused.id == "item-query"
        await type_text(pilot, "cwhzm")  # 村委会证明开具 by initials
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.item.name == "村委会证明开具"
        assert app.focused.id == "materials"
        await pilot.press("space")  # tick 身份证
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        errand = Errand.get()
        assert errand.number in screen_text(app)
        assert t("mode.on_the_spot") in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.resident is None  # ready for the next villager
    assert errand.resident.name == "张三" and errand.mode == "on_the_spot"
    assert [m.name for m in ErrandMaterial.select().where(ErrandMaterial.received)] == ["身份证"]
    assert errand.owner.login == "tester"


async def test_save_without_person_says_what_is_missing(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("intake.need.person") in screen_text(app)
    assert Errand.select().count() == 0


async def test_register_new_person_in_place(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "李四")
        await pilot.press("enter")
        await type_text(pilot, "110105194912310021")  # wrong check digit
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("invalid.id_check_digit") in screen_text(app)
        assert Resident.select().where(Resident.name == "李四").count() == 0
        field = app.screen.query_one("#field-id_number")
        assert app.focused is field
        await pilot.press("backspace", "x")  # fix the last character only
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.resident.name == "李四"
    person = Resident.get(Resident.name == "李四")
    assert person.id_number == "11010519491231002X" and person.gender == "女"


async def test_markup_names_show_literally(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "1370000")
        assert "[red]王[/red]" in screen_text(app)
        app.screen.query_one("#person-query").value = ""
        await type_text(pilot, "[/bar]")
        assert "[/bar]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.resident.name == "[/bar]"
        assert "[/bar]" in screen_text(app)


async def test_a_deceased_villager_is_marked_and_refused(app, villagers, head_session):
    zhang = villagers["张三"]
    mark_resident(zhang.id, zhang.version, "deceased", "2026-01-05", head_session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "zs")
        lines = [str(o.prompt) for o in app.screen.query_one("#person-results").options]
        assert lines[0].startswith("张松") and lines[1].startswith("张三")  # the living first
        assert t("resident.status.deceased", since="2026-01-05") in lines[1]
        await pilot.press("down", "down", "enter")  # into the list, then to 张三
        await settle(pilot)
        assert app.screen.resident is None  # not taken in
        assert t("intake.deceased", name="张三") in screen_text(app)


async def test_a_duty_cadre_names_an_existing_household(station, villagers):
    Cadre.create(station=station, name="李干事", login="li", role="duty")
    app = DutyDeskApp(login="li")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", "f2")
        await settle(pilot)
        assert isinstance(app.screen, ResidentFormScreen)
        assert not app.screen.query("#field-group_number")  # a new household is the head's
        await type_text(pilot, "李四")
        app.screen.query_one("#field-household_number").value = "02007"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert t("resident.no_household", number="02007") in screen_text(app)
    assert not Resident.select().where(Resident.name == "李四").exists()


async def test_originals_at_intake_show_on_errand_and_carry_list(app, villagers):
    """Two originals: one the catalogue keeps, one the cadre marks with F6."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "zhangsan")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "cxjmybfybx")  # 城乡居民医保费用报销
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.item.name == "城乡居民医保费用报销"
        await pilot.press("space", "down", "space", "f6")  # 身份证 copy, 户口簿 original
        await pilot.press("down", "down", "space", "f6")  # 住院发票原件: the catalogue's
        await settle(pilot)
        text = screen_text(app)
        assert t("intake.original_by_catalogue", name="住院发票原件") in [
            n.message for n in app._notifications]  # F6 cannot make it a copy
        assert t("intake.summary.originals") + "户口簿、住院发票原件" in text
        assert "户口簿  " + t("material.original") in text
        assert "身份证  " + t("material.copy") in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("t")  # the carry list marks the originals to take
        await settle(pilot)
        assert ("身份证、户口簿" + t("carry.original_mark") + "、住院发票原件"
                + t("carry.original_mark")) in screen_text(app)
    held = {m.name: (m.original, m.holder.login if m.holder else None)
            for m in ErrandMaterial.select().where(ErrandMaterial.received)}
    assert held == {"身份证": (False, None), "户口簿": (True, "tester"),
                    "住院发票原件": (True, "tester")}
