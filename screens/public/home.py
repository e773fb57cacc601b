"""The hall's home: the station, who is on duty now and the desk's phone, the
opening hours, today's date (and the lunar one), and the menu, chosen by digit."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from models.core.i18n import t
from models.public.hall import HallFacts, hall_facts

from ..dbwork import run_db
from ..widgets.shown import shown
from .base import PublicScreen

REFRESH_SECONDS = 30  # a shift changes hands, the head renames the station
CLOCK_SECONDS = 5


class HallHome(PublicScreen):
    CSS_PATH = "home.tcss"
    TITLE_KEY = "public.title"
    KEYS_KEY = "public.keys.home"
    BINDINGS = [
        Binding("1", "open('lookup')", t("public.key.choose"), id="public.lookup"),
        Binding("2", "open('policies')", t("public.key.choose"), id="public.policies"),
        Binding("3", "open('publications')", t("public.key.choose"),
                id="public.publications"),
        Binding("4", "open('guide')", t("public.key.choose"), id="public.guide"),
    ]

    def body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="hall-about"):
                yield Static(id="hall-station")
                yield Digits(id="hall-clock")
                yield Static(id="hall-facts")
            with Vertical(id="hall-menu"):
                yield Static(t("public.menu"), classes="spaced")
                for choice in range(1, 5):
                    yield Static(t(f"public.menu.{choice}"), classes="menu-line")

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self.refresh_facts)
        self.set_interval(CLOCK_SECONDS, self._tick)

    def on_screen_resume(self) -> None:
        self.refresh_facts()

    def _tick(self) -> None:
        self.query_one("#hall-clock", Digits).update(f"{dt.datetime.now():%H:%M}")

    def refresh_facts(self) -> None:
        self._tick()
        run_db(self, hall_facts, self.actor.station_id, then=self._show, group="hall")

    def _show(self, facts: HallFacts) -> None:
        self.query_one("#hall-station", Static).update(shown(facts.station_name, "bold"))
        text = Text(f"{facts.today}   {facts.lunar}\n\n")
        text.append_text(shown(t("public.on_duty", name=facts.on_duty) if facts.on_duty
                               else t("public.nobody_on_duty")))
        if facts.duty_phone:
            text.append("\n")
            text.append_text(shown(t("public.duty_phone", phone=facts.duty_phone), "bold"))
        if facts.opening_hours:
            text.append("\n")
            text.append_text(shown(t("public.hours", hours=facts.opening_hours)))
        self.query_one("#hall-facts", Static).update(text)

    def action_open(self, which: str) -> None:
        from .lists import GuideScreen, PoliciesScreen, PublicationsScreen
        from .lookup import LookupScreen
        screens = {"lookup": LookupScreen, "policies": PoliciesScreen,
                   "publications": PublicationsScreen, "guide": GuideScreen}
        self.app.push_screen(screens[which]())

    def action_home(self) -> None:
        """Already home: Esc stays here."""
