"""The station head's audit, by keys; a duty cadre has no key to it."""
import pytest
from textual import events

from kiosk.app import DutyDeskApp
from models.core.audit import AuditFilter, audit_page
from models.core.entities import Event
from models.core.i18n import t
from models.core.validation import ValidationError
from models.people.residents import reveal_identity
from screens.audit import AuditScreen
from screens.home import HomeScreen
from screens.widgets.keybar import KeyBar
from tests.actors import acting

from .conftest import SIZE, screen_text, settle

PHONE_SEEN = t("history.revealed", fields=t("resident.phone"))


def keys_shown(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_the_head_finds_who_saw_a_number(app, admin, zhang, hua, errand):
    reveal_identity(zhang.id, acting(admin))  # at the residents screen
    reveal_identity(zhang.id, acting(hua), ("phone",), errand.id)  # 李华's callback
    Event.create(entity="visit", entity_id=1, action="log", actor=admin)  # a newer kind
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert t("home.head_hint") in screen_text(app)  # the head's keys, "a" among them
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        text = screen_text(app)
        assert t("history.revealed", fields="、".join(
            [t("resident.id_number"), t("resident.phone")])) in text
        assert PHONE_SEEN in text and "李华" in text and "张三" in text
        assert "visit\nlog" in text  # named by its code until this version has words

        await pilot.press("f2", "down", "down", "enter")  # all, 王建国, [李华]
        await settle(pilot)
        assert app.screen.query_one("#audit").row_count == 1
        assert PHONE_SEEN in screen_text(app)
        assert t("audit.cadre", name="李华") in screen_text(app)

        await pilot.press("f8", "f3", "tab", *errand.number[-4:])  # the errand's box
        await settle(pilot)
        text = screen_text(app)
        assert app.screen.query_one("#audit").row_count == 2  # registered; phone seen
        assert PHONE_SEEN in text and f"{errand.number} 张三" in text

        await pilot.press("tab", *"11-3x")
        await settle(pilot)
        assert t("audit.bad_days", given="11-3x") in screen_text(app)


async def test_a_filter_typed_in_one_burst_lands_in_its_box(app, zhang):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        # as a slow link delivers them: all queued before the first is handled
        for key, char in [("f3", None), *((c, c) for c in "zhangsan")]:
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert app.screen.query_one("#person").value == "zhangsan"
        assert "张三" in screen_text(app)


async def test_a_duty_cadre_has_no_audit(station, hua):
    app = DutyDeskApp(login="hua")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert t("key.audit") not in keys_shown(app) + screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        with pytest.raises(ValidationError) as refused:
            audit_page(app.session, AuditFilter())
        assert refused.value.code == "audit.head_only"
