"""Full numbers on a recorded reveal only: the residents screen's key, the callback."""
from models.core.history import history
from models.core.i18n import t
from models.errands.lifecycle import Move, advance
from screens.errand import ErrandScreen
from screens.move import CallbackScreen
from screens.residents import ResidentsScreen
from tests.actors import acting

from ..conftest import ID_NUMBER
from .conftest import SIZE, screen_text, settle


async def test_a_number_is_shown_in_full_on_a_key_and_the_look_recorded(app, admin, zhang):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", *"zhangsan", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ResidentsScreen)
        text = screen_text(app)
        assert "110105********002X" in text and "138****1234" in text
        assert ID_NUMBER not in text and "13812341234" not in text
        assert history("resident", zhang.id)[-1].action == "create"
        await pilot.press("f7")
        await settle(pilot)
        text = screen_text(app)
        assert ID_NUMBER in text and "13812341234" in text
        event = history("resident", zhang.id)[-1]
        assert (event.action, event.actor.id, event.detail["fields"]) == (
            "revealed", admin.id, ["id_number", "phone"])
        await pilot.press("f5")  # the edit form shows them masked all the same
        await settle(pilot)
        assert app.screen.query_one("#field-id_number").value == "110105********002X"


async def test_the_callback_shows_the_phone_and_says_who_saw_it(app, admin, errand):
    errand = advance(errand.id, errand.version, Move("delivered", missing_ok=True), acting(admin))  # 马上办
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "6")  # the queue's "to call back"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        assert "13812341234" not in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CallbackScreen)
        assert "13812341234" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert t("history.revealed", fields=t("resident.phone")) in screen_text(app)
    event = history("errand", errand.id)[-1]
    assert (event.action, event.actor.id, event.detail["fields"]) == (
        "revealed", admin.id, ["phone"])
