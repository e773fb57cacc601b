"""Holidays and adjusted working days (节假日与调休) for due dates and the roster.

Shows what the calendar holds for a year and whether it is the published schedule;
the station head enters days or spans the library does not know yet (or local days
off) and marks a year published once its notice is in.
"""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from models.core.i18n import t, weekday
from models.duty.holidays import (
    CALENDAR_YEARS,
    CalendarLine,
    YearCalendar,
    calendar_lines,
    clear_calendar_day,
    parse_calendar_entry,
    set_calendar_days,
    set_year_published,
)

from .dbwork import problem_text, run_db
from .session import RoleKeys, head_only, session_of
from .widgets.dialogs import PromptScreen
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell


class CalendarScreen(RoleKeys, Screen):
    CSS_PATH = "calendar.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="calendar.back"),
        # priority: the table would take ←/→ to scroll sideways (and hide them from
        # the key line)
        Binding("left", "year(-1)", t("key.prev_year"), id="calendar.prev", priority=True),
        Binding("right", "year(1)", t("key.next_year"), id="calendar.next", priority=True),
        Binding("a", "add", t("key.add_day"), id="calendar.add"),
        Binding("d", "clear", t("key.clear_day"), id="calendar.clear"),
        Binding("p", "publish", t("key.publish_year"), id="calendar.publish"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year = dt.date.today().year
        self.lines: list[CalendarLine] = []
        self.official = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="calendar-state")
        yield DataTable(id="calendar-days", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("calendar.title")
        self.query_one(DataTable).add_columns(t("export.day"), "", t("export.shift"), "")
        self.reload()

    def reload(self) -> None:
        run_db(self, calendar_lines, self.year, then=self._show, group="calendar")

    on_data_changed = reload

    def _show(self, result: tuple[YearCalendar, list[CalendarLine]]) -> None:
        calendar, self.lines = result
        self.official = calendar.official
        key = "calendar.official" if calendar.official else "calendar.unofficial_year"
        self.query_one("#calendar-state", Static).update(
            Text(t(key, year=self.year), style="" if calendar.official else "bold yellow"))
        table = self.query_one(DataTable)
        table.clear()
        source = "" if calendar.official else t("calendar.by_law")
        for line in self.lines:
            table.add_row(line.day.isoformat(), t("weekday.short", day=weekday(line.day)),
                          shown(f"{t('calendar.' + line.kind)}  {line.name}"),
                          t("calendar.entered") if line.entered else source)

    def action_year(self, step: int) -> None:
        if self.year + step in CALENDAR_YEARS:
            self.year += step
            self.reload()

    @head_only
    def action_add(self) -> None:
        self.app.push_screen(PromptScreen(t("calendar.add_title")), self._entered)

    def _entered(self, raw: str | None) -> None:
        if not raw:
            return
        try:
            first, last, kind, name = parse_calendar_entry(raw, self.year)
        except ValueError as exc:
            tell(self, problem_text(exc), "warning")
            return
        run_db(self, set_calendar_days, first, last, kind, name, session_of(self),
               then=lambda _: self.reload(), group="save")

    @head_only
    def action_publish(self) -> None:
        year, published = self.year, not self.official

        def done(_) -> None:
            tell(self, t("calendar.marked_published" if published
                         else "calendar.marked_unpublished", year=year))
            self.reload()
        run_db(self, set_year_published, year, published, session_of(self), then=done,
               group="save")

    @head_only
    def action_clear(self) -> None:
        table = self.query_one(DataTable)
        if not self.lines or not self.lines[table.cursor_row].entered:
            return
        day = self.lines[table.cursor_row].day
        self._as_admin(lambda: run_db(self, clear_calendar_day, day, session_of(self),
                                      then=lambda _: self.reload(), group="save"))

    def action_back(self) -> None:
        self.app.pop_screen()
