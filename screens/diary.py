"""The 民情日记: the station's entries newest first, searched by words and days, a
page at a time; **F2** writes one, **F4** or **Enter** corrects one's own (the head
any)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from models.core.i18n import moment, t
from models.village.diary import (
    DiaryForm,
    DiaryPage,
    DiaryRow,
    add_diary_entry,
    diary_page,
    edit_diary_entry,
)

from .dbwork import problem_text, run_db
from .session import RoleKeys, changes_data, session_of
from .widgets.columns import Columns, cut
from .widgets.fields import Field, FieldForm, TypedInput, TypedTextArea
from .widgets.form_dialog import FormDialog
from .widgets.keybar import KeyBar
from .widgets.shown import shown

COLUMNS = Columns("diary.col.{}", {"day": 12, "cadre": 8, "about": 18, "text": 40},
                  give_way={"text": 16, "about": 10})
SEARCH_FIELDS = ("text", "days")


def diary_cells(row: DiaryRow) -> list[Text]:
    entry = row.entry
    return [Text(moment(entry.day)), cut(shown(entry.cadre.name)), cut(shown(row.about)),
            cut(shown(entry.text))]  # one line: the breaks become spaces


class DiaryDialog(FormDialog):
    """A new entry (row None) or one corrected; `row` is a DiaryRow."""
    CSS_PATH = "diary.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("diary.edit" if self.row else "diary.new")
            yield FieldForm([Field("day", t("diary.day"), dt.date.today().isoformat(),
                                   t("diary.day_hint"), max_length=20),
                             Field("about", t("diary.about"), placeholder=t("diary.about_hint"),
                                   max_length=20)])
            yield TypedTextArea(id="diary-text")
            yield Static(t("visit.form_keys"), classes="hint")

    def fill(self, row: DiaryRow) -> None:
        self.query_one(FieldForm).set_values({"day": row.entry.day.isoformat(),
                                              "about": row.about_number})
        self.query_one(TypedTextArea).text = shown(row.entry.text, multiline=True).plain

    def action_confirm(self) -> None:
        values = self.query_one(FieldForm).values()
        form = DiaryForm(self.query_one(TypedTextArea).text, values["day"], values["about"])
        if self.row is None:
            self.save(add_diary_entry, form, session_of(self))
        else:
            entry = self.row.entry
            self.save(edit_diary_entry, entry.id, entry.version, form, session_of(self))

    def _refused(self, exc: Exception) -> None:
        # a stale save: the form keeps what was typed; the next save goes on top
        self.query_one(FieldForm).show_problem(exc)
        if getattr(exc, "field", None) == "text":
            self.query_one(TypedTextArea).focus()
        fresh = getattr(exc, "fresh", None)
        if fresh is not None:
            self.row = replace(self.row, entry=fresh)


class DiaryScreen(RoleKeys, Screen):
    CSS_PATH = "diary.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="diary.back"),
        Binding("f2", "new_entry", t("key.new_entry"), id="diary.new"),
        Binding("f4", "edit", t("key.edit"), id="diary.edit"),  # Enter on a row too
        # priority, and the focus moved at once: keys typed right after it land there
        Binding("f3", "focus_search", t("key.search"), id="diary.search", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = {"text": "", "days": ""}
        self.rows: list[DiaryRow] = []
        self.more = False
        self.loading_more = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="diary-bar"):
            yield TypedInput(placeholder=t("diary.search"), id="text", max_length=40)
            yield TypedInput(placeholder=t("diary.days"), id="days", max_length=30)
        yield Static(id="diary-state")
        yield DataTable(id="diary", cursor_type="row", zebra_stripes=True)
        yield Static(id="diary-entry")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("diary.title")
        COLUMNS.lay_out(self.query_one(DataTable), self.app.size.width)
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if COLUMNS.lay_out(self.query_one(DataTable), self.app.size.width):
            self._show(self.rows, self.more)

    # — reading —
    def reload(self) -> None:
        run_db(self, diary_page, session_of(self).station_id, self.filter["text"],
               self.filter["days"], then=self._first_page, failed=self._refused,
               group="diary")

    def _refused(self, exc: Exception) -> None:
        self.query_one("#diary-state", Static).update(shown(problem_text(exc), "bold red"))

    def _first_page(self, page: DiaryPage) -> None:
        self._show(page.rows, page.more)

    def _show(self, rows: list[DiaryRow], more: bool) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        self.rows, self.more = [], more
        with self.app.batch_update():
            table.clear()
            self._add_rows(rows)
            table.move_cursor(row=min(keep, max(len(rows) - 1, 0)))
        self._show_state()
        self._show_entry()

    def _add_rows(self, rows: list[DiaryRow]) -> None:
        table = self.query_one(DataTable)
        for row in rows:
            table.add_row(*diary_cells(row), key=str(row.entry.id))
        self.rows += rows

    def _show_state(self) -> None:
        state = Text()
        if self.rows:
            state.append(t("diary.shown", count=len(self.rows))
                         + (t("diary.more") if self.more else ""))
        else:
            state.append(t("diary.none"), style="dim")
        self.query_one("#diary-state", Static).update(state)

    @on(DataTable.RowHighlighted)
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        self._show_entry()
        if self.more and not self.loading_more and event.cursor_row >= len(self.rows) - 5:
            self.loading_more = True
            last = self.rows[-1].entry
            run_db(self, diary_page, session_of(self).station_id, self.filter["text"],
                   self.filter["days"], (last.day, last.id), then=self._next_page,
                   group="diary-more")

    def _next_page(self, page: DiaryPage) -> None:
        self.loading_more = False
        self._add_rows(page.rows)
        self.more = page.more
        self._show_state()

    def current(self) -> DiaryRow | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _show_entry(self) -> None:
        """The whole entry under the cursor, its lines kept."""
        row = self.current()
        text = Text()
        if row is not None:
            text.append(f"{moment(row.entry.day)}  ", style="bold")
            text.append_text(shown(row.entry.cadre.name, "bold"))
            if row.about:
                text.append("  ")
                text.append_text(shown(row.about, "dim"))
            text.append("\n")
            text.append_text(shown(row.entry.text, multiline=True))
        self.query_one("#diary-entry", Static).update(text)
        self.refresh_bindings()  # Enter corrects only one's own

    def on_data_changed(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    # — searching —
    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.filter[event.input.id] = event.value
        self.reload()

    @on(Input.Submitted)
    def _typed_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one("#text", Input))  # focus() would wait a turn

    # — writing —
    def check_action(self, action: str, parameters) -> bool | None:
        offered = super().check_action(action, parameters)
        if not offered or action != "edit":
            return offered
        row, session = self.current(), session_of(self)
        return row is not None and (session.is_head or row.entry.cadre_id == session.cadre_id)

    @changes_data
    def action_new_entry(self) -> None:
        self.app.push_screen(DiaryDialog())

    @on(DataTable.RowSelected)
    @changes_data
    def action_edit(self) -> None:
        row = self.current()
        if row is not None and self.check_action("edit", ()):
            self.app.push_screen(DiaryDialog(row))

    def action_back(self) -> None:
        self.app.pop_screen()
