"""A cadre's afternoon at the desk, by key presses."""
from models.core.i18n import t
from models.errands.entities import Errand, ErrandMaterial
from models.people.entities import Resident
from screens.intake import IntakeScreen
from screens.receipt import ReceiptScreen

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
