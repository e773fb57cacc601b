"""The duty desk application: signs the cadre in, shows the home screen, keeps
every open screen current with what other sessions save."""
from __future__ import annotations

import getpass

from textual.app import App
from textual.binding import Binding

from models.core.history import last_event_id
from models.core.i18n import t
from models.station.setup import first_station
from models.station.team import cadre_for_login
from screens.commands import ResidentCommands
from screens.dbwork import run_db
from screens.help import HelpScreen
from screens.home import HomeScreen
from screens.messages import DataChanged
from screens.setup import SetupScreen

POLL_SECONDS = 1.5


class DutyDeskApp(App):
    TITLE = t("app.title")
    COMMANDS = App.COMMANDS | {ResidentCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "quit", t("key.quit"), id="app.quit", priority=True),
        Binding("f1", "help", t("key.help"), id="app.help"),
        Binding("ctrl+p", "command_palette", t("key.palette"), id="app.palette",
                show=False),
    ]

    def __init__(self, login: str | None = None) -> None:
        super().__init__()
        self.login = login or getpass.getuser()
        self.station_id: int | None = None
        self.station_name = ""
        self.cadre_id: int | None = None
        self.cadre_name = ""
        self.is_admin = False  # the station head: roster generation, calendar, settings
        self.seen_event_id = 0

    def on_mount(self) -> None:
        self.title = t("app.title")
        run_db(self, self._who_am_i, then=self._start)

    def _who_am_i(self):
        station = first_station()
        cadre = cadre_for_login(self.login) if station else None
        return station, cadre, last_event_id()

    def _start(self, found) -> None:
        station, cadre, self.seen_event_id = found
        if station is None:
            self.push_screen(SetupScreen(self.login), self._set_up)
        else:
            self._sign_in(station, cadre)

    def _set_up(self, result) -> None:
        station, admin = result
        self._sign_in(station, admin)

    def _sign_in(self, station, cadre) -> None:
        self.station_id, self.station_name = station.id, station.name
        if cadre is not None:
            self.cadre_id, self.cadre_name = cadre.id, cadre.name
            self.is_admin = cadre.role == "admin"
        else:
            self.cadre_name = t("app.guest", login=self.login)
        self.sub_title = f"{station.name} · {self.cadre_name}"
        self.push_screen(HomeScreen())
        self.set_interval(POLL_SECONDS, self._poll_changes)

    def _poll_changes(self) -> None:
        run_db(self, last_event_id, then=self._changes_seen, group="poll")

    def _changes_seen(self, event_id: int) -> None:
        if event_id != self.seen_event_id:
            self.seen_event_id = event_id
            self.screen.post_message(DataChanged())

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        keys = [(binding.key_display or self.get_key_display(binding), binding.description)
                for binding in (active.binding for active in
                                self.screen.active_bindings.values())
                if binding.description]
        self.push_screen(HelpScreen(keys))
