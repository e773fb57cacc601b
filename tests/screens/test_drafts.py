"""A dropped connection loses nothing typed: the next session offers it back."""
from textual.widgets import SelectionList

from kiosk.app import DutyDeskApp
from models.core.drafts import load_draft
from models.core.i18n import t
from models.errands.entities import Errand
from models.people.entities import Resident
from screens.resident_form import ResidentFormScreen

from .conftest import SIZE, carry_on_intake, screen_text, settle


async def test_intake_survives_a_dropped_link(villagers):
    first = DutyDeskApp(login="tester")
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", *"zhangsan", "enter")
        await settle(pilot)
        await pilot.press(*"fybx", "enter")
        await settle(pilot)
        await pilot.press("space", "down", "space")  # 身份证, 户口簿
        await pilot.pause(1.3)  # the draft is written a second after the last change
        await settle(pilot)
    # the link dropped: the app is gone without saving
    assert load_draft("tester", "intake")["received"] == ["身份证", "户口簿"]
    assert Errand.select().count() == 0

    second = DutyDeskApp(login="tester")
    async with second.run_test(size=SIZE) as pilot:
        screen = await carry_on_intake(pilot)
        assert screen.resident.name == "张三"
        assert screen.item.name == "城乡居民医保费用报销"
        assert screen.query_one("#materials", SelectionList).selected == ["身份证", "户口簿"]
        assert t("intake.summary.materials_value", got=2, of=6) in screen_text(second)
        await pilot.press("ctrl+s")
        await settle(pilot)
    errand = Errand.get()
    assert errand.resident.name == "张三" and errand.mode == "carried"
    assert load_draft("tester", "intake") is None


async def test_new_resident_form_survives_a_dropped_link(station, admin):
    first = DutyDeskApp(login="tester")
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", "f2")
        await settle(pilot)
        await pilot.press(*"李四", "enter", "enter", *"13900001111")
        await pilot.pause(1.3)
        await settle(pilot)
    second = DutyDeskApp(login="tester")
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", "f2")
        await settle(pilot)
        await pilot.press("enter")  # 继续填写
        await settle(pilot)
        assert isinstance(second.screen, ResidentFormScreen)
        assert second.screen.query_one("#field-phone").value == "13900001111"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert Resident.get(Resident.name == "李四").phone == "13900001111"
    assert load_draft("tester", "resident-new") is None


async def test_abandoning_on_purpose_leaves_no_draft(villagers):
    app = DutyDeskApp(login="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", *"zhangsan", "enter")
        await pilot.pause(1.3)
        await settle(pilot)
        assert load_draft("tester", "intake") is not None
        await pilot.press("escape")
        await settle(pilot)
    assert load_draft("tester", "intake") is None
