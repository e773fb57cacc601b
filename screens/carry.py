"""The carry list (带件清单): 代着办 errands for the trip to the township centre,
with the materials each needs; ticked on return, they are marked 已报送乡镇 at once."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from models.core.i18n import t
from models.errands.lifecycle import mark_carried
from models.errands.printing import carry_printout
from models.errands.queue import CarryEntry, carry_list

from .dbwork import problem_text, run_db
from .printout import print_page
from .session import session_of
from .widgets.columns import Columns, FittedTable
from .widgets.dialogs import ChoiceScreen
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell

TICK = "✔"
# The materials to take matter most on the trip: a row grows to show them all, and
# on a narrow terminal the item and the names give way first.
COLUMNS = Columns("carry.col.{}",
                  {"tick": 2, "number": 11, "person": 8, "item": 26, "due": 12,
                   "missing": 12, "take": 40},
                  give_way={"item": 12, "person": 6, "missing": 8, "take": 12})


def take_text(entry: CarryEntry) -> Text:
    """The materials to take, each original held for the villager marked."""
    text = Text()
    for index, name in enumerate(entry.materials):
        text.append("、" if index else "")
        text.append(shown(name))
        if name in entry.originals:
            text.append(t("carry.original_mark"), style="bold magenta")
    return text


class CarryScreen(FittedTable, Screen):
    COLUMNS = COLUMNS
    CSS_PATH = "carry.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="carry.back"),
        Binding("space", "tick", t("key.tick"), id="carry.tick"),
        Binding("ctrl+a", "tick_all", t("key.tick_all"), id="carry.tick_all"),
        Binding("ctrl+s", "mark_carried", t("key.mark_carried"), id="carry.mark"),
        Binding("p", "print", t("key.print"), id="carry.print"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[CarryEntry] = []
        self.ticked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="carry-summary")
        yield DataTable(id="carry", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("carry.title")
        table = self.query_one(DataTable)
        self.lay_out_columns()
        table.focus()
        self.reload()

    def reload(self) -> None:
        run_db(self, carry_list, session_of(self).station_id, then=self._show, group="carry")

    on_data_changed = reload

    def _show(self, entries: list[CarryEntry]) -> None:
        self.entries = entries
        self.ticked &= {e.row.id for e in entries}
        self.show_rows()

    def show_rows(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for entry in self.entries:
            row = entry.row
            table.add_row(TICK if row.id in self.ticked else "", shown(row.number),
                          shown(row.resident), shown(row.item), row.due_text(),
                          shown("、".join(entry.missing), "red"),
                          take_text(entry), key=str(row.id), height=None)  # wrapped
        self._summary()

    def _summary(self) -> None:
        self.query_one("#carry-summary", Static).update(Text(t(
            "carry.summary", count=len(self.entries), ticked=len(self.ticked))))

    def _set_tick(self, errand_id: int, ticked: bool) -> None:
        (self.ticked.add if ticked else self.ticked.discard)(errand_id)
        self.query_one(DataTable).update_cell(str(errand_id), "tick", TICK if ticked else "")

    def action_tick(self) -> None:
        table = self.query_one(DataTable)
        if self.entries:
            errand_id = self.entries[table.cursor_row].row.id
            self._set_tick(errand_id, errand_id not in self.ticked)
            table.move_cursor(row=table.cursor_row + 1)
            self._summary()

    def action_tick_all(self) -> None:
        everything = len(self.ticked) < len(self.entries)
        for entry in self.entries:
            self._set_tick(entry.row.id, everything)
        self._summary()

    def action_print(self) -> None:
        print_page(self, carry_printout, session_of(self).station_id)

    def action_mark_carried(self) -> None:
        if not self.ticked:
            tell(self, t("carry.none_ticked"), "warning")
            return
        ticked = [e for e in self.entries if e.row.id in self.ticked]
        short = [e for e in ticked if e.missing]
        if not short:
            self._mark([e.row.id for e in ticked], missing_ok=False)
            return

        def decided(answer: str | None) -> None:
            if answer == "go":
                self._mark([e.row.id for e in ticked], missing_ok=True)
        sample = "；".join(f"{e.row.number} {'、'.join(e.missing)}" for e in short[:3])
        self.app.push_screen(ChoiceScreen(
            t("carry.missing_confirm", count=len(short)),
            [("go", t("carry.go_ahead")), ("wait", t("carry.wait"))],
            hint=t("carry.missing_sample", sample=sample)), decided)

    def _mark(self, errand_ids: list[int], missing_ok: bool) -> None:
        run_db(self, mark_carried, errand_ids, session_of(self), missing_ok,
               then=self._marked,
               failed=lambda exc: tell(self, problem_text(exc), "warning"), group="save")

    def _marked(self, errands) -> None:
        tell(self, t("carry.marked", count=len(errands)))
        self.ticked.clear()
        self.reload()

    @on(DataTable.RowSelected)
    def _enter_ticks(self) -> None:
        self.action_tick()

    def action_back(self) -> None:
        self.app.pop_screen()
