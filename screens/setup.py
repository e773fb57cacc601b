"""First run on an empty database: the station, its groups, and its head."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from models.i18n import t
from models.station import SetupForm, set_up_station

from .dbwork import problem_text, run_db

FIELDS = ("station_name", "township", "group_count", "admin_name", "admin_phone")


class SetupScreen(Screen[tuple]):
    """Dismissed with (station, admin) once saved."""

    DEFAULT_CSS = """
    SetupScreen { align: center middle; }
    SetupScreen > Vertical { width: 84; height: auto; border: thick $accent;
        padding: 1 2; }
    SetupScreen Grid { grid-size: 2; grid-columns: 16 1fr; grid-rows: 3; height: auto; }
    SetupScreen Grid Label { padding-top: 1; }
    SetupScreen #setup-error { color: $error; width: 100%; }
    """
    BINDINGS = [
        Binding("enter", "next_field", show=False, priority=True,
                id="setup.next"),Binding("ctrl+s", "save", t("key.save"), id="setup.save")]

    def __init__(self, login: str) -> None:
        super().__init__()
        self.login = login

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical() as box:
            box.border_title = t("setup.title")
            yield Static(t("setup.intro"))
            with Grid():
                for name in FIELDS:
                    yield Label(t(f"setup.{name}"))
                    # Focus (also after an error) puts the cursor at the end, so a
                    # one-character fix does not wipe the field.
                    yield Input("8" if name == "group_count" else "", id=f"setup-{name}",
                                max_length=60, select_on_focus=False)
            yield Label("", id="setup-error")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("app.title")

    def action_next_field(self) -> None:
        """Enter: the next field, or save from the last one.

        A priority binding acts when the key arrives, so keys typed ahead over a
        slow link land in the field they were meant for."""
        if self.focused is not None and self.focused.id == "setup-" + FIELDS[-1]:
            # Behind the keys still queued for that field, so they are in the form.
            self.focused.call_later(self.action_save)
        else:
            self.focus_next()

    def action_save(self) -> None:
        values = {name: self.query_one(f"#setup-{name}", Input).value for name in FIELDS}
        form = SetupForm(**values, admin_login=self.login)
        run_db(self, set_up_station, form, then=self.dismiss, failed=self._refused)

    def _refused(self, exc: Exception) -> None:
        self.query_one("#setup-error", Label).update(Text(problem_text(exc)))
        field = getattr(exc, "field", None)
        if field in FIELDS:
            self.query_one(f"#setup-{field}", Input).focus()
