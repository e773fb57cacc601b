"""At 80×24, the smallest terminal a cadre's phone SSH client gives, nothing the
desk shows is pushed off the edge: list columns get narrower, the key line wraps."""
from rich.cells import cell_len
from textual.widgets import DataTable

from models.core.i18n import t
from screens.carry import CarryScreen
from screens.queue import QueueScreen
from screens.widgets.columns import Columns
from screens.widgets.keybar import KeyBar

from .conftest import settle
from .test_queue import errands, open_queue  # noqa: F401 (the fixture)

NARROW = (80, 24)


def test_columns_give_way_in_order_down_to_their_narrowest():
    columns = Columns("queue.col.{}", {"a": 10, "b": 20, "c": 10},
                      give_way={"b": 8, "c": 6})
    assert columns.fitted(room=46) == {"a": 10, "b": 20, "c": 10}  # fits: 40 + 6 padding
    assert columns.fitted(room=40) == {"a": 10, "b": 14, "c": 10}
    assert columns.fitted(room=30) == {"a": 10, "b": 8, "c": 6}  # as narrow as they go


def assert_all_on_screen(app, table: DataTable, headings: list[str]) -> None:
    right_edge = sum(c.get_render_width(table) for c in table.columns.values())
    assert right_edge <= table.scrollable_content_region.width
    assert [str(c.label) for c in table.columns.values()] == headings
    bar = app.screen.query_one(KeyBar)
    lines = bar.shown.split("\n")
    assert all(cell_len(line) <= bar.size.width for line in lines)
    assert bar.size.height == len(lines)
    assert [key.plain for key in bar.keys] and all(key.plain in bar.shown
                                                   for key in bar.keys)
    assert t("key.help") in bar.shown  # the last key, cut off before


async def test_queue_and_carry_list_keep_every_column_at_80_columns(app, errands):  # noqa: F811
    async with app.run_test(size=NARROW) as pilot:
        await open_queue(app, pilot)
        table = app.screen.query_one(DataTable)
        assert_all_on_screen(app, table, [t(f"queue.col.{c}") for c in
                                          ("number", "mark", "person", "item", "mode",
                                           "status", "due", "owner")])
        assert str(table.get_row_at(0)[6]) == errands["late"].due_date.isoformat()
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, CarryScreen)
        assert_all_on_screen(app, app.screen.query_one(DataTable),
                             [t(f"carry.col.{c}") for c in
                              ("tick", "number", "person", "item", "due", "missing",
                               "take")])


async def test_widening_the_terminal_gives_the_columns_back(app, errands):  # noqa: F811
    async with app.run_test(size=NARROW) as pilot:
        await open_queue(app, pilot)
        table = app.screen.query_one(DataTable)
        narrow = table.columns["item"].width
        rows = table.row_count
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert table.columns["item"].width > narrow
        assert table.row_count == rows and isinstance(app.screen, QueueScreen)
