"""The duty desk application: signs the cadre in, shows the home screen, keeps
every open screen current with what other sessions save, and rides out a lost
link to the township's database server (see models/core/link.py)."""
from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakSet

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from models.core.db import database, is_sqlite
from models.core.history import last_event_id
from models.core.i18n import t
from models.core.link import Link
from models.core.session import Session, fresh_session, session_for
from models.station.pins import station_sharing
from models.station.setup import first_station
from models.station.team import SignInRefused, desk_station, sign_in
from screens.commands import DeskCommandPalette, ResidentCommands
from screens.dbwork import run_db, try_link
from screens.help import HelpScreen
from screens.home import HomeScreen
from screens.keyhold import HoldsKeys
from screens.messages import DataChanged
from screens.pin_sign_in import PinSignInScreen
from screens.restoring import RestoringScreen
from screens.setup import SetupScreen
from screens.township import TownshipScreen
from screens.widgets.link_banner import (
    remove_link_banners,
    show_link_banner,
    update_link_banners,
)
from screens.widgets.shown import shown, tell

from .config import os_login
from .database import sqlite_file
from .locks import server_restore_underway
from .restore import restore_underway

POLL_SECONDS = 1.5
# Textual's own keys (by action), as the help lists them; the desk's carry their text
TEXTUAL_KEYS = {"app.focus_next": "help.focus_next",
                "app.focus_previous": "help.focus_previous",
                "screen.copy_text": "help.copy_text"}


