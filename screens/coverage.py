"""The coverage board (两包一访 · 不漏一户): this week's or this month's visits per
villager group or per cadre — households visited against all, how many are
overdue — and below, the chosen group's households worst first, or a cadre's
walk for today. One key logs a visit of the household under the cursor.
"""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from models.core.i18n import moment, t
from models.village.cards import contact_cards_printout
from models.village.coverage import (
    MONTH_PERIOD,
    WEEK_PERIOD,
    Board,
    CadreLine,
    DueHousehold,
    GroupLine,
    coverage_board,
    group_households,
    period_span,
)

from .coverage_dialogs import RulesDialog, TagsDialog
from .dbwork import run_db
from .policy_gaps import PolicyGapsScreen
from .printout import print_page
from .session import session_of, station_read
from .visit import VisitScreen
from .widgets.columns import Columns, cut
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell

GROUPS = Columns("coverage.col.{}", {"group": 12, "cadres": 18, "visited": 10, "overdue": 6},
                 give_way={"cadres": 8, "group": 8})
CADRES = Columns("coverage.col.{}", {"cadre": 12, "groups": 18, "visited": 10, "overdue": 6},
                 give_way={"groups": 8, "cadre": 8})
HOUSEHOLDS = Columns("coverage.col.{}",
                     {"number": 8, "head": 10, "tags": 22, "last": 18, "state": 14},
                     give_way={"tags": 6, "last": 12, "head": 6})
GROUPS_VIEW, CADRES_VIEW = "groups", "cadres"


def tags_text(tags) -> str:
    return "、".join(t(f"tag.{tag}") for tag in tags)


def state_cell(due: DueHousehold) -> Text:
    if due.days_late is None:
        return Text(t("coverage.never"), style="bold red")
    if due.days_late > 0:
        return Text(t("coverage.late", days=f"{due.days_late:.1f}"), style="bold red")
    return Text(t("coverage.in_time", days=f"{-due.days_late:.1f}"), style="dim")


def household_cells(due: DueHousehold) -> list[Text]:
    return [shown(due.number), cut(shown(due.head)), cut(Text(tags_text(due.tags))),
            cut(Text(moment(due.last_visit) if due.last_visit else "—")), state_cell(due)]


def visited_cell(visited: int, households: int) -> Text:
    return Text(f"{visited}/{households}", style="bold red" if households and not visited
                else "")


def overdue_cell(count: int) -> Text:
    return Text(str(count), style="bold red" if count else "green")


def group_label(line: GroupLine) -> Text:
    return shown(line.name or t("coverage.group_name", number=line.number))


def group_cells(line: GroupLine) -> list[Text]:
    c = line.coverage
    return [cut(group_label(line)),
            cut(shown("、".join(line.cadres)) if line.cadres
                else Text(t("coverage.nobody"), style="yellow")),
            visited_cell(c.visited, c.households), overdue_cell(len(c.overdue))]


def cadre_cells(line: CadreLine) -> list[Text]:
    return [cut(shown(line.name)),
            cut(Text("、".join(t("coverage.group_name", number=n) for n in line.group_numbers))),
            visited_cell(line.visited, line.households), overdue_cell(len(line.walk))]


