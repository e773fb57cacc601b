"""The duty desk's shift: check-out with the handover (交接班), acknowledging one,
and the month's duty summary (值班统计) with the handover search.

The home screen reaches everything here with one key each through the helpers at
the bottom (`check_in_or_out`, `show_pending_handover`, `mark_tonight`,
`open_duty_summary`) and shows `duty_line` / `nights_line` in its header.
"""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Label,
    OptionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from models.core.i18n import t
from models.duty.checkin import check_in, check_in_state, my_shift, shift_detail
from models.duty.entities import Handover, Shift
from models.duty.handover import (
    acknowledge,
    check_out,
    handover_detail,
    handover_items,
    pending_handover,
    search_handovers,
)
from models.core.session import Session
from models.duty.nights import correct_night, mark_night, parse_night_correction
from models.duty.summary import (
    CadreMonth,
    MonthNotes,
    cadre_month_summary,
    month_notes,
)

from .dbwork import problem_text, run_db
from .duty_lines import clock, shift_label
from .session import RoleKeys, changes_data, head_only, session_of, station_read
from .widgets.dialogs import ChoiceScreen, Dialog, PromptScreen
from .widgets.fields import TypedInput, TypedTextArea
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell

KIND_STYLE = {"registered": "bold", "advanced": "", "due": "bold yellow",
              "original": "bold magenta"}


def item_lines(items: list[dict]) -> Text:
    """The handover's listed lines, one a line, the kind in colour."""
    text = Text()
    if not items:
        text.append(t("duty.items.none"), style="dim")
        return text
    for index, item in enumerate(items):
        if index:
            text.append("\n")
        text.append("• ", style=KIND_STYLE.get(item.get("kind"), ""))
        text.append(shown(item.get("text")))
    return text


def handover_heading(handover: Handover) -> Text:
    """张明 → 李华  03-10 日班 08:00–20:00  交于 03-10 20:05 (and whether acknowledged)."""
    text = Text()
    text.append(shown(handover.from_cadre.name if handover.from_cadre_id
                      else t("duty.nobody"), "bold"))
    text.append(" → ")
    text.append(shown(handover.to_cadre.name if handover.to_cadre_id
                      else t("duty.to_anyone"), "bold"))
    text.append("  ")
    text.append(shown(shift_label(handover.shift)))
    text.append("  " + t("duty.written_at", at=f"{handover.written_at:%m-%d %H:%M}"))
    if handover.acknowledged_at:
        text.append("  " + t("duty.acknowledged_at",
                             at=f"{handover.acknowledged_at:%m-%d %H:%M}"), style="green")
    else:
        text.append("  " + t("duty.not_acknowledged"), style="bold yellow")
    return text


# ---- check-out and the handover ----

def _checkout_view(shift_id: int, *, station_id: int):
    return (shift_detail(shift_id, station_id=station_id),
            handover_items(shift_id, station_id=station_id))


class CheckOutScreen(Dialog[Handover | None]):
    """签退: the listed lines and the cadre's note; dismissed with the Handover, or None."""

    CSS_PATH = "duty.tcss"
    BINDINGS = [
        Binding("ctrl+s", "confirm", t("duty.key.check_out"), id="duty.checkout.save"),
    ]

    def __init__(self, shift_id: int) -> None:
        super().__init__()
        self.shift_id = shift_id
        self.items: list[dict] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("duty.checkout.title")
            yield Label(t("loading"), id="checkout-shift")
            yield Label(t("duty.checkout.items"), classes="hint")
            with VerticalScroll(id="items"):
                yield Static(t("loading"), id="checkout-items")
            yield Label(t("duty.checkout.note"), classes="hint")
            yield TypedTextArea(id="note", soft_wrap=True, show_line_numbers=False)
            yield Label(t("duty.checkout.hint"), classes="hint")
            yield Label("", id="checkout-problem")

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()
        run_db(self, station_read(self, _checkout_view), self.shift_id, then=self._loaded,
               failed=self._refused, group="load")

    def _loaded(self, view) -> None:
        shift, self.items = view
        self.query_one("#checkout-shift", Label).update(shown(shift_label(shift)))
        self.query_one("#checkout-items", Static).update(item_lines(self.items))

    def action_confirm(self) -> None:
        note = self.query_one("#note", TextArea).text
        run_db(self, check_out, self.shift_id, session_of(self), note,
               then=self.dismiss, failed=self._refused, group="save")

    def _refused(self, exc: Exception) -> None:
        self.query_one("#checkout-problem", Label).update(shown(problem_text(exc)))


