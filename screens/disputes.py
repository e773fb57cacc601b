"""The station's disputes (矛盾纠纷排查调处), worst first: open ones at high risk or
past their review date on top, marked so they read on a monochrome terminal too."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from models.core.i18n import t
from models.village.dispute_lists import DisputeRow, dispute_list
from models.village.entities import Risk

from .dbwork import run_db
from .dispute import DisputeScreen
from .dispute_forms import DisputeFormScreen
from .session import RoleKeys, changes_data, session_of
from .widgets.columns import Columns, FittedTable, cut
from .widgets.keybar import KeyBar
from .widgets.shown import shown

COLUMNS = Columns("disputes.col.{}",
                  {"number": 11, "mark": 4, "title": 22, "parties": 18, "kind": 10,
                   "risk": 4, "status": 8, "review": 10, "owner": 8},
                  give_way={"kind": 4, "title": 6, "parties": 6, "owner": 6})
STAND_OUT = "bold red"


def risk_text(risk: str) -> Text:
    return Text(t(f"dispute.risk.{risk}"), style=STAND_OUT if risk == Risk.HIGH else "")


def row_cells(row: DisputeRow, today: dt.date) -> list[Text]:
    dispute = row.dispute
    overdue = row.overdue(today)
    style = STAND_OUT if row.stands_out(today) else ""
    return [shown(dispute.number, style),
            Text(t("disputes.mark.overdue") if overdue else "", style=STAND_OUT),
            cut(shown(dispute.title)), cut(shown("、".join(row.parties))),
            cut(Text(t(f"dispute.kind.{dispute.kind}"))), risk_text(dispute.risk),
            Text(t(f"dispute.status.{dispute.status}")),
            Text(dispute.review_due.isoformat(), style=STAND_OUT if overdue else ""),
            cut(shown(row.owner))]


class DisputesScreen(RoleKeys, FittedTable, Screen):
    COLUMNS = COLUMNS
    CSS_PATH = "disputes.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="disputes.back"),
        Binding("enter", "open", t("key.open"), id="disputes.open"),
        Binding("n", "new", t("key.new_dispute"), id="disputes.new"),
        Binding("f", "open_or_all", t("key.open_or_all"), id="disputes.filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.open_only = True
        self.rows: list[DisputeRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="disputes-filter")
        yield DataTable(id="disputes", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("disputes.title")
        self.lay_out_columns()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        """Shown, or back from a dispute: read the list as it is now."""
        self.reload()

    def on_data_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        run_db(self, dispute_list, session_of(self).station_id, self.open_only,
               then=self._loaded, group="disputes")

    def _loaded(self, rows: list[DisputeRow]) -> None:
        self.rows = rows
        line = Text(t("disputes.open" if self.open_only else "disputes.all"), style="bold")
        line.append("   " + t("disputes.total", count=len(rows)))
        if not rows:
            line.append("   " + t("disputes.none"), style="dim")
        self.query_one("#disputes-filter", Static).update(line)
        self.show_rows()

    def show_rows(self) -> None:
        table = self.query_one(DataTable)
        keep = self.current_id()
        today = dt.date.today()
        with self.app.batch_update():
            table.clear()
            for row in self.rows:
                table.add_row(*row_cells(row, today), key=str(row.dispute.id))
            ids = [row.dispute.id for row in self.rows]
            if ids:
                table.move_cursor(row=ids.index(keep) if keep in ids else 0)

    def current_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row].dispute.id

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        dispute_id = self.current_id()
        if dispute_id is not None:
            self.app.push_screen(DisputeScreen(dispute_id))

    @changes_data
    def action_new(self) -> None:
        def opened(dispute_id: int | None) -> None:
            if dispute_id is not None:
                self.app.push_screen(DisputeScreen(dispute_id))
        self.app.push_screen(DisputeFormScreen(), opened)

    def action_open_or_all(self) -> None:
        self.open_only = not self.open_only
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
