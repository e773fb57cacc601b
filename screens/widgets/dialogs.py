"""Small modal dialogs: pick one of a list, or type a line."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from models.core.i18n import t

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 70; height: auto; max-height: 80%; border: thick $accent;
    padding: 1 2; background: $surface;
}}
{name} OptionList {{ height: auto; max-height: 20; }}
{name} .hint {{ color: $text-muted; width: 100%; }}
"""


class ChoiceScreen(ModalScreen[str | None]):
    """Dismissed with the chosen option's id, or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceScreen")
    BINDINGS = [Binding("escape", "cancel", t("key.cancel"), id="choice.cancel")]

    def __init__(self, title: str, options: list[tuple[str, str | Text]],
                 hint: str = "") -> None:
        super().__init__()
        self.title_text, self.options, self.hint = title, options, hint

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield OptionList(*(Option(Text(label) if isinstance(label, str) else label,
                                      id=key) for key, label in self.options))
            if self.hint:
                yield Label(self.hint, classes="hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """One line of text; Enter gives it, Esc abandons."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PromptScreen")
    BINDINGS = [Binding("escape", "cancel", t("key.cancel"), id="prompt.cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text, self.placeholder, self.value = title, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Input(self.value, placeholder=self.placeholder, max_length=2000)
            yield Label(t("prompt.hint"), classes="hint")

    @on(Input.Submitted)
    def _given(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