class HandoverScreen(Dialog[Handover | None]):
    """A handover as written: who to whom, the note, the listed lines. Enter or
    Ctrl+S acknowledges it (dismissed with the Handover); Esc leaves it for later."""

    CSS_PATH = "duty.tcss"
    BINDINGS = [
        Binding("escape", "cancel", t("duty.key.later"), id="duty.handover.cancel"),
        Binding("enter", "confirm", t("duty.key.acknowledge"), id="duty.handover.ack"),
        Binding("ctrl+s", "confirm", t("duty.key.acknowledge"),
                id="duty.handover.ack2", show=False),
    ]

    def __init__(self, handover_id: int) -> None:
        super().__init__()
        self.handover_id = handover_id
        self.handover: Handover | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("duty.handover.title")
            yield Label(t("loading"), id="handover-heading")
            with VerticalScroll(id="handover-body"):
                yield Static("", id="handover-note", markup=False)
                yield Static("", id="handover-items")
            if session_of(self).may_write:  # the township reads it, acknowledges nothing
                yield Label(t("duty.handover.hint"), classes="hint")
            yield Label("", id="handover-problem")

    def on_mount(self) -> None:
        run_db(self, station_read(self, handover_detail), self.handover_id, then=self._show,
               failed=self._refused, group="load")

    def _show(self, handover: Handover) -> None:
        self.handover = handover
        self.query_one("#handover-heading", Label).update(handover_heading(handover))
        note = Text(t("duty.handover.note") + "：", style="bold")
        note.append(shown(handover.note, multiline=True) if handover.note
                    else Text(t("duty.handover.no_note"), style="dim"))
        self.query_one("#handover-note", Static).update(note)
        self.query_one("#handover-items", Static).update(item_lines(handover.items or []))

    @changes_data
    def action_confirm(self) -> None:
        if self.handover is None:
            return
        run_db(self, acknowledge, self.handover_id, session_of(self),
               then=self.dismiss, failed=self._refused, group="save")

    def _refused(self, exc: Exception) -> None:
        self.query_one("#handover-problem", Label).update(shown(problem_text(exc)))


# ---- the month's summary and the handover search ----

class SummaryTable(DataTable, inherit_bindings=False):
    """The month table: up and down move between cadres; ←/→ are left to the
    screen (months), so its key line shows them."""

    BINDINGS = [
        Binding("up", "cursor_up", show=False, id="duty.summary.cursor_up"),
        Binding("down", "cursor_down", show=False, id="duty.summary.cursor_down"),
        Binding("pageup", "page_up", show=False, id="duty.summary.page_up"),
        Binding("pagedown", "page_down", show=False, id="duty.summary.page_down"),
        Binding("home", "scroll_top", show=False, id="duty.summary.scroll_top"),
        Binding("end", "scroll_bottom", show=False, id="duty.summary.scroll_bottom"),
    ]


SUMMARY_COLUMNS = ("name", "shifts", "on_time", "late", "missed", "punctuality",
                   "nights", "errands", "visits", "households_visited", "disputes")


def summary_cells(row: CadreMonth) -> list[Text]:
    rate = "—" if row.punctuality is None else f"{row.punctuality}%"
    if row.short:
        nights = Text(t("duty.nights_cell_short", nights=row.nights,
                        missing=row.missing_nights), style="bold red")
    elif row.stays_in_village:
        nights = Text(t("duty.nights_cell_ok", nights=row.nights), style="green")
    else:
        nights = Text(t("duty.nights_cell_free", nights=row.nights), style="dim")
    return [shown(row.name), Text(str(row.shifts)), Text(str(row.on_time)),
            Text(str(row.late), style="yellow" if row.late else ""),
            Text(str(row.missed), style="bold red" if row.missed else ""),
            Text(rate), nights, Text(str(row.errands_handled)), Text(str(row.visits)),
            Text(str(row.households_visited)),
            Text(t("duty.disputes_cell", found=row.disputes.found,
                   settled=row.disputes.settled, escalated=row.disputes.escalated))]


NOTE_LINES = 4  # of the month's notes under the table; the rest summed up


