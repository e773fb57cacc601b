"""政策与村务公开, the station head's lists behind the hall's screen, by keys: add,
change, withdraw and put back a policy; publish a decision; a duty cadre does not
get the key."""
from __future__ import annotations

import datetime as dt

from kiosk.app import DutyDeskApp
from models.core.entities import Cadre, Event
from models.core.i18n import t
from models.public.entities import Policy, Publication
from screens.home import HomeScreen
from screens.notices import NoticeFormScreen, NoticesScreen

from .conftest import SIZE, screen_text, settle
from .test_admin import keys


async def test_the_head_keeps_the_policies(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "k")
        assert isinstance(app.screen, NoticesScreen)
        await keys(pilot, "f2")
        assert isinstance(app.screen, NoticeFormScreen)
        await pilot.press(*"城乡低保金[/bar]", "enter", *"低收入家庭", "enter", "enter",
                          "enter", *"每人每月 520 元")
        app.screen.query_one("#tag-dibao").value = True
        await keys(pilot, "ctrl+s")
        assert isinstance(app.screen, NoticesScreen)
        policy = Policy.get()
        assert (policy.title, policy.qualifies, policy.amount, policy.tag) == (
            "城乡低保金[/bar]", "低收入家庭", "每人每月 520 元", "dibao")
        assert "城乡低保金[/bar]" in screen_text(app) and t("tag.dibao") in screen_text(app)

        await keys(pilot, "enter")  # change it
        app.screen.query_one("#field-title").value = "农村低保金"
        await keys(pilot, "ctrl+s")
        await keys(pilot, "x")  # withdrawn from the hall
        policy = Policy.get()
        assert (policy.title, policy.active) == ("农村低保金", False)
        assert t("notices.withdrawn") in screen_text(app)
        await keys(pilot, "x")
        assert Policy.get().active
    assert [e.action for e in Event.select().where(Event.entity == "policy")
            .order_by(Event.id)] == ["create", "edit", "retire", "activate"]


async def test_the_head_publishes_a_decision(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "k", "v")
        assert isinstance(app.screen, NoticesScreen) and app.screen.entity == "publication"
        await keys(pilot, "f2")
        await pilot.press(*"修建村道", "enter", *"13-45", "enter", *"修建 2 公里", "enter")
        await keys(pilot, "ctrl+s")
        assert t("publication.bad_day", given="13-45") in screen_text(app)
        assert not Publication.select().exists()  # nothing saved
        app.screen.query_one("#field-decided_on").value = dt.date.today().isoformat()
        await keys(pilot, "ctrl+s")
        assert isinstance(app.screen, NoticesScreen)
        assert Publication.get().decided_on == dt.date.today()
        assert "修建村道" in screen_text(app)


async def test_a_duty_cadre_gets_no_notices_key(station):
    Cadre.create(station=station, name="李干事", login="li", role="duty")
    app = DutyDeskApp(login="li")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "k")
        assert isinstance(app.screen, HomeScreen)
