"""The township's home: every station of the server side by side for the month, and
the station the township cadre is looking at. Enter switches to the station under
the cursor and opens its home, read only: the keys that change anything are left
out there (screens/session.py RoleKeys) and the models refuse them anyway; Esc
comes back here."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from models.core.i18n import t
from models.station.township import (
    StationLine,
    switch_station,
    township_lines,
    township_total,
)

from .dbwork import run_db
from .session import session_of
from .widgets.shown import shown
from .widgets.table_screen import TableScreen


def percent(part: int, whole: int) -> str:
    share = StationLine.share(part, whole)
    return "—" if share is None else f"{share}%"


class TownshipScreen(TableScreen):
    CSS_PATH = "township.tcss"
    TITLE_KEY = "township.title"
    COLUMNS = ("township.col.station", "township.col.open", "township.col.overdue",
               "township.col.satisfied", "township.col.nights", "township.col.coverage")
    BINDINGS = [Binding("enter", "switch", t("key.township_switch"), priority=True,
                        id="township.switch"),
                Binding("escape", "back", show=False)]  # home: nothing to go back to

    def on_mount(self) -> None:  # after TableScreen's own (Textual calls both)
        today = dt.date.today()
        self.sub_title = t("township.month", year=today.year, month=today.month)

    def load(self) -> tuple:
        today = dt.date.today()
        return township_lines, today.year, today.month

    def key(self, row: StationLine) -> int:
        return row.station_id

    def cells(self, row: StationLine) -> list:
        return [shown(row.name), str(row.open), percent(row.overdue, row.open),
                percent(row.satisfied, row.answered), f"{row.nights}/{row.nights_due}",
                percent(row.visited, row.households)]

    def describe(self, row: StationLine) -> Text:
        looking = session_of(self).station_name
        total = township_total(self.rows)
        text = Text(t("township.total", open=total.open,
                      overdue=percent(total.overdue, total.open),
                      satisfied=percent(total.satisfied, total.answered),
                      nights=total.nights, due=total.nights_due,
                      coverage=percent(total.visited, total.households)) + "\n",
                    style="bold")
        text.append(t("township.looking_at") + " ")
        text.append_text(shown(looking))
        text.append("\n" + t("township.hint"), style="dim")
        return text

    def action_back(self) -> None:
        """The township's home stays (Ctrl+Q quits)."""

    @on(DataTable.RowSelected, "#rows")
    def action_switch(self) -> None:
        row = self.current()
        if row is not None:
            run_db(self, switch_station, session_of(self), row.station_id,
                   then=self._switched)

    def _switched(self, session) -> None:
        from .home import HomeScreen
        self.app.switch_to(session)
        self.app.push_screen(HomeScreen())
