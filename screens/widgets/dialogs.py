"""The modal dialog every box over a screen is built on, and the two small ones:
pick one of a list, or type a line."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from models.core.i18n import t

from ..session import RoleKeys
from .fields import TypedInput
from .shown import shown


class Dialog(RoleKeys, ModalScreen[ScreenResultType]):
    """A box in the middle of the screen, over the one that opened it.

    Esc cancels: dismissed with None. Ctrl+S confirms: a dialog that has something
    to confirm defines `action_confirm`; in one that has not, the key is not bound.
    A subclass re-binds a key to the same action to name it in its own words.

    The look is dialogs.tcss: `Dialog > Vertical` is the box of every subclass (a
    type selector matches subclasses too). It is default CSS, so a subclass's own
    .tcss (CSS_PATH) overrides it; a CSS_PATH here would be looked for beside each
    subclass's module, and replaced by the subclass's own.
    """

    DEFAULT_CSS = Path(__file__).with_name("dialogs.tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False  # the file styles ChoiceScreen and PromptScreen too
    BINDINGS = [
        Binding("escape", "cancel", t("key.cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "confirm", t("key.save"), id="dialog.confirm"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm" and not hasattr(self, "action_confirm"):
            return False
        return super().check_action(action, parameters)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(Dialog[str | None]):
    """Dismissed with the chosen option's id, or None. The title, str labels and the
    hint may hold data (a villager's name, a material): they are shown inert."""

    def __init__(self, title: str, options: list[tuple[str, str | Text]],
                 hint: str = "") -> None:
        super().__init__()
        self.title_text, self.options, self.hint = title, options, hint

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = shown(self.title_text)
            yield OptionList(*(Option(shown(label) if isinstance(label, str) else label,
                                      id=key) for key, label in self.options))
            if self.hint:
                yield Label(shown(self.hint, multiline=True), classes="hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class PromptScreen(Dialog[str | None]):
    """One line of text; Enter gives it, Esc abandons. The title may hold data
    (a cadre's name): shown inert."""

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text, self.placeholder, self.value = title, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = shown(self.title_text)
            yield TypedInput(self.value, placeholder=self.placeholder, max_length=2000)
            yield Label(t("prompt.hint"), classes="hint")

    @on(Input.Submitted)
    def _given(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
