"""Signing in at a shared OS login: the cadre picks their name and types their PIN."""
from __future__ import annotations

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from models.core.entities import Cadre, Station
from models.core.i18n import t
from models.station.pins import PIN_LENGTH, pin_cadres, sign_in_with_pin

from .dbwork import run_db
from .widgets.fields import TypedInput
from .widgets.keybar import KeyBar
from .widgets.shown import shown


class PinSignInScreen(Screen[Cadre]):
    """Dismissed with the cadre whose PIN was typed."""

    CSS_PATH = "pin_sign_in.tcss"
    BINDINGS = [Binding("escape", "choose_again", t("pin.choose_again"),
                        id="pin.choose_again"),
                # resolved as they come, in order: see action_to_pin
                Binding("down", "name(1)", show=False, priority=True),
                Binding("up", "name(-1)", show=False, priority=True),
                Binding("enter", "to_pin", show=False, priority=True)]

    def __init__(self, station: Station, login: str) -> None:
        super().__init__()
        self.station = station
        self.login = login

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical() as box:
            box.border_title = shown(self.station.name)
            yield Static(t("pin.title"))
            yield OptionList(id="pin-who")
            yield TypedInput(password=True, max_length=PIN_LENGTH.stop - 1, id="pin",
                        placeholder=t("pin.field"))
            yield Static(id="pin-problem")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("app.title")
        run_db(self, pin_cadres, self.station.id, then=self._listed)

    def _listed(self, cadres: list[Cadre]) -> None:
        who = self.query_one("#pin-who", OptionList)
        who.add_options(Option(shown(cadre.name), id=str(cadre.id)) for cadre in cadres)
        if cadres:
            who.highlighted = 0
            who.focus()
        else:
            self._problem(t("pin.none_yet"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#pin", Input).focus()  # a name clicked

    def _names(self) -> OptionList:
        """The name list, when it has focus; else the key goes on as usual."""
        names = self.query_one("#pin-who", OptionList)
        if self.focused is not names:
            raise SkipAction()
        return names

    def action_name(self, step: int) -> None:
        names = self._names()
        if step > 0:
            names.action_cursor_down()
        else:
            names.action_cursor_up()

    def action_to_pin(self) -> None:
        """Enter on a name: the PIN field has focus before the next key is handed
        out. The list's own keys act only once they come back up from it, and its
        Enter moves focus by a message: ↓ Enter 2468 Enter typed in one burst (a
        slow link, a browser) chose the first name and lost the PIN."""
        if self._names().highlighted is not None:
            self.set_focus(self.query_one("#pin", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        chosen = self.query_one("#pin-who", OptionList).highlighted_option
        if chosen is None:
            return
        event.input.value = ""  # typed once: a wrong PIN is not left to correct
        run_db(self, sign_in_with_pin, self.login, int(chosen.id), event.value,
               then=self.dismiss, failed=lambda refused: self._problem(str(refused)),
               group="pin", hold_keys=True)

    def _problem(self, text: str) -> None:
        self.query_one("#pin-problem", Static).update(shown(text))

    def action_choose_again(self) -> None:
        self.set_focus(self.query_one("#pin-who", OptionList))
