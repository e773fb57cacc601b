"""Importing a spreadsheet from the head's screens: the register from the households
screen (or the first day's home), the catalogue from the catalogue screen.

Type the file's path (and a workbook's sheet, if not the first with headings) and
Enter: the desk shows what it read — the heading row, which column goes to which
field, the first rows — and changes nothing. Ctrl+S imports it on a worker, with
a progress bar, and shows the summary: added, updated, unchanged, rejected by
reason, and where the rejected rows were written. The domain does all of it
(models.station.table_files), as for `kiosk import`."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, ProgressBar, Static

from models.core.i18n import t
from models.station.table_files import (
    Outcome,
    Preview,
    import_file,
    preview,
    source_text,
)

from .dbwork import problem_text, run_db
from .session import session_of
from .widgets.fields import TypedInput
from .widgets.keybar import KeyBar
from .widgets.shown import shown


class ImportScreen(Screen):
    """`what`: "residents" or "catalogue"."""

    CSS_PATH = "table_import.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="import.back"),
        Binding("ctrl+s", "confirm", t("key.import"), id="import.confirm"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
        self.preview: Preview | None = None  # what Ctrl+S would import
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import"):
            with Grid(id="import-fields"):
                yield Label(t("import_screen.file"))
                yield TypedInput(id="import-file", placeholder=t("import_screen.file_hint"),
                            max_length=1000)
                yield Label(t("import_screen.sheet"))
                yield TypedInput(id="import-sheet", placeholder=t("import_screen.sheet_hint"),
                            max_length=100)
            yield Static(id="import-read")
            yield DataTable(id="import-rows", cursor_type="none", zebra_stripes=True)
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(id="import-result")
            yield Label("", id="import-problem")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t(f"import_screen.title.{self.what}")
        self.query_one(ProgressBar).display = False
        self.query_one("#import-file", Input).focus()

    def check_action(self, action: str, parameters) -> bool:
        return not self.running  # an import under way is seen to its end

    # — the file, read and shown —
    @on(Input.Changed)
    def _typed(self) -> None:
        self.preview = None  # what is shown is no longer what the fields say

    @on(Input.Submitted)
    def look(self) -> None:
        self._problem("")
        self._clear_preview()
        run_db(self, preview, self.what, self.query_one("#import-file", Input).value,
               session_of(self), self.query_one("#import-sheet", Input).value or None,
               then=self._previewed, failed=self._refused, group="preview")

    def _previewed(self, found: Preview) -> None:
        self.preview = found
        table = found.table
        text = Text()
        text.append(shown(t("import_screen.read", path=table.path, source=source_text(table),
                            heading_row=found.layout.heading_row + 1, count=found.count)))
        if len(table.sheets) > 1:
            text.append("\n" + t("import_screen.sheets"))
            text.append(shown(t("import.list_separator").join(table.sheets)))
        text.append("\n" + t("import_screen.mapping"), style="bold")
        text.append(shown(t("import.list_separator").join(
            t("import_screen.maps_to", heading=heading, field=field)
            for heading, field in found.mapping)))
        if found.layout.unused:
            text.append("\n")
            text.append(shown(t("import.unused", headings=t("import.list_separator").join(
                found.layout.unused))))
        text.append("\n" + t("import_screen.confirm"), style="bold")
        self.query_one("#import-read", Static).update(text)
        self.query_one("#import-result", Static).update("")
        rows = self.query_one("#import-rows", DataTable)
        rows.clear(columns=True)
        width = max(map(len, [found.layout.headings, *found.rows]))
        headings = found.layout.headings + [""] * (width - len(found.layout.headings))
        rows.add_columns(*(shown(heading) for heading in headings))
        for row in found.rows:
            rows.add_row(*(shown(cell) for cell in row + [""] * (width - len(row))))

    # — the import —
    def action_confirm(self) -> None:
        if self.preview is None:
            self._problem(t("import_screen.look_first"))
            return
        self._problem("")
        self.running = True
        self.refresh_bindings()
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#import-result", Static).update(t("import_screen.running"))
        run_db(self, import_file, self.what, self.preview.table, session_of(self), None,
               False, self._progress_from_worker, then=self._done, failed=self._refused,
               group="import")

    def _progress_from_worker(self, done: int, total: int, label: str) -> None:
        self.app.call_from_thread(self._progress, done, total, label)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#import-result", Static).update(label)

    def _done(self, outcome: Outcome) -> None:
        self._stopped()
        self.preview = None  # imported: Enter reads the file again
        self._clear_preview()  # its "nothing changed yet" is no longer true
        self.query_one("#import-result", Static).update(
            shown("\n".join(outcome.lines()), multiline=True))

    def _refused(self, exc: Exception) -> None:
        self._stopped()
        self._problem(problem_text(exc))

    def _stopped(self) -> None:
        self.running = False
        self.query_one(ProgressBar).display = False
        self.refresh_bindings()

    def _clear_preview(self) -> None:
        self.query_one("#import-read", Static).update("")
        self.query_one("#import-rows", DataTable).clear(columns=True)

    def _problem(self, message: str) -> None:
        self.query_one("#import-problem", Label).update(shown(message))

    def action_back(self) -> None:
        self.app.pop_screen()
