"""What every screen of the hall's public mode shares: large, plain text — a
terminal cannot enlarge its font, so lines are short and spaced, with a heavy
border — a title, and the keys a villager may press on the bottom line."""
from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from models.core.i18n import t


class PublicScreen(Screen):
    """A subclass composes its body (`body`); Esc goes back to the home."""

    DEFAULT_CSS = Path(__file__).with_name("base.tcss").read_text(encoding="utf-8")
    TITLE_KEY = ""
    KEYS_KEY = "public.keys.list"  # the bottom line: the keys this screen answers
    BINDINGS = [Binding("escape", "home", t("public.key.back"), id="public.back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="public"):
            yield Static(t(self.TITLE_KEY), id="public-title")
            yield from self.body()
        yield Static(t(self.KEYS_KEY), id="public-keys")

    def body(self) -> ComposeResult:
        raise NotImplementedError

    def action_home(self) -> None:
        self.app.pop_screen()

    @property
    def actor(self):
        """The hall's PublicActor: its station, and whose name lookups are in."""
        return self.app.actor