def notes_text(notes: MonthNotes) -> Text:
    """The head's night corrections and the missed shifts, with their reasons."""
    lines = [shown(t("duty.note.added" if c.counted else "duty.note.removed",
                     name=c.cadre_name, night=f"{c.night:%m-%d}", reason=c.reason),
                   "green" if c.counted else "yellow")
             for c in notes.corrections]
    for shift in notes.missed:
        line = shown(t("duty.note.missed", day=f"{shift.day:%m-%d}", shift=shift.template.name,
                       name=shift.cadre.name), "bold red")
        line.append_text(shown(t("duty.note.reason", reason=shift.missed_reason))
                         if shift.missed_reason else Text(t("duty.note.no_reason")))
        lines.append(line)
    if not lines:
        return Text(t("duty.note.none"), style="dim")
    if len(lines) > NOTE_LINES:
        lines = lines[:NOTE_LINES - 1] + [Text(t("duty.note.more",
                                                 count=len(lines) - NOTE_LINES + 1))]
    return Text("\n").join(lines)


def correction_from_text(cadre_id: int, counted: bool, text: str, year: int,
                         actor: Session):
    night, reason = parse_night_correction(text, year)
    return correct_night(cadre_id, night, counted, reason, actor)


def handover_option(handover: Handover) -> Option:
    text = Text(f"{handover.written_at:%Y-%m-%d %H:%M}  ", style="bold")
    text.append(shown(handover.from_cadre.name if handover.from_cadre_id
                      else t("duty.nobody")))
    text.append(" → ")
    text.append(shown(handover.to_cadre.name if handover.to_cadre_id
                      else t("duty.to_anyone")))
    if not handover.acknowledged_at:
        text.append("  " + t("duty.not_acknowledged"), style="yellow")
    summary = shown(" ".join((handover.note or "").split()))
    lines = len(handover.items or [])
    text.append("  " + t("duty.search.lines", count=lines), style="dim")
    if summary:
        text.append("  ")
        text.append(summary[:60])
        if len(summary) > 60:
            text.append("…")
    return Option(text, id=str(handover.id))


