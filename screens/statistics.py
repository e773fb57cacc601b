"""统计: a month's (or any span's) figures at a glance — errands by way of handling,
on time and late, how long they took, callbacks, visits and household coverage,
disputes, each cadre's errands, check-ins, nights, visits and disputes — with bars
and daily sparklines where a picture reads faster.

The errands' figures and the village's (visits, disputes) are counted by two
workers at once and shown together once both are in, laid out and drawn together
(each part shown on its own cost a full redraw more, and the two come within a few
ms of each other). Until then the screen is its heading line alone, never a frame
of empty tiles; a month changed keeps the last figures on screen until the new
ones are in."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Sparkline, Static

from models.core.i18n import t
from models.duty.hours import next_month
from models.errands.entities import status_label
from models.reports.figures import (
    Period,
    StationFigures,
    period_label,
    read_period,
    station_figures,
)
from models.reports.village_figures import (
    CadreRow,
    CadreVillage,
    VillageFigures,
    cadre_rows,
    village_figures,
)

from .dbwork import run_db
from .session import session_of
from .duty import SummaryTable
from .widgets.dialogs import PromptScreen
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell

BAR_WIDTH = 24
TOP_ITEMS = 10
CADRE_COLUMNS = ("duty.col.name", "stats.col.registered", "stats.col.completed",
                 "stats.col.on_time", "stats.col.late", "stats.col.overdue_rate",
                 "duty.col.shifts", "duty.col.on_time", "duty.col.late", "duty.col.missed",
                 "stats.col.nights", "stats.col.visits", "stats.col.households",
                 "stats.col.disputes")
ERRAND_TILES = ("registered", "completed", "late", "days", "callbacks", "open_overdue")
VILLAGE_TILES = ("visits", "coverage", "households_overdue", "disputes_found",
                 "disputes_settled", "open_high_risk")


def _rate(value: int | None) -> str:
    return t("stats.none") if value is None else f"{value}%"


def _days(value: int | None) -> str:
    return t("stats.none") if value is None else str(value)


def bars(counts: list[tuple[str, int]]) -> Text:
    """One line per label: the label, a bar as long as its share of the largest,
    the count."""
    text, most = Text(), max((count for _, count in counts), default=0)
    width = max((len(label) for label, _ in counts), default=0)
    for label, count in counts:
        length = round(BAR_WIDTH * count / most) if most else 0
        text.append(f"{label:\u3000<{width}} ")
        text.append("█" * length or "▏", style="bold green" if count else "dim")
        text.append(f" {count}\n")
    text.rstrip()
    return text


def tile(label: str, value: str, note: str = "") -> Text:
    text = Text(f"{value}\n", style="bold")
    text.append(label, style="")
    if note:
        text.append(f"\n{note}", style="dim")
    return text


class Body(VerticalScroll, inherit_bindings=False):
    """Scrolls to whichever table has focus (Tab); ←/→ are left to the screen's
    months."""


class StatisticsScreen(Screen):
    CSS_PATH = "statistics.tcss"
    # below 100 columns the tiles go in two rows and the pictures one above the other
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="stats.back"),
        Binding("left", "month(-1)", t("duty.key.prev_month"), id="stats.prev",
                key_display="←"),
        Binding("right", "month(1)", t("duty.key.next_month"), id="stats.next",
                key_display="→"),
        Binding("r", "span", t("stats.key.range"), id="stats.range"),
        Binding("m", "this_month", t("stats.key.this_month"), id="stats.this_month"),
    ]

    def __init__(self, period: Period | None = None) -> None:
        super().__init__()
        today = dt.date.today()
        self.period = period or Period.month(today.year, today.month)
        # the period's figures as they come in (None: still being counted)
        self.figures: StationFigures | None = None
        self.village: VillageFigures | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="stats-period")
        with Body(id="stats-body"):
            with Horizontal(id="stats-tiles", classes="tiles"):
                for name in ERRAND_TILES:
                    yield Static(id=f"tile-{name}", classes="tile")
            yield Static(t("stats.village"), classes="section")
            with Horizontal(id="stats-village-tiles", classes="tiles"):
                for name in VILLAGE_TILES:
                    yield Static(id=f"tile-{name}", classes="tile")
            with Horizontal(id="stats-pictures"):
                with Vertical(classes="half"):
                    yield Static(t("stats.by_mode"), classes="section")
                    yield Static(id="stats-modes")
                    yield Static(t("stats.callbacks"), classes="section")
                    yield Static(id="stats-callbacks")
                    yield Static(t("stats.by_status"), classes="section")
                    yield Static(id="stats-statuses")
                with Vertical(classes="half"):
                    yield Static(id="intake-label", classes="section")
                    yield Sparkline([], id="intake-line", summary_function=max)
                    yield Static(id="overdue-label", classes="section")
                    yield Sparkline([], id="overdue-line", summary_function=max)
            yield Static(t("stats.cadres"), classes="section")
            yield SummaryTable(id="stats-cadres", cursor_type="row", zebra_stripes=True)
            yield SummaryTable(id="stats-items", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("stats.title")
        cadres = self.query_one("#stats-cadres", DataTable)
        for key in CADRE_COLUMNS:
            cadres.add_column(t(key), key=key)
        items = self.query_one("#stats-items", DataTable)
        items.add_column(t("stats.by_item", count=TOP_ITEMS))
        items.add_column(t("stats.registered"))
        self.query_one(Body).display = False  # until the first figures are in
        cadres.focus()

    def load(self) -> None:
        self.query_one("#stats-period", Static).update(
            Text(t("stats.loading"), style="dim"))
        self.figures = self.village = None
        station_id = session_of(self).station_id
        run_db(self, station_figures, station_id, self.period, then=self._counted,
               group="stats")
        run_db(self, village_figures, station_id, self.period, then=self._counted,
               group="stats-village")

    def on_data_changed(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        """Shown, or back from a screen above: the figures as they are now."""
        self.load()

    def _counted(self, figures: StationFigures | VillageFigures) -> None:
        """One of the two sets of figures is in: both on screen once both are."""
        if figures.period != self.period:
            return  # a month left before it was counted
        if isinstance(figures, VillageFigures):
            self.village = figures
        else:
            self.figures = figures
        if self.figures is None or self.village is None:
            return
        self._show(self.figures)
        self._show_village(self.village)
        self._cadres()
        self.query_one(Body).display = True  # the first time: laid out and drawn at once

    def _show(self, figures: StationFigures) -> None:
        done, calls = figures.completion, figures.callbacks
        self.query_one("#stats-period", Static).update(Text(t(
            "stats.heading", period=period_label(figures.period),
            days=len(figures.period.dates())), style="bold"))
        tiles = {
            "registered": tile(t("stats.registered"), str(figures.registered)),
            "completed": tile(t("stats.completed"), str(done.completed),
                              t("stats.ended_line", returned=done.returned,
                                cancelled=done.cancelled)),
            "late": tile(t("stats.overdue_rate"), _rate(done.overdue_rate),
                         t("stats.late_line", on_time=done.on_time, late=done.late)),
            "days": tile(t("stats.days"), t("stats.none") if done.median_days is None
                         else t("stats.days_unit", days=done.median_days),
                         t("stats.days_value", p90=_days(done.p90_days))),
            "callbacks": tile(t("stats.satisfaction"), _rate(calls.satisfaction),
                              f"{t('stats.callbacks')} {calls.made}"),
            "open_overdue": tile(t("stats.open_overdue"), str(figures.open_overdue)),
        }
        self._tiles(tiles)
        self.query_one("#stats-modes", Static).update(
            bars([(t(f"mode.{mode}"), count) for mode, count in figures.by_mode.items()]))
        self.query_one("#stats-callbacks", Static).update(t(
            "stats.callbacks_line", satisfied=calls.satisfied, fairly=calls.fairly,
            unsatisfied=calls.unsatisfied, not_reached=calls.not_reached))
        # a status and its count are one word (bold count, no space between), so a
        # narrow line wraps between statuses, never between a status and its count
        statuses = Text("  ").join(
            Text.assemble(status_label(status, None), (str(count), "bold"))
            for status, count in sorted(figures.by_status.items(), key=lambda kv: -kv[1]))
        self.query_one("#stats-statuses", Static).update(statuses)
        self._line("intake", figures.daily_intake, t(
            "stats.daily_intake", total=sum(figures.daily_intake),
            most=max(figures.daily_intake, default=0)))
        self._line("overdue", figures.daily_overdue, t(
            "stats.daily_overdue", most=max(figures.daily_overdue, default=0),
            last=figures.open_overdue))
        items = self.query_one("#stats-items", DataTable)
        items.clear()
        for name, count in figures.by_item[:TOP_ITEMS]:
            items.add_row(shown(name), Text(str(count)))

    def _show_village(self, village: VillageFigures) -> None:
        disputes = village.disputes
        self._tiles({
            "visits": tile(t("stats.visits"), str(village.visits)),
            "coverage": tile(t("stats.coverage"), _rate(village.coverage),
                             t("stats.coverage_line", visited=village.visited,
                               households=village.households)),
            "households_overdue": tile(t("stats.households_overdue"), str(village.overdue)),
            "disputes_found": tile(t("stats.disputes_found"), str(disputes.found)),
            "disputes_settled": tile(t("stats.disputes_settled"), str(disputes.settled),
                                     t("stats.escalated_line",
                                       escalated=disputes.escalated)),
            "open_high_risk": tile(t("stats.open_high_risk"), str(village.open_high_risk)),
        })

    def _tiles(self, tiles: dict[str, Text]) -> None:
        for name, text in tiles.items():
            self.query_one(f"#tile-{name}", Static).update(text)

    def _line(self, name: str, values: list[int], label: str) -> None:
        self.query_one(f"#{name}-label", Static).update(label)
        self.query_one(f"#{name}-line", Sparkline).data = values or [0]

    def _cadres(self) -> None:
        """Each cadre's line: errands, duty, visits and disputes."""
        table = self.query_one("#stats-cadres", DataTable)
        table.clear()
        for row in cadre_rows(self.figures, self.village):
            table.add_row(shown(row.name), *self._errand_cells(row), *self._duty_cells(row),
                          *self._village_cells(row), key=str(row.cadre_id))

    def _errand_cells(self, row: CadreRow) -> list[Text]:
        mine = row.errands
        counts = ([mine.registered, mine.completed, mine.on_time, mine.late]
                  if mine else [0, 0, 0, 0])
        return [*(Text(str(n)) for n in counts),
                Text(_rate(mine.overdue_rate if mine else None))]

    def _duty_cells(self, row: CadreRow) -> list[Text]:
        shifts = row.duty
        if not shifts:
            return [Text(t("stats.none"))] * 5
        nights = (t("stats.nights", nights=shifts.nights, required=shifts.required)
                  if shifts.stays_in_village
                  else t("stats.nights_free", nights=shifts.nights))
        return [*(Text(str(n)) for n in (shifts.shifts, shifts.on_time, shifts.late,
                                          shifts.missed)),
                Text(nights, style="bold red" if shifts.short else "")]

    def _village_cells(self, row: CadreRow) -> list[Text]:
        mine = row.village or CadreVillage(row.cadre_id, row.name)
        disputes = mine.disputes
        return [Text(str(mine.visits)), Text(str(mine.households)),
                Text(t("stats.disputes_cell", found=disputes.found, settled=disputes.settled,
                       escalated=disputes.escalated))]

    def action_month(self, step: int) -> None:
        year, month = next_month(self.period.first.year, self.period.first.month, step)
        self.period = Period.month(year, month)
        self.load()

    def action_this_month(self) -> None:
        today = dt.date.today()
        self.period = Period.month(today.year, today.month)
        self.load()

    def action_span(self) -> None:
        def given(text: str | None) -> None:
            if not text:
                return
            try:
                self.period = read_period(text, dt.date.today())
            except ValueError as exc:
                tell(self, str(exc), "warning")
                return
            self.load()
        self.app.push_screen(PromptScreen(t("stats.range.title"),
                                          t("stats.range.placeholder")), given)

    def action_back(self) -> None:
        self.app.pop_screen()
