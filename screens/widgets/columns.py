"""Table columns laid out once, at fixed widths, that still fit a narrow terminal.

Fixed widths spare the table measuring every cell and drawing again after the rows
arrive. At 80 columns those widths would push the last columns (due date, 经办人)
off the right edge; instead the columns named as able to give way get narrower, in
order, down to their narrowest, and their text ends in "…".
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import DataTable

from models.core.i18n import t


@dataclass(frozen=True)
class Columns:
    labels: str  # the catalogue key of a column's label, "{}" for the column's key
    widths: dict[str, int]  # key -> cells at a comfortable width, left to right
    give_way: dict[str, int] = field(default_factory=dict)  # key -> narrowest, in order

    def fitted(self, room: int, padding: int = 1) -> dict[str, int]:
        """The widths for a table `room` cells wide, cells padded `padding` a side."""
        fitted = dict(self.widths)
        over = sum(fitted.values()) + 2 * padding * len(fitted) - room
        for key, narrowest in self.give_way.items():
            if over <= 0:
                break
            given = min(over, fitted[key] - narrowest)
            fitted[key] -= given
            over -= given
        return fitted

    def lay_out(self, table: DataTable, screen_width: int) -> bool:
        """(Re)make the columns of a table as wide as the screen; False when they
        already fit. Made again, the columns lose their rows: add them back."""
        room = screen_width - table.styles.scrollbar_size_vertical
        widths = self.fitted(room, table.cell_padding)
        if [(c.key.value, c.width) for c in table.columns.values()] == list(widths.items()):
            return False
        table.clear(columns=True)
        for key, width in widths.items():
            table.add_column(t(self.labels.format(key)), key=key, width=width)
        return True


def cut(text: Text) -> Text:
    """A cell's text kept to one line, ending in "…" when the column is narrower."""
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


class FittedTable:
    """A screen whose table (its first DataTable) keeps `COLUMNS` on screen at any
    terminal width; `show_rows` puts the rows back after the columns are remade."""
    COLUMNS: Columns
    show_rows: Callable[[], None]

    def lay_out_columns(self) -> bool:
        return self.COLUMNS.lay_out(self.query_one(DataTable), self.app.size.width)

    def on_resize(self) -> None:
        if self.lay_out_columns():
            self.show_rows()
