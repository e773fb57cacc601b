"""The errand queue (代办队列): every errand the desk carries, most urgent first.

Rows come a page at a time from the database (never the whole table); the next
page loads as the cursor nears the end. Overdue and due-today rows stand out by
colour and by a marker, so they also read on a monochrome terminal.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from models.core.i18n import t
from models.errands.entities import MODES, Status, status_label
from models.errands.queue import (
    PRESETS,
    Facets,
    QueueFilter,
    QueuePage,
    QueueRow,
    preset_filter,
    queue_facets,
    queue_page,
)

from .batch import BatchScreen
from .carry import CarryScreen
from .dbwork import run_db
from .errand import ErrandScreen
from .errand_actions import ERRAND_BINDINGS, ErrandActions
from .intake import IntakeScreen
from .session import RoleKeys, changes_data, session_of
from .widgets.columns import Columns, FittedTable, cut
from .widgets.dialogs import ChoiceScreen
from .widgets.fields import TypedInput
from .widgets.keybar import KeyBar
from .widgets.shown import shown

# Widths in terminal cells (a Chinese character takes two); at 80 columns the
# item, then the names, give way so the due date and 经办人 stay on screen.
COLUMNS = Columns("queue.col.{}",
                  {"number": 11, "mark": 3, "person": 8, "item": 26, "mode": 6, "status": 10,
                   "due": 12, "owner": 8},
                  give_way={"item": 8, "person": 6, "owner": 6})
URGENCY_STYLE = {"overdue": "bold red", "today": "bold yellow"}


def row_cells(row: QueueRow, today: dt.date) -> list[Text]:
    urgency = row.urgency(today)
    style = URGENCY_STYLE.get(urgency, "")
    mark = urgency or ("paused" if row.paused else "") or ("flagged" if row.flagged else "")
    return [shown(row.number, style),
            Text(t(f"queue.mark.{mark}") if mark else "", style=style),
            cut(shown(row.resident)), cut(shown(row.item)), Text(t(f"mode.{row.mode}")),
            Text(status_label(row.status, row.mode)), Text(row.due_text(), style=style),
            cut(shown(row.owner))]


class QueueScreen(RoleKeys, ErrandActions, FittedTable, Screen):
    COLUMNS = COLUMNS
    CSS_PATH = "queue.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="queue.back"),
        Binding("enter", "open", t("key.open"), id="queue.open"),
        *ERRAND_BINDINGS,
        Binding("slash", "search", t("key.search"), id="queue.search", show=False),
        Binding("f", "filter", t("key.filter"), id="queue.filter"),
        Binding("p", "phone_call", t("key.phone_call"), id="queue.phone"),
        Binding("t", "carry_list", t("key.carry_list"), id="queue.carry"),
        Binding("b", "batches", t("key.batches"), id="queue.batches", show=False),
        *(Binding(str(number), f"preset('{name}')", t(f"preset.{name}"),
                  id=f"queue.preset.{name}", show=False)
          for number, name in enumerate(PRESETS, start=1)),
    ]

    def __init__(self, preset: str = "open") -> None:
        super().__init__()
        self.filter: QueueFilter | None = None
        self.initial_preset = preset
        self.rows: list[QueueRow] = []
        self.more = False
        self.loading_more = False
        self.facets = Facets({}, {}, {})
        self.total: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="queue-bar"):
            yield TypedInput(placeholder=t("queue.search"), id="queue-search")
            yield Static(id="queue-filter")
        # A cell cursor on the number, not a row cursor: moving it repaints two short
        # cells instead of two full rows of Chinese text — 10x fewer bytes per key
        # over a weak mobile link. Zebra stripes keep the row readable.
        yield DataTable(id="queue", cursor_type="cell", zebra_stripes=True)
        yield Static(t("queue.presets"), id="queue-presets")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("queue.title")
        self.lay_out_columns()
        table = self.query_one(DataTable)
        self.filter = preset_filter(self.initial_preset, session_of(self).station_id,
                                    session_of(self).cadre_id)
        table.focus()
        self.reload()
        run_db(self, queue_facets, session_of(self).station_id, then=self._facets_loaded,
               group="facets")

    def _facets_loaded(self, facets: Facets) -> None:
        self.facets = facets
        self._show_filter(None)

    # — reading —
    def reload(self) -> None:
        run_db(self, queue_page, self.filter, then=self._first_page, group="queue")

    def _first_page(self, page: QueuePage) -> None:
        keep = self.current_errand_id()
        self.rows, self.more = page.rows, page.more
        self._show_filter(page.total)
        self.show_rows(keep)

    def show_rows(self, keep: int | None = None) -> None:
        keep = keep or self.current_errand_id()
        table = self.query_one(DataTable)
        with self.app.batch_update():  # one repaint for the whole page
            table.clear()
            self._add_rows(self.rows)
            ids = [r.id for r in self.rows]
            table.move_cursor(row=ids.index(keep) if keep in ids else 0,
                              column=list(COLUMNS.widths).index("number"))

    def _add_rows(self, rows: list[QueueRow]) -> None:
        table = self.query_one(DataTable)
        today = dt.date.today()
        for row in rows:
            table.add_row(*row_cells(row, today), key=str(row.id))

    @on(DataTable.RowHighlighted)
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if self.more and not self.loading_more and event.cursor_row >= len(self.rows) - 5:
            self.loading_more = True
            last = self.rows[-1]
            run_db(self, queue_page, self.filter, (last.due_date, last.id),
                   then=self._next_page, group="queue-more")

    def _next_page(self, page: QueuePage) -> None:
        self.loading_more = False
        self.rows += page.rows
        self.more = page.more
        self._add_rows(page.rows)
        self._show_filter(None)

    def _show_filter(self, total: int | None) -> None:
        f = self.filter
        parts = [t(f"preset.{f.preset}")]
        parts += [t(f"mode.{m}") for m in f.modes]
        if f.due and f.preset not in ("overdue", "today"):
            parts.append(t(f"due.{f.due}"))
        if f.group_id is not None:
            parts.append(self.facets.groups.get(f.group_id, ""))
        if f.owner_id is not None and f.preset != "mine":
            parts.append(self.facets.owners.get(f.owner_id, ""))
        if f.item_id is not None:
            parts.append(self.facets.items.get(f.item_id, ""))
        if f.text.strip():
            parts.append(t("queue.search_text", text=f.text.strip()))
        text = shown(" · ".join(p for p in parts if p), "bold")
        if total is not None:
            self.total = total
        if self.total is not None:
            text.append("   " + t("queue.total", count=self.total))
        if any(row.unofficial for row in self.rows):
            text.append("   " + t("queue.unofficial"), style="yellow")
        self.query_one("#queue-filter", Static).update(text)

    def on_data_changed(self) -> None:
        self.reload()

    # — the errand under the cursor —
    def current_errand_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row].id

    def errand_changed(self) -> None:
        self.reload()

    @on(DataTable.CellSelected)
    def action_open(self) -> None:
        errand_id = self.current_errand_id()
        if errand_id is not None:
            self.app.push_screen(ErrandScreen(errand_id))

    # — filtering —
    def action_preset(self, name: str) -> None:
        session = session_of(self)
        self.filter = replace(preset_filter(name, session.station_id, session.cadre_id),
                              text=self.filter.text)
        self.reload()

    def action_search(self) -> None:
        self.query_one("#queue-search", Input).focus()

    @on(Input.Changed, "#queue-search")
    def _search(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        self.reload()

    @on(Input.Submitted, "#queue-search")
    def _search_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        """Narrow the list one facet at a time: way of handling, status, due, villager
        group, who handles it, catalogue item."""
        options = [(facet, t(f"filter.{facet}"))
                   for facet in ("mode", "status", "due", "group", "owner", "item", "clear")]
        self.app.push_screen(ChoiceScreen(t("filter.title"), options), self._facet)

    def _facet(self, facet: str | None) -> None:
        if facet == "clear":
            self.action_preset("open")
        elif facet == "mode":
            self._pick(facet, [(m, t(f"mode.{m}")) for m in MODES],
                       lambda m: {"modes": (m,)})
        elif facet == "status":
            self._pick(facet, [(s, status_label(s, self.filter.mode)) for s in Status],
                       lambda s: {"statuses": (s,), "due": ""})
        elif facet == "due":
            self._pick(facet, [(d, t(f"due.{d}")) for d in ("overdue", "today", "week")],
                       lambda d: {"due": d})
        elif facet in ("group", "owner", "item"):
            names = getattr(self.facets, "owners" if facet == "owner" else facet + "s")
            self._pick(facet, [(str(key), name) for key, name in names.items()],
                       lambda key: {f"{facet}_id": int(key)})

    def _pick(self, facet: str, options, change) -> None:
        def apply(choice: str | None) -> None:
            if choice is not None:
                self.filter = replace(self.filter, **change(choice))
                self.reload()
        self.app.push_screen(ChoiceScreen(t(f"filter.{facet}"), options), apply)

    # — elsewhere from here —
    @changes_data
    def action_phone_call(self) -> None:
        """A villager rang (便民连心卡): register a 流动办 errand."""
        self.app.push_screen(IntakeScreen(mode="mobile"))

    def action_carry_list(self) -> None:
        self.app.push_screen(CarryScreen())

    def action_batches(self) -> None:
        self.app.push_screen(BatchScreen())

    def action_back(self) -> None:
        self.app.pop_screen()
