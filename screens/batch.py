"""Batch errands (批量代办): one item for many households in one step, then their
progress household by household.

Two panes: "new batch" (item, villager groups, minimum age, way of handling, a live
preview of who is concerned, Ctrl+S) and "progress" (the station's batches and, for
the chosen one, every errand with its status).
"""
from __future__ import annotations

import datetime as dt
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from models.core.entities import VillagerGroup
from models.core.i18n import t
from models.core.validation import ValidationError, fail
from models.duty.holidays import unofficial_note
from models.errands.batches import (
    BatchPreview,
    BatchProgress,
    BatchResult,
    BatchSummary,
    batch_progress,
    cancel_unstarted,
    check_min_age,
    preview_batch,
    start_batch,
    station_batches,
)
from models.errands.entities import MODES, ServiceItem, status_label
from models.station.team import groups_of

from .dbwork import problem_text, run_db
from .session import RoleKeys, changes_data, session_of, station_read
from .widgets.dialogs import ChoiceScreen, PromptScreen
from .widgets.fields import FieldInput
from .widgets.item_picker import ItemPicker
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell
from .widgets.toggles import Radio

COLUMNS = [("number", "errand.number"), ("name", "resident.name"),
           ("household", "resident.household_number"), ("group", "batch.col.group"),
           ("status", "errand.status"), ("due", "errand.due")]
LEFT_OUT_NAMES = 8


def preview_text(preview: BatchPreview, item: ServiceItem | None) -> Text:
    targets = preview.targets
    age = targets.per_person_min_age
    line = (t("batch.preview.heads", count=preview.to_create) if age is None else
            t("batch.preview.people", count=preview.to_create, age=age))
    reasons = targets.left_out_by_reason()
    for key, count in [("batch.preview.no_id", reasons.get("no_id_number", 0)),
                       ("batch.preview.bad_id", reasons.get("bad_id_number", 0)),
                       ("batch.preview.open", preview.already_open),
                       ("batch.preview.empty", targets.empty_households)]:
        if count:
            line += t(key, count=count)
    text = Text(line, style="bold")
    text.append("\n")
    if item is None:
        text.append(t("batch.preview.need_item"), style="dim")
    else:
        text.append(shown(item.name))
        if preview.due is not None:
            text.append("  " + t("batch.preview.due", date=preview.due.date.isoformat()))
            text.append(unofficial_note(preview.due.unofficial_years), style="yellow")
    for reason in reasons:  # name a few, so the records can be put right
        people = [entry.name for entry in targets.left_out if entry.reason == reason]
        text.append("\n" + t(f"batch.reason.{reason}") + "：", style="dim")
        text.append(shown("、".join(people[:LEFT_OUT_NAMES])))
        if len(people) > LEFT_OUT_NAMES:
            text.append(t("batch.reason.more", count=len(people)))
    return text


def result_text(result: BatchResult) -> str:
    message = t("batch.created", title=result.title, created=result.created)
    if result.skipped:
        message += t("batch.skipped", count=len(result.skipped))
    if result.left_out:
        message += t("batch.left_out", count=len(result.left_out))
    return message


def progress_head(progress: BatchProgress) -> Text:
    text = Text()
    text.append(shown(progress.title, "bold"))
    if progress.item_name not in progress.title:
        text.append("  ")
        text.append(shown(progress.item_name, "dim"))
    text.append("   " + t("batch.progress.done", done=progress.done, total=progress.total),
                style="bold")
    text.append("\n")
    text.append(" · ".join(t("batch.progress.count", status=status_label(status, progress.mode),
                             count=count) for status, count in progress.counts.items()))
    return text


