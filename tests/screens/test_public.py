"""The hall's public screen, driven by keys as a villager would: every way of
looking up an errand, wrong pairs, the pause after guessing, the idle reset, the
lists — and none of the cadre's keys, nor the command palette, answering."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from kiosk.public_app import PublicApp
from models.core.entities import Event
from models.core.i18n import t
from models.errands.entities import ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.people.residents import ResidentForm, register_resident
from models.public.board import PolicyForm, PublicationForm, add_notice
from models.station.pins import set_pin
from screens.public.home import HallHome
from screens.public.lists import GuideScreen, PoliciesScreen, PublicationsScreen
from screens.public.lookup import LookupScreen

from .conftest import SIZE, screen_text, settle

CADRE_KEYS = ["i", "e", "o", "t", "r", "d", "j", "w", "n", "s", "x", "h", "a", "c", "g",
              "f", "u", "m", "k", "ctrl+o", "ctrl+p", "ctrl+q", "ctrl+c", "ctrl+z",
              "ctrl+backslash", "ctrl+s", "tab", "shift+tab", "f1", "f2", "ctrl+l"]


@pytest.fixture
def errand(station, head_session):
    person = register_resident(ResidentForm(name="张三", phone="13812345678"), head_session)
    item = ServiceItem.get((ServiceItem.station == station)
                           & (ServiceItem.name == "城乡居民医保费用报销"))
    return register_errand(IntakeForm(person.id, item.id, "carried", ["身份证"]),
                           station.id, head_session)


def typed(number: str) -> list[str]:
    """The receipt number as a villager types it: digits only."""
    return [c for c in number if c.isdigit()]


async def look_up(pilot, number: str, digits: str) -> str:
    await pilot.press(*typed(number), "enter", *digits, "enter")
    await settle(pilot)
    return screen_text(pilot.app)


async def test_the_home_says_who_is_on_duty_and_how_to_reach_the_desk(station):
    station.duty_phone, station.opening_hours = "0791-8321 2345", "8:00–18:00"
    station.save()
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HallHome)
        text = screen_text(app)
        today = dt.date.today()
        for expected in ("红旗村便民服务站", "0791-8321 2345", "8:00–18:00",
                         f"{today.year}年{today.month}月{today.day}日", "农历",
                         t("public.nobody_on_duty"), t("public.menu.1")):
            assert expected in text, expected


async def test_a_villager_reads_their_errand(station, errand):
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        text = await look_up(pilot, errand.number, "5678")
        for expected in (errand.number, "城乡居民医保费用报销",
                         t("public.status.registered"), t("status.registered"),
                         "身份证", "户口簿"):
            assert expected in text, expected
        assert [field.value for field in app.screen.query("DigitField")] == ["", ""]
        # the year and the bare sequence number find it too
        short = errand.number[:4] + str(int(errand.number[5:]))
        assert errand.number in await look_up(pilot, short, "5678")
    assert list(Event.select(Event.detail).where(Event.entity == "public")
                .tuples()) == [({"number": errand.number, "found": True},)] * 2


async def test_wrong_pairs_get_the_same_answer(station, errand):
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        answers = [await look_up(pilot, number, digits) for number, digits in
                   [(errand.number, "5679"), (errand.number[:4] + "999999", "5678"),
                    (errand.number, "567")]]
        assert all(t("public.not_found") in text for text in answers)
        assert len(set(answers)) == 1
        assert "城乡居民医保费用报销" not in answers[0]


async def test_guessing_pauses_the_lookup(station, errand):
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        for digits in ("0001", "0002", "0003", "0004", "0005"):
            assert t("public.not_found") in await look_up(pilot, errand.number, digits)
        text = await look_up(pilot, errand.number, "5678")  # the right pair, too late
        assert t("public.paused", minutes=5) in text
        assert "城乡居民医保费用报销" not in text
        app.limiter.until = 0  # the pause over
        assert "城乡居民医保费用报销" in await look_up(pilot, errand.number, "5678")


async def test_idle_goes_home_and_clears_the_lookup(station, errand):
    app = PublicApp(station.id, idle_seconds=0.5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await look_up(pilot, errand.number, "5678")
        lookup = app.screen
        assert isinstance(lookup, LookupScreen)
        await pilot.pause(1.8)
        await settle(pilot)
        assert isinstance(app.screen, HallHome)
        assert lookup not in app.screen_stack and not lookup.is_attached
        assert "城乡居民医保费用报销" not in screen_text(app)
        await pilot.press("1")  # a fresh lookup screen, empty
        await settle(pilot)
        assert "城乡居民医保费用报销" not in screen_text(app)


async def test_no_cadre_key_nor_the_palette_answers(station, errand):
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for screen_key in ("", "1", "2"):
            if screen_key:
                await pilot.press(screen_key)
                await settle(pilot)
            shown = app.screen
            await pilot.press(*CADRE_KEYS)
            await settle(pilot)
            assert app.screen is shown and app.is_running, screen_key
            assert len(app.screen_stack) == (2 if not screen_key else 3)
            await pilot.press("escape")
            await settle(pilot)
        assert isinstance(app.screen, HallHome)
        assert not app.ENABLE_COMMAND_PALETTE
        assert "--command-palette" not in [screen.id for screen in app.screen_stack]


def test_public_mode_imports_none_of_the_cadre_screens():
    """Nothing of the desk can be reached if it is not even loaded."""
    code = ("import sys, kiosk.public_app, screens.public.lookup, screens.public.lists, "
            "screens.public.operator; "
            "print(sorted(m for m in sys.modules if m.startswith(('screens', 'kiosk'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert "screens.public.home" in loaded
    for desk in ("kiosk.app", "screens.home", "screens.commands", "screens.queue",
                 "screens.intake", "screens.residents", "screens.errand", "screens.audit"):
        assert f"'{desk}'" not in loaded, desk


async def test_policies_are_browsed_and_found_by_initials(station, head_session):
    add_notice(PolicyForm("城乡低保金", "家庭人均收入低于低保标准", "身份证、户口簿",
                          "村便民服务站", "每人每月 520 元"), head_session)
    add_notice(PolicyForm("耕地地力保护补贴", amount="每亩 105 元"), head_session)
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, PoliciesScreen)
        text = screen_text(app)
        assert "城乡低保金" in text and "耕地地力保护补贴" in text
        assert "每人每月 520 元" in text  # the first one's detail
        await pilot.press("down")
        await settle(pilot)
        assert "每亩 105 元" in screen_text(app)
        await pilot.press("g", "d")
        await settle(pilot)
        text = screen_text(app)
        assert "耕地地力保护补贴" in text and "城乡低保金" not in text
        await pilot.press("backspace", "backspace", "x", "y", "z")
        await settle(pilot)
        assert t("public.policies.none") in screen_text(app)


async def test_publications_and_the_guide(station, head_session):
    add_notice(PublicationForm("修建村道", dt.date.today().isoformat(), "修建 2 公里村道",
                               "已完工"), head_session)
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PublicationsScreen)
        text = screen_text(app)
        assert "修建村道" in text and "修建 2 公里村道" in text and "已完工" in text
        await pilot.press("escape", "4")
        await settle(pilot)
        assert isinstance(app.screen, GuideScreen)
        text = screen_text(app)
        first = ServiceItem.select().where(ServiceItem.station == station).order_by(
            ServiceItem.category, ServiceItem.id).first()
        assert first.name in text and first.materials[0] in text


async def test_the_operator_leaves_with_a_heads_pin(station, head_session):
    set_pin(head_session.cadre_id, "2468", head_session)
    app = PublicApp(station.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10", "1", "3", "5", "7", "enter")
        await settle(pilot)
        assert t("public.operator.wrong") in screen_text(app) and app.is_running
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HallHome)
        await pilot.press("f10", "2", "4", "6", "8", "enter")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


async def test_the_head_reads_the_halls_lookups_in_the_audit(app, station, errand):
    from models.core.session import PublicActor
    from models.errands.public_lookup import LookupLimiter
    from models.errands.public_lookup import look_up as hall_look_up
    from screens.audit import AuditScreen
    hall_look_up(errand.number, "0000", PublicActor(station.id), LookupLimiter())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        text = screen_text(app)
        assert t("audit.public_actor") in text and t("audit.entity.public") in text
        assert t("history.public_lookup", number=errand.number,
                 found=t("history.public_not_found")) in text


async def test_at_80_by_24_the_menu_and_an_answer_fit(station, errand):
    app = PublicApp(station.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = list(app.screen.query(".menu-line"))
        assert len(lines) == 4 and all(line.region.bottom <= 23 for line in lines)
        await pilot.press("1")
        await look_up(pilot, errand.number, "5678")
        answer = app.screen.query_one("#answer")
        assert answer.region.bottom <= 23 and answer.region.right <= 80
        assert "城乡居民医保费用报销" in screen_text(app)