def _month_step(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


class DutySummaryScreen(RoleKeys, Screen):
    """值班统计: per cadre for a month — shifts, check-in punctuality, nights in the
    village against the rule, errands handled — and the handover records below."""

    CSS_PATH = "duty.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="duty.summary.back"),
        Binding("left", "month(-1)", t("duty.key.prev_month"), id="duty.summary.prev",
                key_display="←"),
        Binding("right", "month(1)", t("duty.key.next_month"), id="duty.summary.next",
                key_display="→"),
        Binding("slash", "search", t("duty.key.search"), id="duty.summary.search",
                key_display="/"),
        Binding("c", "correct", t("duty.key.correct"), id="duty.summary.correct"),
    ]

    def __init__(self, year: int | None = None, month: int | None = None) -> None:
        super().__init__()
        today = dt.date.today()
        self.year, self.month = year or today.year, month or today.month
        self.rows: list[CadreMonth] = []
        self.found: list[Handover] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="duty-month")
        yield SummaryTable(id="duty-summary", cursor_type="row", zebra_stripes=True)
        yield Static(id="duty-notes")
        yield TypedInput(placeholder=t("duty.search.placeholder"), id="handover-query",
                    max_length=60)
        yield OptionList(id="handover-list")
        yield Label(t("duty.search.hint"), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("duty.summary.title")
        table = self.query_one("#duty-summary", SummaryTable)
        for name in SUMMARY_COLUMNS:
            table.add_column(t(f"duty.col.{name}"), key=name)
        table.focus()
        self.load_month()
        self.search()

    def load_month(self) -> None:
        self.query_one("#duty-month", Static).update(
            Text(t("duty.summary.month", year=self.year, month=self.month), style="bold"))
        run_db(self, cadre_month_summary, session_of(self).station_id, self.year, self.month,
               then=self._show_month, group="month")
        run_db(self, month_notes, session_of(self).station_id, self.year, self.month,
               then=lambda notes: self.query_one("#duty-notes", Static).update(
                   notes_text(notes)), group="notes")

    def _show_month(self, rows: list[CadreMonth]) -> None:
        self.rows = rows
        table = self.query_one("#duty-summary", SummaryTable)
        table.clear()
        for row in rows:
            table.add_row(*summary_cells(row), key=str(row.cadre_id))

    def search(self) -> None:
        text = self.query_one("#handover-query", Input).value
        run_db(self, search_handovers, session_of(self).station_id, text,
               then=self._show_found, group="search")

    def _show_found(self, found: list[Handover]) -> None:
        self.found = found
        options = self.query_one("#handover-list", OptionList)
        options.clear_options()
        if found:
            options.add_options([handover_option(h) for h in found])
            options.highlighted = 0
        else:
            options.add_option(Option(Text(t("duty.search.none"), style="dim"),
                                      disabled=True))

    def on_data_changed(self) -> None:
        self.load_month()
        self.search()

    @on(Input.Changed, "#handover-query")
    def _query_changed(self) -> None:
        self.search()

    @on(Input.Submitted, "#handover-query")
    def _query_done(self) -> None:
        self.query_one("#handover-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#handover-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(HandoverScreen(int(event.option.id)),
                                 lambda _: self.on_data_changed())

    def action_month(self, step: int) -> None:
        self.year, self.month = _month_step(self.year, self.month, step)
        self.load_month()

    def action_search(self) -> None:
        self.query_one("#handover-query", Input).focus()

    @head_only
    def action_correct(self) -> None:
        """The head adds or strikes off a night of the highlighted cadre, with a reason."""
        table = self.query_one("#duty-summary", SummaryTable)
        if not self.rows:
            return
        row = self.rows[min(table.cursor_row, len(self.rows) - 1)]

        def given(counted: bool, text: str | None) -> None:
            if text and text.strip():
                run_db(self, correction_from_text, row.cadre_id, counted, text, self.year,
                       session_of(self), then=lambda night: self._corrected(row, night),
                       failed=lambda exc: tell(self, problem_text(exc), "warning", 8),
                       group="correct")

        def chosen(choice: str | None) -> None:
            if choice is not None:
                what = t(f"duty.correct_{choice}")
                self.app.push_screen(
                    PromptScreen(t("duty.correct_title", name=row.name, what=what),
                                 t("duty.correct_placeholder")),
                    lambda text: given(choice == "add", text))
        self.app.push_screen(ChoiceScreen(row.name, [("add", t("duty.correct_add")),
                                                     ("remove", t("duty.correct_remove"))]),
                             chosen)

    def _corrected(self, row: CadreMonth, night) -> None:
        tell(self, t("duty.corrected", name=row.name, night=f"{night.night:%m-%d}"))
        self.load_month()

    def action_back(self) -> None:
        self.app.pop_screen()


# ---- what the home screen's keys do ----

def check_in_or_out(node, now: dt.datetime | None = None, done=None) -> None:
    """签到/签退 in one key: checks in to the cadre's shift, or (when checked in)
    opens the check-out with the handover. `done(result)` runs after either (the
    Shift checked in, the Handover written, or None when nothing happened)."""
    app = node.app
    session = session_of(node)
    if session.cadre_id is None:
        tell(node, t("duty.no_cadre"), "warning")
        return

    def found(shift: Shift | None) -> None:
        if shift is None:
            tell(node, t("duty.no_shift_now"), "warning")
            if done:
                done(None)
        elif shift.checked_in_at is None:
            run_db(node, check_in, shift.id, session, now,
                   then=checked_in, group="duty")
        else:
            app.push_screen(CheckOutScreen(shift.id), checked_out)

    def checked_in(shift: Shift) -> None:
        key = "duty.checked_in_late" if check_in_state(shift) == "late" \
            else "duty.checked_in"
        tell(node, t(key, shift=shift_label(shift), at=clock(shift.checked_in_at)))
        if done:
            done(shift)

    def checked_out(handover: Handover | None) -> None:
        if handover is not None:
            tell(node, t("duty.checked_out", at=clock(handover.written_at),
                         name=handover.to_cadre.name if handover.to_cadre_id
                         else t("duty.to_anyone")))
        if done:
            done(handover)

    run_db(node, my_shift, session.station_id, session.cadre_id, now, then=found, group="duty",
           hold_keys=True)


def show_pending_handover(node, done=None) -> None:
    """Opens the handover waiting for the signed-in cadre, if there is one."""
    app = node.app

    def found(handover: Handover | None) -> None:
        if handover is None:
            tell(node, t("duty.no_pending"))
            if done:
                done(None)
        else:
            app.push_screen(HandoverScreen(handover.id), done)

    session = session_of(node)
    run_db(node, pending_handover, session.station_id, session.cadre_id, then=found,
           group="duty", hold_keys=True)


def mark_tonight(node, done=None) -> None:
    """住村: the signed-in cadre stayed in the village tonight (the model says from
    when, and whose night it is: always the signed-in cadre's)."""
    def marked(row) -> None:
        tell(node, t("duty.night_marked", night=f"{row.night:%m-%d}"))
        if done:
            done(row)

    run_db(node, mark_night, session_of(node), then=marked, group="duty")


def open_duty_summary(node) -> None:
    node.app.push_screen(DutySummaryScreen())