class DutyDeskApp(HoldsKeys, App):
    TITLE = t("app.title")
    COMMANDS = App.COMMANDS | {ResidentCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "quit", t("key.quit"), id="app.quit", priority=True),
        Binding("f1", "help", t("key.help"), id="app.help"),
        Binding("ctrl+p", "command_palette", t("key.palette"), id="app.palette",
                show=False),
    ]

    def __init__(self, login: str | None = None, act_as: str | None = None,
                 pin_only: bool = False) -> None:
        super().__init__()
        self.login = login or os_login() or ""
        self.act_as = act_as  # a station head covering for another cadre (--as)
        # a browser desk (kiosk serve): whoever sits there proves who they are by
        # PIN; a login that is not (or no longer) a station's shared one is refused
        self.pin_only = pin_only
        self.session: Session | None = None  # set at sign-in; screens read it
        self.seen_event_id = 0
        # screens covered by another when a change was seen: told when shown again
        self.missed_changes: WeakSet[Screen] = WeakSet()
        self.db_file = None  # the SQLite file, watched for a restore
        self.link = Link()  # the database server's, told by every worker that lost it
        self.started = False  # the sign-in has been read (needs the database)

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.screen_change_signal.subscribe(self, self._screen_shown)
        run_db(self, self._who_am_i, then=self._start)

    def _who_am_i(self):
        """The station, and the cadre signed in, or why not, or None: the login is
        the station's shared one, and the cadre will say who they are by PIN."""
        station = first_station()
        shared = station_sharing(self.login)
        try:
            if self.pin_only and not shared:
                raise SignInRefused(t("signin.pin_only", login=self.login))
            if shared and self.act_as:
                raise SignInRefused(t("signin.as_needs_head"))
            cadre = sign_in(self.login, self.act_as) if station and not shared else None
        except SignInRefused as refused:
            cadre = refused
        if cadre is not None and not isinstance(cadre, SignInRefused):
            station = desk_station(cadre)  # on a township server: theirs, not the first
        return shared or station, cadre, last_event_id()

    def _start(self, found) -> None:
        station, cadre, self.seen_event_id = found
        self.started = True
        if station is None:
            self.push_screen(SetupScreen(self.login), self._set_up)
        elif isinstance(cadre, SignInRefused):
            self.exit(return_code=1, message=str(cadre))
        elif cadre is None:
            self.push_screen(PinSignInScreen(station, self.login),
                             lambda cadre: self._sign_in(station, cadre))
        else:
            self._sign_in(station, cadre)

    def _set_up(self, result) -> None:
        station, admin = result
        self._sign_in(station, admin)

    def _sign_in(self, station, cadre) -> None:
        self._use(session_for(station, cadre, self.login))
        self.db_file = sqlite_file(database.obj)
        self.push_screen(TownshipScreen() if self.session.is_township else HomeScreen())
        self.set_interval(POLL_SECONDS, self._poll_changes)

    def switch_to(self, session: Session) -> None:
        """The township cadre now looking at another station (read only)."""
        self._use(session)

    def _use(self, session: Session) -> None:
        self.session = session
        self.sub_title = shown(f"{session.station_name} · {session.cadre_name}").plain

    def _poll_changes(self) -> None:
        # A restore waits for every session to let go of the file. Asked here, on
        # the UI thread, before a worker opens a connection; workers open theirs per
        # job, so while the restoring screen covers the desk none is left open.
        if self.db_file is not None and restore_underway(self.db_file):
            self._restoring()
            return
        if self.link.down:  # the retries look for the server meanwhile
            return
        # back from a restore: the database is another, read everything anew
        seen = -1 if isinstance(self.screen, RestoringScreen) else self.seen_event_id
        run_db(self, self._changes_since, seen, self.session,
               then=self._changes_seen, group="poll")

    def _restoring(self) -> None:
        if not isinstance(self.screen, RestoringScreen):
            self.push_screen(RestoringScreen())

    @staticmethod
    def _changes_since(seen: int, session: Session) -> tuple[int, Session | None] | None:
        """The newest event, and the session re-read when anything changed (a new
        role or station name then shows within one poll); None while a restore
        holds the PostgreSQL database (SQLite's is seen before any connection)."""
        if not is_sqlite() and server_restore_underway(database.obj):
            return None
        newest = last_event_id()
        return newest, (fresh_session(session) if newest != seen else session)

    def _changes_seen(self, found: tuple[int, Session | None] | None) -> None:
        if found is None:
            self._restoring()
            return
        event_id, session = found
        if isinstance(self.screen, RestoringScreen):
            self.pop_screen()
            self.seen_event_id = -1
        if session is None:
            self.exit(return_code=1, message=t("signin.deactivated"))
        elif event_id != self.seen_event_id:
            self.seen_event_id = event_id
            self._use(session)
            self.missed_changes.update(self.screen_stack[:-1])
            self.screen.post_message(DataChanged())

    # — the link to the database server —
    def link_lost(self, exc: Exception) -> None:
        """A worker could not reach the server: say so on every screen from now
        until it answers again, and try it again and again by itself."""
        if self.link.lost(exc):
            show_link_banner(self.screen, self.link.banner())
            self.set_timer(self.link.next_delay(), self._try_link)

    def _try_link(self) -> None:
        self.link.trying()
        update_link_banners(self, self.link.banner())
        try_link(self, self._link_tried)

    def _link_tried(self, failure: Exception | None) -> None:
        if failure is not None:
            update_link_banners(self, self.link.banner())
            self.set_timer(self.link.next_delay(), self._try_link)
            return
        self.link.back()
        remove_link_banners(self)
        tell(self, t("link.back"))
        if not self.started:
            run_db(self, self._who_am_i, then=self._start)
        elif self.session is not None:
            self.seen_event_id = -1  # read everything anew: much may have been missed
            self._poll_changes()

    def _screen_shown(self, screen: Screen) -> None:
        """Back on a screen that was covered when a change was seen: it reads anew."""
        self._hold_keys(screen)
        if self.link.down:
            show_link_banner(screen, self.link.banner())
        if screen in self.missed_changes:
            self.missed_changes.discard(screen)
            screen.post_message(DataChanged())

    # Keys typed ahead over a slow link arrive together: `i` then a name. A screen
    # just pushed has no focus until it has been built, so they wait for it.
    def _hold_keys(self, screen: Screen) -> None:
        self.keys_ready(self.hold_keys(), screen)

    def check_action(self, action: str, parameters) -> bool:
        # the palette searches the database: nothing but quitting while restoring
        return action == "quit" or not isinstance(self.screen, RestoringScreen)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        keys = [(binding.key_display or self.get_key_display(binding), description)
                for binding in (active.binding for active in
                                self.screen.active_bindings.values())
                if (description := key_description(binding))]
        self.push_screen(HelpScreen(keys))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(DeskCommandPalette(id="--command-palette",
                                            placeholder=t("palette.placeholder")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands the desk keeps (no themes, no screenshots)."""
        yield SystemCommand(t("key.help"), t("palette.keys"), self.action_help)
        yield SystemCommand(t("key.quit"), t("palette.quit"), self.action_quit)


def key_description(binding: Binding) -> str:
    """What the help says a key does: the desk's own text, Textual's from the
    catalogue; a widget's inner keys (an Input's cursor keys…) are left out."""
    if binding.action in TEXTUAL_KEYS:
        return t(TEXTUAL_KEYS[binding.action])
    return binding.description if binding.id else ""
