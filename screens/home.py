"""The desk's home: who we are, what day it is, who is on duty, what is waiting."""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from models.core.i18n import t, weekday
from models.duty.roster import gaps_ahead
from models.duty.summary import HomeDuty, home_duty
from models.errands.entities import Errand
from models.errands.records import DeskFigures, desk_figures, reopened_errands
from models.station.head_notes import HeadNotes, head_notes
from models.village.dispute_lists import Attention, disputes_needing_attention
from models.village.coverage import my_visits

from .dbwork import run_db
from .duty_lines import duty_line, nights_line, shift_label
from .session import RoleKeys, changes_data, head_only, session_of, township_only
from .widgets.keybar import KeyBar
from .widgets.shown import shown


def load_work_screens() -> None:
    """Every module of this package, so no screen behind a key is left out."""
    for module in pkgutil.iter_modules(importlib.import_module(__package__).__path__):
        importlib.import_module(f"{__package__}.{module.name}")


class Figure(Static):
    """One number on the dashboard with its label."""

    def show(self, label: str, value: int, alarm: bool = False) -> None:
        text = Text()
        text.append(f"{value}\n", style="bold red" if alarm and value else "bold")
        text.append(label)
        self.update(text)


class HomeScreen(RoleKeys, Screen):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("i", "intake", t("key.intake"), id="home.intake"),
        Binding("r", "residents", t("key.residents"), id="home.residents"),
        Binding("e", "queue", t("key.queue"), id="home.queue"),
        Binding("o", "queue('overdue')", t("key.overdue"), id="home.overdue"),
        Binding("t", "carry_list", t("key.carry_list"), id="home.carry"),
        Binding("d", "duty", t("key.duty"), id="home.duty"),
        Binding("j", "handover", t("key.handover"), id="home.handover"),
        Binding("w", "roster", t("key.roster"), id="home.roster"),
        Binding("n", "night", t("key.night"), id="home.night", show=False),
        Binding("s", "duty_summary", t("key.duty_summary"), id="home.summary", show=False),
        Binding("x", "statistics", t("key.stats"), id="home.stats", show=False),
        Binding("z", "disputes", t("key.disputes"), id="home.disputes", show=False),
        Binding("h", "calendar", t("key.calendar"), id="home.calendar", show=False),
        Binding("v", "coverage", t("key.coverage"), id="home.coverage", show=False),
        Binding("y", "diary", t("key.diary"), id="home.diary", show=False),
        Binding("ctrl+o", "settings", t("key.settings"), id="home.settings", show=False),
        # the station head's own: hidden from everyone else (the models refuse them too)
        Binding("a", "audit", t("key.audit"), id="home.audit", show=False),
        Binding("c", "cadres", t("key.cadres"), id="home.cadres", show=False),
        Binding("g", "groups", t("key.groups"), id="home.groups", show=False),
        Binding("f", "households", t("key.households"), id="home.households", show=False),
        Binding("u", "import_register", t("key.import_register"), id="home.import",
                show=False),
        Binding("m", "catalogue", t("key.catalogue"), id="home.catalogue", show=False),
        Binding("k", "notices", t("key.notices"), id="home.notices", show=False),
        # a township cadre looking at this station: back to the stations side by side
        Binding("escape", "stations", t("key.township_stations"), id="home.stations"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="station-line")
            yield Static(id="signed-in")
            yield Static(id="duty-line")
            yield Static(id="duty-alerts")
            yield Static(id="reopened")
            yield Static(id="disputes-line")
            yield Static(id="my-visits")
            yield Static(id="gaps-line")
            yield Static(id="head-notes")
            with Grid(id="figures"):
                for name in ("today_intake", "open_count", "due_today", "overdue"):
                    yield Figure(id=name, classes="figure")
            yield Static(id="start-hint")
            yield Static(id="head-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("app.title")

    def on_screen_resume(self) -> None:
        """Shown, or back from another screen: what changed meanwhile shows too."""
        self.refresh_figures()

    def refresh_figures(self) -> None:
        session = session_of(self)
        today = dt.date.today()
        line = Text()
        line.append(shown(session.station_name, "bold"))
        line.append("   " + t("home.date", date=today.isoformat(),
                              weekday=weekday(today)))
        self.query_one("#station-line", Static).update(line)
        self.query_one("#signed-in", Static).update(
            shown(t("home.signed_in", name=session.cadre_name)))
        self.query_one("#start-hint", Static).update(
            t("home.township_hint" if session.is_township else "home.start_hint"))
        run_db(self, desk_figures, session.station_id, then=self._show, group="figures")
        run_db(self, home_duty, session.station_id, session.cadre_id,
               then=self._show_duty, group="duty-line")
        run_db(self, gaps_ahead, session.station_id, then=self._show_gaps, group="gaps")
        run_db(self, reopened_errands, session.station_id, session.cadre_id,
               then=self._show_reopened, group="reopened")
        run_db(self, disputes_needing_attention, session.station_id,
               then=self._show_disputes, group="disputes")
        if session.may_write:  # the township's cadre covers no group of the station
            run_db(self, my_visits, session.station_id, session.cadre_id,
                   then=self._show_my_visits, group="my-visits")
        else:
            self._show_my_visits(None)
        self.refresh_bindings()  # the role may have changed
        self.query_one("#head-hint", Static).update(t("home.head_hint") if session.is_head
                                                    else "")
        if session.is_head:
            run_db(self, head_notes, session.station_id, then=self._show_head_notes,
                   group="head-notes")
        else:
            self.query_one("#head-notes", Static).display = False

    def _show_head_notes(self, notes: HeadNotes) -> None:
        """What a new station still lacks, each a key away; errands of the departed."""
        text = Text()
        if notes.setting_up:
            text.append(t("home.first_day") + "\n", style="bold")
            if notes.households == 0:
                text.append(t("home.first_day.households") + "\n")
            if notes.cadres <= 1:
                text.append(t("home.first_day.team") + "\n")
            text.append(t("home.first_day.catalogue") + "\n")
        if notes.departed:
            text.append(t("home.departed", count=len(notes.departed)), style="bold yellow")
            text.append("、".join(f"{e.number} {e.resident.name}" for e in notes.departed[:3]))
            text.append((" …" if len(notes.departed) > 3 else "") + "\n")
        text.rstrip()
        notes_line = self.query_one("#head-notes", Static)
        notes_line.update(text)
        notes_line.display = bool(text)

    def _show_reopened(self, errands: list[Errand]) -> None:
        """The signed-in cadre's errands a 不满意 callback sent back to them."""
        text = Text()
        if errands:
            text.append(t("home.reopened", count=len(errands)), style="bold yellow")
            text.append_text(shown("、".join(f"{e.number} {e.resident.name}"
                                            for e in errands[:3])))
            if len(errands) > 3:
                text.append(" …")
        line = self.query_one("#reopened", Static)
        line.update(text)
        line.display = bool(errands)

    def _show_disputes(self, attention: Attention) -> None:
        """Open disputes at high risk or past their review date (z opens the list)."""
        text = Text()
        if attention.count:
            text.append(t("home.disputes", count=attention.count), style="bold red")
            today = dt.date.today()
            for index, row in enumerate(attention.rows):
                marks = [t("dispute.high_risk")] if row.high() else []
                if row.overdue(today):
                    marks.append(t("disputes.mark.overdue"))
                text.append("、" if index else "")
                text.append_text(shown(f"{row.dispute.number} {row.dispute.title}"))
                text.append(t("home.dispute_marks", marks="，".join(marks)))
            if attention.count > len(attention.rows):
                text.append(" …")
        line = self.query_one("#disputes-line", Static)
        line.update(text)
        line.display = bool(attention.count)
    def _show_my_visits(self, found) -> None:
        """The signed-in cadre's households this period: visited, and overdue."""
        line = self.query_one("#my-visits", Static)
        line.display = found is not None
        if found is not None:
            period, mine = found
            line.update(Text(t(f"home.visits.{period}", visited=mine.visited,
                               households=mine.households, overdue=len(mine.walk)),
                             style="bold yellow" if mine.walk else ""))

    def _show_gaps(self, gaps) -> None:
        """Hours with nobody on duty from now to the end of next month."""
        text = Text()
        if gaps:
            text.append(t("home.gaps", count=len(gaps)), style="bold red")
            text.append("、".join(f"{start:%m-%d %H:%M}–{end:%m-%d %H:%M}"
                                 for start, end in gaps[:3]))
            if len(gaps) > 3:
                text.append(" …")
        self.query_one("#gaps-line", Static).update(text)

    def on_data_changed(self) -> None:
        self.refresh_figures()
        self.refresh_bindings()  # the cadre's role may have changed

    def _show_duty(self, duty: HomeDuty) -> None:
        """Who is on duty now and next; what needs the signed-in cadre."""
        self.query_one("#duty-line", Static).update(duty_line(duty.duty))
        alerts = Text()
        if duty.mine is not None:
            key = "home.check_out" if duty.mine.checked_in_at else "home.check_in"
            alerts.append(shown(t(key, shift=shift_label(duty.mine)), "bold"))
            alerts.append("\n")
        if duty.pending is not None:
            alerts.append(t("home.handover_waiting") + "\n", style="bold yellow")
        if duty.short:
            alerts.append_text(nights_line(duty.short))
        self.query_one("#duty-alerts", Static).update(alerts)

    warmed = False

    def _show(self, figures: DeskFigures) -> None:
        if not self.warmed:
            # Once the dashboard is up, on this thread: on a worker the import fought
            # the UI for the GIL and held the import lock when the first key came.
            self.warmed = True
            self.set_timer(0.05, load_work_screens)
        for name in ("today_intake", "open_count", "due_today", "overdue"):
            self.query_one(f"#{name}", Figure).show(
                t(f"home.{name}"), getattr(figures, name),
                alarm=name in ("overdue", "due_today"))

    # The screens behind these keys are a quarter of the start-up imports: they load
    # just after the dashboard is up (load_work_screens), so by the time a key is
    # pressed the import below is a dictionary lookup.
    @changes_data
    def action_intake(self) -> None:
        from .intake import IntakeScreen
        self.app.push_screen(IntakeScreen())

    def action_residents(self) -> None:
        from .residents import ResidentsScreen
        self.app.push_screen(ResidentsScreen())

    def action_queue(self, preset: str = "open") -> None:
        from .queue import QueueScreen
        self.app.push_screen(QueueScreen(preset))

    def action_carry_list(self) -> None:
        from .carry import CarryScreen
        self.app.push_screen(CarryScreen())

    @changes_data
    def action_duty(self) -> None:
        from .duty import check_in_or_out
        check_in_or_out(self, done=lambda _: self.refresh_figures())

    @changes_data
    def action_handover(self) -> None:
        from .duty import show_pending_handover
        show_pending_handover(self, done=lambda _: self.refresh_figures())

    @changes_data
    def action_night(self) -> None:
        from .duty import mark_tonight
        mark_tonight(self, done=lambda _: self.refresh_figures())

    def action_duty_summary(self) -> None:
        from .duty import open_duty_summary
        open_duty_summary(self)

    def action_statistics(self) -> None:
        from .statistics import StatisticsScreen
        self.app.push_screen(StatisticsScreen())

    def action_disputes(self) -> None:
        from .disputes import DisputesScreen
        self.app.push_screen(DisputesScreen())
    def action_coverage(self) -> None:
        from .coverage import CoverageScreen
        self.app.push_screen(CoverageScreen())

    def action_diary(self) -> None:
        from .diary import DiaryScreen
        self.app.push_screen(DiaryScreen())

    def action_roster(self) -> None:
        from .roster import RosterScreen
        self.app.push_screen(RosterScreen())

    @head_only
    def action_settings(self) -> None:
        from .settings import SettingsScreen
        self.app.push_screen(SettingsScreen())

    @head_only
    def action_cadres(self) -> None:
        from .cadres import CadresScreen
        self.app.push_screen(CadresScreen())

    @head_only
    def action_groups(self) -> None:
        from .groups import GroupsScreen
        self.app.push_screen(GroupsScreen())

    @head_only
    def action_households(self) -> None:
        from .households import HouseholdsScreen
        self.app.push_screen(HouseholdsScreen())

    @head_only
    def action_import_register(self) -> None:
        from .table_import import ImportScreen
        self.app.push_screen(ImportScreen("residents"))

    @head_only
    def action_catalogue(self) -> None:
        from .catalogue import CatalogueScreen
        self.app.push_screen(CatalogueScreen())

    @head_only
    def action_notices(self) -> None:
        from .notices import NoticesScreen
        self.app.push_screen(NoticesScreen())

    def action_calendar(self) -> None:
        from .calendar import CalendarScreen
        self.app.push_screen(CalendarScreen())

    @head_only
    def action_audit(self) -> None:
        from .audit import AuditScreen
        self.app.push_screen(AuditScreen())

    @township_only
    def action_stations(self) -> None:
        self.app.pop_screen()
