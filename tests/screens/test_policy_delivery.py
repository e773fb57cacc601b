"""Policy delivery by key presses: the coverage board's 政策未宣讲 list, a visit
from it ticking the policy explained, and the list shrinking."""
from models.core.i18n import t
from models.public.entities import Policy
from models.village.entities import Delivery, PolicyDelivery, Tag
from screens.policy_gaps import PolicyGapsScreen
from screens.visit import VisitScreen

from .conftest import SIZE, burst, screen_text, settle
from .test_visits import group3, open_board_on_group_3, step  # noqa: F401  (a fixture)


async def test_a_policy_ticked_on_a_visit_leaves_the_gap_list(app, station, group3):
    policy = Policy.create(station=station, title="独居老人关爱[/bold]", tag=Tag.ALONE_ELDERLY,
                           qualifies="70 岁以上独居")
    Policy.create(station=station, title="耕地地力保护补贴")  # for everyone: no gap list
    async with app.run_test(size=SIZE) as pilot:
        await open_board_on_group_3(pilot)
        await step(pilot, "z")
        assert isinstance(app.screen, PolicyGapsScreen)
        text = screen_text(app)
        assert "独居老人关爱[/bold]（1 户）" in text and "03001 张大山" in text
        assert "耕地地力保护补贴" not in text
        await step(pilot, "enter")  # on the policy's line: no household
        assert isinstance(app.screen, PolicyGapsScreen)
        await burst(pilot, "down", "enter")  # in one write: the Down lands first
        await settle(pilot)
        assert isinstance(app.screen, VisitScreen)
        assert t("policy_delivery.side") in screen_text(app)
        assert not app.screen.query_one("#policies").display  # no policy duty yet
        await pilot.press("tab", "tab", "tab", "tab", "space")  # 政策宣讲
        await step(pilot)
        assert app.screen.query_one("#policies").display
        assert "★ 独居老人关爱[/bold]" in screen_text(app)  # its own first, marked
        await pilot.press("tab", "tab", "tab", "tab", "tab", "space")  # its 宣讲
        await step(pilot, "ctrl+s")
        assert t("visit.saved") in screen_text(app)
        await step(pilot, "escape")
        assert isinstance(app.screen, PolicyGapsScreen)
        assert t("policy_delivery.no_gaps") in screen_text(app)
    told = PolicyDelivery.get()
    assert (told.policy_id, told.kind, told.visit.household_id) == (
        policy.id, Delivery.EXPLAINED, group3["03001"].id)
