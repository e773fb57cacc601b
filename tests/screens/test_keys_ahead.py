"""Keys typed ahead of a screen: over a slow link the key that opens a screen and
the first keys meant for it arrive in one write, before the screen is built."""
from textual.command import CommandPalette
from textual.widgets import Input

from screens.intake import IntakeScreen
from screens.residents import ResidentsScreen

from .conftest import SIZE, burst, settle


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
