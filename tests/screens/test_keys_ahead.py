"""Keys typed ahead of a screen: over a slow link the key that opens a screen and
the first keys meant for it arrive in one write, before the screen is built."""
import time

from textual.command import CommandPalette
from textual.widgets import Input

import screens.dispute_forms
import screens.intake
import screens.widgets.item_picker
import screens.widgets.person_search
from models.errands.entities import Errand, ErrandMaterial
from screens.dispute_forms import DisputeFormScreen
from screens.intake import IntakeScreen
from screens.receipt import ReceiptScreen
from screens.residents import ResidentsScreen
from screens.widgets.fields import FieldForm

from .conftest import SIZE, burst, screen_text, settle


async def test_a_name_typed_with_the_key_that_opens_intake(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, "i", *"zs")
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.focused.id == "person-query"
        assert app.screen.focused.value == "zs"


async def test_the_palette_takes_a_burst_in_order(app, villagers):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+p", *"zhangsx", "backspace", *"ong")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).value == "zhangsong"
        await pilot.pause(0.5)  # the search runs in the background
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResidentsScreen)
        assert app.screen.overview.resident.name == "张松"


def slowed(monkeypatch, module, name, seconds=0.3):
    """`module.name` (a model read a screen runs in a worker) takes `seconds` longer:
    a slow disk or database, so keys typed meanwhile come before its result."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return original(*args, **kwargs)
    monkeypatch.setattr(module, name, slow)


async def test_intake_typed_in_one_burst(app, villagers, monkeypatch):
    """Person, Enter, item, Enter, a material ticked, saved: all typed before the
    search, the person's record or the item list came back."""
    slowed(monkeypatch, screens.widgets.person_search, "search_residents")
    slowed(monkeypatch, screens.intake, "load_resident")
    slowed(monkeypatch, screens.widgets.item_picker, "active_items", 0.5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, "i", *"zhangsan", "enter", *"cwhzm", "enter", "space",
                    "ctrl+s")
        assert isinstance(app.screen, ReceiptScreen), (
            app.screen, app.screen.resident, app.screen.item, app.focused,
            [(i.id, i.value) for i in app.screen.query(Input)], screen_text(app))
    errand = Errand.get()
    assert (errand.resident.name, errand.item.name) == ("张三", "村委会证明开具")
    assert [m.name for m in ErrandMaterial.select().where(ErrandMaterial.received)] == [
        "身份证"]


async def test_a_party_added_in_one_burst(app, villagers, monkeypatch):
    """F3, a name, Enter, then the title: the party is added and the title lands in
    the form, though the dialog, the search and the party's name all come late."""
    slowed(monkeypatch, screens.widgets.person_search, "search_residents")
    slowed(monkeypatch, screens.dispute_forms, "resident_name")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(DisputeFormScreen())
        await settle(pilot)
        await burst(pilot, "f3", *"zhangsan", "enter", *"争水")
        assert isinstance(app.screen, DisputeFormScreen), app.screen
        assert "张三" in screen_text(app)
        assert app.screen.query_one(FieldForm).values()["title"] == "争水"
