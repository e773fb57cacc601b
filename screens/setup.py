"""First run on an empty database: the station, its groups, and its head."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from models.core.i18n import t
from models.station.setup import SetupForm, set_up_first_station

from .dbwork import run_db
from .widgets.fields import Field, FieldForm
from .widgets.keybar import KeyBar

FIELDS = ("station_name", "township", "group_count", "admin_name", "admin_phone")


class SetupScreen(Screen[tuple]):
    """Dismissed with (station, admin) once saved."""

    CSS_PATH = "setup.tcss"
    BINDINGS = [
        Binding("enter", "next_field", show=False, id="setup.next"),
        Binding("ctrl+s", "save", t("key.save"), id="setup.save"),
    ]

    def __init__(self, login: str) -> None:
        super().__init__()
        self.login = login

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical() as box:
            box.border_title = t("setup.title")
            yield Static(t("setup.intro"))
            yield FieldForm([Field(name, t(f"setup.{name}"),
                                   "8" if name == "group_count" else "")
                             for name in FIELDS])
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("app.title")

    def action_next_field(self) -> None:
        self.query_one(FieldForm).next_or_save(self.action_save)

    def action_save(self) -> None:
        form = SetupForm(**self.query_one(FieldForm).values(), admin_login=self.login)
        run_db(self, set_up_first_station, form, then=self.dismiss,
               failed=self.query_one(FieldForm).show_problem, hold_keys=True)
