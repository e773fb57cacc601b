"""The one dialog: Esc backs out of every dialog, Ctrl+S confirms only where there is
something to confirm, all share the look of dialogs.tcss; every modal of the desk is
a Dialog, and screens keep their styles in .tcss files beside their module."""
import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.containers import Vertical
from textual.css.stylesheet import Stylesheet
from textual.screen import ModalScreen, Screen
from textual.widgets import Label

import screens
from screens.public.base import PublicScreen
from screens.widgets.dialogs import ChoiceScreen, Dialog, PromptScreen

from .conftest import burst


class Confirming(Dialog[str]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("…")

    def action_confirm(self) -> None:
        self.dismiss("confirmed")


async def dismissed_with(dialog: Dialog, *keys: str) -> list:
    results = []
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(dialog, results.append)
        await pilot.press(*keys)
        await pilot.pause()
    return results


async def test_esc_cancels_and_ctrl_s_confirms():
    assert await dismissed_with(Confirming(), "escape") == [None]
    assert await dismissed_with(Confirming(), "ctrl+s") == ["confirmed"]


async def test_a_burst_in_a_text_field_is_taken_in_order():
    """A Backspace arriving with the keys around it deletes what was typed before it,
    and an Enter gives the line as typed up to it."""
    results = []
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PromptScreen("…"), results.append)
        await pilot.pause()
        await burst(pilot, *"ab", "backspace", *"cd", "enter")
    assert results == ["acd"]


async def test_ctrl_s_is_not_bound_where_nothing_is_confirmed():
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChoiceScreen("…", [("a", "甲")]))
        await pilot.pause()
        assert "ctrl+s" not in app.screen.active_bindings
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChoiceScreen)


async def test_every_dialog_has_the_box_of_dialogs_tcss():
    app = App()
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(Confirming())
        await pilot.pause()
        box = app.screen.query_one(Vertical)
        assert box.outer_size.width == 70
        assert box.styles.border_top[0] == "thick"
        assert box.region.x == (100 - 70) // 2  # in the middle


def screen_classes() -> list[type[Screen]]:
    found = []
    for info in pkgutil.walk_packages(screens.__path__, "screens."):
        module = importlib.import_module(info.name)
        found += [cls for cls in vars(module).values() if inspect.isclass(cls)
                  and issubclass(cls, Screen) and cls.__module__ == module.__name__]
    return found


def test_every_modal_is_a_dialog():
    modals = {cls.__name__ for cls in screen_classes()
              if issubclass(cls, ModalScreen) and not issubclass(cls, Dialog)
              and not issubclass(cls, CommandPalette)}  # Textual's, with our search box
    assert modals == set()


def test_screens_keep_their_styles_in_tcss_files_beside_them():
    variables = App().get_css_variables()
    for cls in screen_classes():
        if cls in (Dialog, PublicScreen):
            # a base whose look every subclass shares reads the .tcss beside it
            assert cls.DEFAULT_CSS == Path(inspect.getfile(cls)).with_suffix(".tcss").read_text(
                encoding="utf-8")
            continue
        assert "DEFAULT_CSS" not in vars(cls) and not cls.CSS, cls
        if "CSS_PATH" in vars(cls):
            stylesheet = Stylesheet(variables=variables)
            stylesheet.read(Path(inspect.getfile(cls)).with_name(cls.CSS_PATH))
            stylesheet.parse()