class BatchScreen(RoleKeys, Screen):
    CSS_PATH = "batch.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="batch.back"),
        Binding("f2", "show_new", t("batch.key.new"), id="batch.new"),
        Binding("f3", "show_progress", t("batch.key.progress"), id="batch.progress"),
        Binding("f4", "focus_item", t("key.find_item"), id="batch.item"),
        Binding("ctrl+s", "create", t("batch.key.create"), id="batch.create"),
        Binding("x", "cancel_unstarted", t("batch.key.cancel"), id="batch.cancel"),
    ]

    def __init__(self, batch_id: int | None = None) -> None:
        super().__init__()
        self.groups: list[VillagerGroup] = []
        self.item: ServiceItem | None = None
        self.batch_id = batch_id  # the batch the progress pane shows
        self.saving = False

    def compose(self) -> ComposeResult:
        yield Header()
        # the township reads the progress; only a station's cadres start a batch
        self.new_first = not self.batch_id and session_of(self).may_write
        with TabbedContent(id="tabs", initial="new" if self.new_first else "progress"):
            with TabPane(t("batch.tab.new"), id="new"):
                with Horizontal(id="new-top"):
                    with Vertical(id="item-box", classes="box"):
                        yield ItemPicker()
                    with Vertical(id="groups-box", classes="box"):
                        yield SelectionList[int](id="groups")
                    with Vertical(id="options-box", classes="box"):
                        yield Label(t("batch.min_age.label"), id="min-age-label")
                        yield FieldInput(id="min-age", type="integer", max_length=3,
                                         placeholder=t("batch.min_age.placeholder"))
                        with RadioSet(id="mode"):
                            for mode in MODES:
                                yield Radio(t(f"mode.{mode}"), id=f"mode-{mode}")
                with Vertical(id="preview-box", classes="box"):
                    yield Static(id="preview")
                    yield Label("", id="batch-error")
            with TabPane(t("batch.tab.progress"), id="progress"):
                with Horizontal():
                    with Vertical(id="list-box", classes="box"):
                        yield OptionList(id="batch-list")
                    with Vertical(id="table-box", classes="box"):
                        yield Static("", id="batch-result")
                        yield Static(t("batch.progress.pick"), id="progress-head")
                        yield DataTable(id="progress-table", cursor_type="row",
                                        zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("batch.title")
        self.query_one("#item-box").border_title = t("batch.step.item")
        self.query_one("#groups-box").border_title = t("batch.step.groups")
        self.query_one("#groups-box").border_subtitle = t("batch.groups.hint")
        self.query_one("#options-box").border_title = t("batch.step.options")
        self.query_one("#preview-box").border_title = t("batch.step.preview")
        self.query_one("#list-box").border_title = t("batch.list.title")
        table = self.query_one("#progress-table", DataTable)
        for key, label in COLUMNS:
            table.add_column(t(label), key=key)
        station_id = session_of(self).station_id
        run_db(self, groups_of, station_id, then=self._groups_loaded, group="groups")
        self._load_batches()
        if self.batch_id:
            self._load_progress()
        if self.new_first:
            self.query_one(ItemPicker).focus_query()
        else:
            self.query_one("#batch-list", OptionList).focus()

    # — switching panes —
    def _pane(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in ("create", "focus_item"):
            return self._pane() == "new"
        if action == "cancel_unstarted":
            return self._pane() == "progress" and self.batch_id is not None
        return True

    @on(TabbedContent.TabActivated)
    def _pane_shown(self) -> None:
        self.refresh_bindings()
        if self._pane() == "progress":
            self._load_batches()

    @changes_data
    def action_show_new(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "new"
        self.query_one(ItemPicker).focus_query()

    def action_show_progress(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "progress"
        target = "#progress-table" if self.batch_id else "#batch-list"
        self.query_one(target).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_data_changed(self) -> None:
        """Another session (or this one) saved something: show it."""
        self._load_batches()
        if self.batch_id:
            self._load_progress()
        if self._pane() == "new":
            self._refresh_preview()

    # — new batch: the item —
    @changes_data
    def action_focus_item(self) -> None:
        self.query_one(ItemPicker).focus_query()

    @on(ItemPicker.Chosen)
    def _choose_item(self, event: ItemPicker.Chosen) -> None:
        self.item = event.item
        self.query_one(f"#mode-{self.item.default_mode}", RadioButton).value = True
        self.query_one("#item-box").border_subtitle = shown(self.item.name)
        self._refresh_preview()
        self.query_one("#groups", SelectionList).focus()

    # — new batch: who —
    def _groups_loaded(self, groups: list[VillagerGroup]) -> None:
        self.groups = groups
        selection = self.query_one("#groups", SelectionList)
        selection.clear_options()
        selection.add_options((shown(group.name), group.id) for group in groups)
        selection.highlighted = 0 if groups else None
        self._refresh_preview()

    @on(SelectionList.SelectedChanged, "#groups")
    @on(Input.Changed, "#min-age")
    def _who_changed(self) -> None:
        self._refresh_preview()

    def _min_age(self) -> int | None:
        raw = self.query_one("#min-age", Input).value.strip()
        if not raw:
            return None
        try:
            return check_min_age(int(raw))
        except ValueError:  # ValidationError is one too
            raise fail("min_age", "batch.bad_age") from None

    def _mode(self) -> str | None:
        pressed = self.query_one("#mode", RadioSet).pressed_button
        return pressed.id.removeprefix("mode-") if pressed else None

    def _refresh_preview(self) -> None:
        if session_of(self).station_id is None:
            return
        try:
            age = self._min_age()
        except ValidationError as exc:
            self.query_one("#preview", Static).update(shown(exc.message, "red"))
            return
        groups = list(self.query_one("#groups", SelectionList).selected)
        item = self.item
        run_db(self, partial(preview_batch, per_person_min_age=age),
               session_of(self).station_id,
               item.id if item else None, groups,
               then=lambda preview: self._show_preview(preview, item), group="preview")

    def _show_preview(self, preview: BatchPreview, item: ServiceItem | None) -> None:
        if item is self.item:  # not a preview for an item chosen before
            self.query_one("#preview", Static).update(preview_text(preview, item))

    # — new batch: create —
    @changes_data
    def action_create(self) -> None:
        if self.saving:
            return
        error = self.query_one("#batch-error", Label)
        try:
            age = self._min_age()
        except ValidationError as exc:
            error.update(shown(exc.message))
            self.query_one("#min-age", Input).focus()
            return
        missing = (t("intake.need.item") if self.item is None else
                   t("intake.need.mode") if self._mode() is None else None)
        if missing:
            error.update(Text(missing))
            return
        self.saving = True
        groups = list(self.query_one("#groups", SelectionList).selected)
        run_db(self, partial(preview_batch, per_person_min_age=age),
               session_of(self).station_id, self.item.id, groups,
               then=lambda preview: self._confirm(preview, age, groups),
               failed=self._refused, group="create", exclusive=False, hold_keys=True)

    def _confirm(self, preview: BatchPreview, age: int | None, groups: list[int]) -> None:
        """More than a handful of errands: the count and a few names, then go or not."""
        if not preview.needs_confirm:
            self._start(age, groups, confirmed=False)
            return

        def decided(answer: str | None) -> None:
            if answer == "go":
                self._start(age, groups, confirmed=True)
            else:
                self.saving = False
        sample = "、".join(r.name for r in preview.targets.residents[:5]) + "……"
        self.app.push_screen(ChoiceScreen(
            t("batch.confirm.title", count=preview.to_create),
            [("go", t("batch.confirm.go", count=preview.to_create)),
             ("back", t("batch.confirm.back"))],
            hint=t("batch.confirm.sample", sample=sample)), decided)

    def _start(self, age: int | None, groups: list[int], confirmed: bool) -> None:
        self.query_one("#batch-error", Label).update(Text(t("batch.saving")))
        job = partial(start_batch, per_person_min_age=age, actor=session_of(self),
                      confirmed=confirmed)
        run_db(self, job, session_of(self).station_id, self.item.id, self._mode(), groups,
               then=self._created, failed=self._refused, group="create",
               exclusive=False, hold_keys=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "create" and event.state in (WorkerState.ERROR,
                                                               WorkerState.CANCELLED):
            self.saving = False
            self.query_one("#batch-error", Label).update("")

    def _refused(self, exc: Exception) -> None:
        self.saving = False
        self.query_one("#batch-error", Label).update(shown(problem_text(exc)))

    def _created(self, result: BatchResult) -> None:
        self.saving = False
        message = result_text(result)
        self.query_one("#batch-error", Label).update("")
        self.query_one("#batch-result", Static).update(shown(message, "green"))
        tell(self, message)
        self.batch_id = result.batch_id
        self._load_progress()
        self.action_show_progress()
        self._refresh_preview()

    # — progress —
    @changes_data
    def action_cancel_unstarted(self) -> None:
        batch_id = self.batch_id

        def cancel(reason: str | None) -> None:
            if reason is not None:
                run_db(self, cancel_unstarted, batch_id, reason, session_of(self),
                       then=self._cancelled,
                       failed=lambda exc: tell(self, problem_text(exc), "warning"),
                       group="save")
        self.app.push_screen(PromptScreen(t("batch.cancel.title"),
                                          t("batch.cancel_reason")), cancel)

    def _cancelled(self, numbers: list[str]) -> None:
        tell(self, t("batch.cancelled", count=len(numbers)))
        self._load_progress()
        self._load_batches()

    def _load_batches(self) -> None:
        run_db(self, station_batches, session_of(self).station_id, then=self._batches_loaded,
               group="batches")

    def _batches_loaded(self, batches: list[BatchSummary]) -> None:
        listing = self.query_one("#batch-list", OptionList)
        listing.clear_options()
        if not batches:
            listing.add_option(Option(Text(t("batch.list.none")), disabled=True))
            return
        for batch in batches:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(t("batch.list.entry", done=batch.done, total=batch.total).ljust(10),
                        style="bold" if batch.done < batch.total else "dim")
            line.append(shown(batch.title))
            listing.add_option(Option(line, id=str(batch.batch_id)))
        ids = [b.batch_id for b in batches]
        listing.highlighted = ids.index(self.batch_id) if self.batch_id in ids else 0

    @on(OptionList.OptionSelected, "#batch-list")
    def _batch_selected(self, event: OptionList.OptionSelected) -> None:
        self.batch_id = int(event.option.id)
        self.query_one("#batch-result", Static).update("")
        self._load_progress()
        self.query_one("#progress-table", DataTable).focus()

    def _load_progress(self) -> None:
        run_db(self, station_read(self, batch_progress), self.batch_id, then=self._progress_loaded,
               group="progress")

    def _progress_loaded(self, progress: BatchProgress) -> None:
        if progress.batch_id != self.batch_id:
            return
        self.query_one("#progress-head", Static).update(progress_head(progress))
        table = self.query_one("#progress-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        today = dt.date.today()
        for row in progress.rows:
            overdue = row.overdue(today)
            table.add_row(
                shown(row.number), shown(row.resident_name), shown(row.household_number),
                shown(row.group_name), Text(status_label(row.status, row.mode)),
                Text(row.due_date.isoformat(), style="bold red" if overdue else ""),
                key=str(row.errand_id))
        if progress.rows:
            table.move_cursor(row=min(cursor, len(progress.rows) - 1))
