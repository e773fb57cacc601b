"""Help: every key of the screen underneath, and how to find people."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from models.core.i18n import t

from .widgets.dialogs import Dialog


def keys_text(keys: list[tuple[str, str]]) -> Text:
    text = Text()
    for key, description in keys:
        text.append(f"{key:>12}  ", style="bold")
        text.append(description + "\n")
    return text


class HelpScreen(Dialog[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "cancel", t("key.close"), id="help.close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = t("help.title")
            yield Static(keys_text(self.keys))
            yield Static(t("help.search"))
