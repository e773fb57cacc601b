"""A list the station head keeps (cadres, villager groups, the catalogue, a cadre's
open errands): a table of rows, a few lines about the row under the cursor, and
the keys. The rows are read again whenever anyone saves a change, and each time
the screen comes back to the front."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from models.core.i18n import t

from ..dbwork import run_db
from ..session import RoleKeys
from .keybar import KeyBar


class TableScreen(RoleKeys, Screen):
    """A subclass names its title and columns (catalogue keys), where its rows come
    from (`load`) and what a row shows (`cells`, `describe`)."""

    TITLE_KEY = ""
    COLUMNS: tuple[str, ...] = ()
    BINDINGS = [Binding("escape", "back", t("key.back"), id="table.back")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="row-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t(self.TITLE_KEY)
        table = self.query_one(DataTable)
        table.add_columns(*(t(key) for key in self.COLUMNS))
        table.focus()

    def load(self) -> tuple:
        """(function, *arguments) that reads the rows, on a worker."""
        raise NotImplementedError

    def cells(self, row) -> list:
        raise NotImplementedError

    def key(self, row) -> int:
        """What identifies a row from one reading to the next."""
        return row.id

    def describe(self, row) -> Text:
        """The lines under the table about the row under the cursor."""
        return Text()

    def reload(self) -> None:
        fn, *args = self.load()
        run_db(self, fn, *args, then=self._show, group="rows")

    def on_data_changed(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        """Shown, or back from a screen above: read the rows as they are now."""
        self.reload()

    def _show(self, rows: list) -> None:
        table = self.query_one(DataTable)
        current = self.current()
        keys = [self.key(row) for row in rows]
        # the cursor stays on its row, wherever a change (a new number) moved it
        at = (keys.index(self.key(current)) if current is not None and self.key(current) in keys
              else min(table.cursor_row, len(rows) - 1))
        self.rows = rows
        with self.app.batch_update():
            table.clear()
            for index, row in enumerate(rows):
                table.add_row(*self.cells(row), key=str(index))
            if rows:
                table.move_cursor(row=at)
        self._describe()

    def current(self):
        """The row under the cursor, or None."""
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#rows")
    def _describe(self) -> None:
        row = self.current()
        self.query_one("#row-detail", Static).update(
            self.describe(row) if row is not None else Text())

    def action_back(self) -> None:
        self.app.pop_screen()