class CoverageScreen(Screen):
    CSS_PATH = "coverage.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="coverage.back"),
        Binding("l", "log_visit", t("key.log_visit"), id="coverage.log"),
        Binding("n", "new_visit", t("key.new_visit"), id="coverage.new"),
        Binding("m", "my_walk", t("key.my_walk"), id="coverage.mine"),
        Binding("c", "switch_view", t("key.by_cadre"), id="coverage.view"),
        Binding("p", "switch_period", t("key.period"), id="coverage.period"),
        Binding("t", "tags", t("key.tags"), id="coverage.tags"),
        Binding("r", "rules", t("key.visit_rules"), id="coverage.rules"),
        Binding("k", "print_cards", t("key.print_cards"), id="coverage.cards"),
        Binding("z", "policy_gaps", t("key.policy_gaps"), id="coverage.policy_gaps"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: str | None = None  # the one shown
        self.chosen_period: str | None = None  # by p; else the station's usual one
        self.view = GROUPS_VIEW
        self.scopes: list[GroupLine | CadreLine] = []
        self.households: list[DueHousehold] = []
        self.want_cadre: int | None = None  # put the cursor on this cadre once loaded

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="coverage-period")
        yield DataTable(id="scopes", cursor_type="row", zebra_stripes=True)
        yield Static(id="households-title")
        yield DataTable(id="households", cursor_type="row", zebra_stripes=True)
        yield Static(t("coverage.none_overdue"), id="no-households")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("coverage.title")
        self.lay_out()
        self.query_one("#scopes", DataTable).focus()

    def check_action(self, action: str, parameters) -> bool:
        return action not in ("rules", "print_cards") or session_of(self).is_head

    # — the period and the tables' columns —
    def span(self) -> tuple[dt.date, dt.date]:
        return period_span(self.period or WEEK_PERIOD, dt.date.today())

    def lay_out(self) -> None:
        width = self.app.size.width
        (CADRES if self.view == CADRES_VIEW else GROUPS).lay_out(
            self.query_one("#scopes", DataTable), width)
        HOUSEHOLDS.lay_out(self.query_one("#households", DataTable), width)

    def on_resize(self) -> None:
        self.lay_out()
        self._show_scopes(self.scopes)

    # — reading —
    def reload(self) -> None:
        run_db(self, coverage_board, session_of(self).station_id, self.chosen_period,
               self.view == CADRES_VIEW, then=self._loaded, group="scopes")

    def _loaded(self, board: Board) -> None:
        self.period = board.period
        self.query_one("#coverage-period", Static).update(Text(
            t(f"coverage.period.{board.period}", start=moment(board.start),
              end=moment(board.end - dt.timedelta(days=1))), style="bold"))
        self._show_scopes(board.lines)

    def _show_scopes(self, lines: list) -> None:
        table = self.query_one("#scopes", DataTable)
        keep = self.current_scope()
        keys = [self.scope_key(line) for line in lines]
        if self.want_cadre is not None and self.want_cadre not in keys:
            tell(self, t("coverage.no_cover"))
        wanted = self.want_cadre if self.want_cadre in keys else \
            self.scope_key(keep) if keep is not None else None
        self.want_cadre = None
        self.scopes = lines
        cells = cadre_cells if self.view == CADRES_VIEW else group_cells
        with self.app.batch_update():
            table.clear()
            for line in lines:
                table.add_row(*cells(line), key=str(self.scope_key(line)))
            if lines:
                table.move_cursor(row=keys.index(wanted) if wanted in keys
                                  else min(table.cursor_row, len(lines) - 1))
        self._load_households()

    def scope_key(self, line) -> int:
        return line.cadre_id if isinstance(line, CadreLine) else line.group_id

    def current_scope(self):
        row = self.query_one("#scopes", DataTable).cursor_row
        return self.scopes[row] if 0 <= row < len(self.scopes) else None

    @on(DataTable.RowHighlighted, "#scopes")
    def _load_households(self) -> None:
        scope = self.current_scope()
        title = self.query_one("#households-title", Static)
        if scope is None:
            title.update("")
            self._show_households([])
        elif isinstance(scope, CadreLine):
            title.update(shown(t("coverage.of_cadre", name=scope.name), "bold"))
            self._show_households(list(scope.walk))
        else:
            title.update(shown(t("coverage.of_group", group=group_label(scope).plain),
                               "bold"))
            start, end = self.span()
            run_db(self, station_read(self, group_households), scope.group_id, start, end,
                   then=self._show_households, group="households")

    def _show_households(self, households: list[DueHousehold]) -> None:
        table = self.query_one("#households", DataTable)
        keep = self.current_household()
        self.households = households
        ids = [due.household_id for due in households]
        with self.app.batch_update():
            table.clear()
            for due in households:
                table.add_row(*household_cells(due), key=str(due.household_id))
            if keep is not None and keep.household_id in ids:
                table.move_cursor(row=ids.index(keep.household_id))
        table.display = bool(households)
        self.query_one("#no-households", Static).display = not households

    def current_household(self) -> DueHousehold | None:
        row = self.query_one("#households", DataTable).cursor_row
        return self.households[row] if 0 <= row < len(self.households) else None

    def on_data_changed(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        """Shown, or back from a visit: the figures as they are now."""
        self.reload()

    # — keys —
    @on(DataTable.RowSelected, "#scopes")
    def _to_households(self) -> None:
        self.query_one("#households", DataTable).focus()

    @on(DataTable.RowSelected, "#households")
    def action_log_visit(self) -> None:
        due = self.current_household()
        if due is None:
            tell(self, t("visit.pick_household"))
            return
        self.app.push_screen(VisitScreen(due.household_id))

    def action_new_visit(self) -> None:
        self.app.push_screen(VisitScreen())

    def action_switch_period(self) -> None:
        self.chosen_period = MONTH_PERIOD if self.period == WEEK_PERIOD else WEEK_PERIOD
        self.reload()

    def action_switch_view(self) -> None:
        self.view = GROUPS_VIEW if self.view == CADRES_VIEW else CADRES_VIEW
        self.scopes = []
        self.lay_out()
        self.reload()

    def action_my_walk(self) -> None:
        """The signed-in cadre's line, their overdue households below."""
        self.want_cadre = session_of(self).cadre_id
        if self.view != CADRES_VIEW:
            self.action_switch_view()
        else:
            self.reload()
        self.query_one("#households", DataTable).focus()

    def action_tags(self) -> None:
        due = self.current_household()
        if due is None:
            tell(self, t("visit.pick_household"))
            return
        self.app.push_screen(TagsDialog(due.household_id, due.number, due.tags),
                             lambda saved: self.reload() if saved else None)

    def action_rules(self) -> None:
        self.app.push_screen(RulesDialog(), lambda saved: self.reload() if saved else None)

    def action_print_cards(self) -> None:
        """The 便民连心卡 of the group under the cursor, as a page to print."""
        scope = self.current_scope()
        if not isinstance(scope, GroupLine):
            tell(self, t("coverage.pick_group"))
            return
        print_page(self, contact_cards_printout, session_of(self), scope.number)

    def action_policy_gaps(self) -> None:
        """政策未宣讲 for the group under the cursor, else the whole station."""
        scope = self.current_scope()
        if isinstance(scope, GroupLine):
            self.app.push_screen(PolicyGapsScreen(scope.group_id, group_label(scope).plain))
        else:
            self.app.push_screen(PolicyGapsScreen())

    def action_back(self) -> None:
        self.app.pop_screen()
