"""The link to the township's server cut in the middle of an intake: the desk says
it is reconnecting, keeps everything typed, refuses to save, and carries on once
the link is back. (PostgreSQL through a proxy the test cuts; SQLite has no link.)"""
import asyncio
import json

from textual.widgets import Input, Label, SelectionList

from kiosk.app import DutyDeskApp
from models.core import link as link_rules
from models.core.db import database
from models.core.drafts import local_drafts_file, newest_draft
from models.core.i18n import t
from models.errands.entities import Errand
from screens.intake import IntakeScreen
from screens.receipt import ReceiptScreen
from screens.resident_form import ResidentFormScreen
from screens.widgets.link_banner import LinkBanner
from tests.models.test_link import count

from .conftest import SIZE, carry_on_intake, screen_text, settle


async def until(pilot, condition, seconds: float = 15) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
        await pilot.pause()
    raise AssertionError("waited in vain")


def local_draft(login: str = "tester") -> dict:
    return json.loads(local_drafts_file(login).read_text(encoding="utf-8"))["intake"]["data"]


async def test_intake_rides_out_a_lost_link(villagers, link, monkeypatch):
    monkeypatch.setattr(link_rules, "FIRST_DELAY", 0.3)  # the test need not wait 1, 2, 4 s
    app = DutyDeskApp(login="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", *"zhangsan", "enter")
        await settle(pilot)
        await pilot.press(*"fybx", "enter")
        await settle(pilot)
        await pilot.press("space")  # 身份证
        screen = app.screen
        assert isinstance(screen, IntakeScreen)

        link.cut()
        await until(pilot, lambda: app.link.down)  # the poll finds out
        assert t("link.down").rstrip("…") in screen_text(app)
        assert t("link.keep_typing") in screen_text(app)
        await until(pilot, lambda: app.link.attempts >= 2)  # tries again by itself
        assert t("link.down_retrying", attempt=app.link.attempts,
                 at=app.link.last_try.strftime("%H:%M:%S")) in screen_text(app)

        await pilot.press("down", "space")  # 户口簿: typing goes on
        screen.query_one("#note", Input).focus()
        await pilot.press(*"bring later")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # no receipt: refused
        assert str(screen.query_one("#intake-error", Label).render()) == t(
            "link.save_refused")
        assert count("errand") == 0
        await pilot.pause(1.3)  # the draft is written a second after the last change
        assert local_draft()["received"] == ["身份证", "户口簿"]
        assert local_draft()["note"] == "bring later"

        link.restore()
        await until(pilot, lambda: not app.link.down)
        await settle(pilot)
        assert not app.screen.query(LinkBanner)
        assert screen.query_one("#materials", SelectionList).selected == ["身份证", "户口簿"]
        assert screen.query_one("#note", Input).value == "bring later"
        await pilot.pause(2.5)  # the draft reaches the server again
        await settle(pilot)
        database.close()  # the test's own connection died with the link
        database.connect()
        assert newest_draft("tester", "intake")["note"] == "bring later"

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
    errand = Errand.get()
    assert errand.resident.name == "张三" and errand.note == "bring later"
    assert sorted(m.name for m in errand.materials if m.received) == ["户口簿", "身份证"]
    assert newest_draft("tester", "intake") is None


async def test_a_desk_closed_while_disconnected_offers_the_typing_back(villagers, link,
                                                                       monkeypatch):
    first = DutyDeskApp(login="tester")
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i", *"zhangsan", "enter")
        await settle(pilot)
        link.cut()
        await until(pilot, lambda: first.link.down)
        await pilot.press(*"fybx", "enter")  # the item list is out of reach…
        await settle(pilot)
        first.screen.query_one("#note", Input).focus()
        await pilot.press(*"note")  # …the note is not
        await pilot.pause(1.3)
        await settle(pilot)
    # the SSH session closed while the link was down: only this machine has the note
    assert local_draft()["note"] == "note"
    link.restore()
    database.close()
    database.connect()

    second = DutyDeskApp(login="tester")
    async with second.run_test(size=SIZE) as pilot:
        screen = await carry_on_intake(pilot)
        assert screen.resident.name == "张三"
        assert screen.query_one("#note", Input).value == "note"


async def test_a_new_resident_is_not_saved_while_disconnected(station, admin, link,
                                                               monkeypatch):
    monkeypatch.setattr(link_rules, "FIRST_DELAY", 0.3)
    app = DutyDeskApp(login="tester")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", "f2")
        await settle(pilot)
        link.cut()
        await until(pilot, lambda: app.link.down)
        await pilot.press(*"李四", "enter", "enter", *"13900001111")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResidentFormScreen)  # still open, as typed
        assert t("link.save_refused") in screen_text(app)
        assert app.screen.query(LinkBanner)  # on the dialog too
        assert count("resident WHERE name = '李四'") == 0

        link.restore()
        await until(pilot, lambda: not app.link.down)
        assert app.screen.query_one("#field-phone", Input).value == "13900001111"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ResidentFormScreen)
    assert count("resident WHERE name = '李四' AND phone = '13900001111'") == 1
