"""The duty roster (值班表): a month as a grid of days × shifts.

Today's row carries ▶ and a colour; a shift nobody is on reads —缺— in red, so
both also show on a monochrome terminal. [ and ] change the month; the arrows
move in the grid. The station head generates (or regenerates) the month after a
preview of every change and the spread per cadre; anyone at the desk records a
swap, a substitute or a leave, each kept with who asked and who approved. A shift
nobody checked in to is marked ✗ (red until the head records why with m, then
yellow); the status line shows the reason of the shift under the cursor.
"""
from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from models.core.i18n import t, weekday
from models.core.session import Session
from models.duty.checkin import explain_missed
from models.duty.hours import next_month
from models.duty.leave import add_leave, parse_leave
from models.duty.roster import (
    Cell,
    MonthRoster,
    RosterPlan,
    month_roster,
    plan_month,
    save_plan,
    spread_lines,
)
from models.duty.swaps import fill_slot, substitute, swap_shifts

from .dbwork import problem_text, run_db
from .session import RoleKeys, changes_data, head_only, session_of
from .widgets.dialogs import ChoiceScreen, Dialog, PromptScreen
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell

GAP_STYLE = "bold red"
MISSED_STYLE = "bold red"
EXPLAINED_STYLE = "yellow"
TODAY_STYLE = "bold yellow"
LEAVE_WIDTH = 28  # cells of the leave column before it is cut with …
FIXED_COLUMNS = ("mark", "date", "weekday", "holiday")


def leave_from_text(cadre_id: int, text: str, year: int, actor: Session):
    first, last, reason = parse_leave(text, year)
    return add_leave(cadre_id, first, last, reason, actor)


def short(text: str, width: int) -> str:
    """Cut text to `width` terminal cells (a Chinese character takes two)."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text + "…"


def day_cells(month: MonthRoster, day: dt.date, marked: tuple[dt.date, int] | None
              ) -> list[Text]:
    today = day == month.today
    style = TODAY_STYLE if today else ""
    weekend = day.weekday() >= 5
    cells = [Text("▶" if today else "", style=style),
             Text(f"{day:%m-%d}", style=style),
             Text(weekday(day), style=style or ("dim" if weekend else ""))]
    if day in month.holidays:
        cells.append(shown(short(t("roster.holiday_cell", name=month.holidays[day]), 12),
                           style or "green"))
    elif day in month.workdays:
        cells.append(Text(t("roster.workday_cell"), style=style or "magenta"))
    else:
        cells.append(Text(""))
    for template in month.templates:
        cells.append(shift_text(month.cell(day, template.id), style,
                                marked == (day, template.id), template.retired))
    away = "、".join(name for _, name in month.leave.get(day, []))
    cells.append(shown(short(away, LEAVE_WIDTH), style or "dim"))
    return cells


def shift_text(cell: Cell, style: str, marked: bool = False, retired: bool = False
               ) -> Text:
    if retired and cell.shift_id is None:
        return Text("")  # a removed shift of the day: no gap where it no longer runs
    if cell.gap:
        text = Text(t("roster.gap"), style=GAP_STYLE)
    else:
        text = shown(cell.cadre_name, style)
        if cell.checked_in_at is not None:
            text.append(" ✓", style="green")
        elif cell.missed:
            text.append(t("roster.missed_mark"),
                        style=EXPLAINED_STYLE if cell.missed_reason else MISSED_STYLE)
    if marked:
        text = Text("⇄ ", style="bold reverse") + text
    return text


class RosterScreen(RoleKeys, Screen):
    CSS_PATH = "roster.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="roster.back"),
        Binding("left_square_bracket", "month(-1)", t("roster.key.prev"), id="roster.prev"),
        Binding("right_square_bracket", "month(1)", t("roster.key.next"), id="roster.next"),
        Binding("g", "generate", t("roster.key.generate"), id="roster.generate"),
        Binding("s", "swap", t("roster.key.swap"), id="roster.swap"),
        Binding("u", "substitute", t("roster.key.substitute"), id="roster.substitute"),
        Binding("l", "leave", t("roster.key.leave"), id="roster.leave"),
        Binding("m", "missed", t("roster.key.missed"), id="roster.missed"),
        Binding("t", "this_month", t("roster.key.today"), id="roster.today", show=False),
    ]

    def __init__(self, year: int | None = None, month: int | None = None) -> None:
        super().__init__()
        today = dt.date.today()
        self.year, self.month = year or today.year, month or today.month
        self.roster: MonthRoster | None = None
        self.swap_from: tuple[dt.date, int] | None = None
        self.cursor_goal: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="roster-head")
        yield Static(id="roster-warning")
        yield DataTable(id="roster-grid", cursor_type="cell")
        yield Static(id="roster-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("roster.title")
        self.query_one("#roster-warning").display = False
        self.query_one(DataTable).focus()
        self.reload()

    # — reading —
    def reload(self) -> None:
        self._show_head()
        run_db(self, month_roster, session_of(self).station_id, self.year, self.month,
               then=self._loaded, group="roster")

    def _show_head(self) -> None:
        head = Text(t("roster.head", year=self.year, month=self.month), style="bold")
        head.append("   " + t("roster.head_hint"), style="dim")
        self.query_one("#roster-head", Static).update(head)

    def _loaded(self, month) -> None:
        if (month.year, month.month) != (self.year, self.month):
            return  # the cadre moved on to another month meanwhile
        table = self.query_one(DataTable)
        same_month = self.roster is not None and (self.roster.year, self.roster.month) == (
            month.year, month.month)
        keep = (table.cursor_row, table.cursor_column) if same_month else None
        self.roster = month
        table.clear(columns=True)
        for key in FIXED_COLUMNS:
            table.add_column(Text(t(f"roster.col.{key}")), key=key)
        for template in month.templates:
            table.add_column(shown(f"{template.name} {template.starts}–{template.ends}"),
                             key=f"tp{template.id}")
        table.add_column(Text(t("roster.col.leave")), key="leave")
        for day in month.days:
            table.add_row(*day_cells(month, day, self.swap_from), key=day.isoformat())
        if keep is None:
            row = month.days.index(month.today) if month.today in month.days else 0
            keep = (row, len(FIXED_COLUMNS))
        table.move_cursor(row=keep[0], column=keep[1], animate=False)
        warning = self.query_one("#roster-warning", Static)
        warning.display = month.unofficial
        warning.update(Text(t("roster.unofficial", year=month.year), style="bold yellow")
                       if month.unofficial else "")
        self._show_status()

    def _show_status(self) -> None:
        """The shift under the cursor when it asks for something (a swap under way,
        a missed check-in), above what the month lacks: one never hides the other."""
        status = self.query_one("#roster-status", Static)
        if self.roster is None:
            return
        lines = [line for line in (self._cell_line(), self._month_line()) if line]
        status.update(Text("\n").join(lines))

    def _cell_line(self) -> Text | None:
        if self.swap_from is not None:
            day, template_id = self.swap_from
            return shown(t("roster.swap_hint", day=f"{day:%m-%d}",
                           shift=self._template_name(template_id)), "bold")
        here = self.current()
        if here is None or not here[2].missed:
            return None
        day, template_id, cell = here
        words = dict(day=f"{day:%m-%d}", shift=self._template_name(template_id),
                     name=cell.cadre_name)
        if cell.missed_reason:
            return shown(t("roster.missed_status", reason=cell.missed_reason, **words),
                         EXPLAINED_STYLE)
        return shown(t("roster.missed_unexplained", **words), MISSED_STYLE)

    def _month_line(self) -> Text:
        month = self.roster
        if not month.templates:
            return Text(t("roster.no_templates"), style=GAP_STYLE)
        if month.gaps:
            spans = "，".join(f"{a:%m-%d %H:%M}–{b:%m-%d %H:%M}" for a, b in month.gaps[:4])
            more = t("roster.gaps_more", count=len(month.gaps)) if len(month.gaps) > 4 else ""
            return Text(t("roster.gaps", count=len(month.gaps), spans=spans) + more,
                        style=GAP_STYLE)
        return Text(t("roster.no_gaps"), style="green")

    def _template_name(self, template_id: int) -> str:
        return next((tp.name for tp in self.roster.templates if tp.id == template_id), "")

    def on_data_changed(self) -> None:
        self.reload()

    # — the cell under the cursor —
    def current(self) -> tuple[dt.date, int, Cell] | None:
        month = self.roster
        if month is None:
            return None
        table = self.query_one(DataTable)
        column = table.cursor_column - len(FIXED_COLUMNS)
        if not 0 <= column < len(month.templates) or table.cursor_row >= len(month.days):
            return None
        day, template_id = month.days[table.cursor_row], month.templates[column].id
        return day, template_id, month.cell(day, template_id)

    def _tell(self, message: str, severity: str = "warning") -> None:
        tell(self, message, severity, 8)

    def _failed(self, exc: Exception) -> None:
        self._tell(problem_text(exc))
        self.reload()

    def _done(self, message: str):
        def show(_result=None) -> None:
            self._tell(message, "information")
            self.reload()
        return show

    # — months —
    def action_month(self, step: int) -> None:
        self.swap_from = None
        self.year, self.month = next_month(self.year, self.month, step)
        self.reload()

    def action_this_month(self) -> None:
        today = dt.date.today()
        self.swap_from = None
        self.year, self.month = today.year, today.month
        self.reload()

    # — generate —
    @head_only
    def action_generate(self) -> None:
        run_db(self, plan_month, session_of(self).station_id, self.year, self.month,
               then=self._preview, group="plan", hold_keys=True)

    def _preview(self, plan: RosterPlan) -> None:
        def chosen(save: bool | None) -> None:
            if save:
                run_db(self, save_plan, plan, session_of(self),
                       then=lambda count: self._done(t("roster.saved", count=count))(),
                       failed=self._failed, group="save")
        self.app.push_screen(RosterPreviewScreen(plan), chosen)

    # — swap —
    @changes_data
    def action_swap(self) -> None:
        here = self.current()
        if here is None:
            self._tell(t("roster.pick_shift"))
            return
        day, template_id, cell = here
        if self.swap_from == (day, template_id):
            self.cancel_swap()
            return
        if self.swap_from is not None:
            self._confirm_swap()
            return
        if cell.shift_id is None:
            self._tell(t("roster.swap_unplanned"))
            return
        self.swap_from = (day, template_id)
        self._redraw_day(day)
        self._show_status()

    def cancel_swap(self) -> None:
        day = self.swap_from[0] if self.swap_from else None
        self.swap_from = None
        if day is not None:
            self._redraw_day(day)
        self._show_status()

    def _redraw_day(self, day: dt.date) -> None:
        table = self.query_one(DataTable)
        for template in self.roster.templates:
            table.update_cell(day.isoformat(), f"tp{template.id}", shift_text(
                self.roster.cell(day, template.id),
                TODAY_STYLE if day == self.roster.today else "",
                self.swap_from == (day, template.id), template.retired))

    @on(DataTable.CellHighlighted)
    def _moved(self) -> None:
        self._show_status()

    @on(DataTable.CellSelected)
    def _enter(self) -> None:
        if self.swap_from is not None:
            self._confirm_swap()

    def _confirm_swap(self) -> None:
        here = self.current()
        if here is None:
            self._tell(t("roster.pick_shift"))
            return
        day, template_id, target = here
        first = self.roster.cell(*self.swap_from)
        if (day, template_id) == self.swap_from:
            self.cancel_swap()
            return
        if target.shift_id is None:
            self._tell(t("roster.swap_unplanned"))
            return
        self.swap_from = None
        run_db(self, swap_shifts, first.shift_id, target.shift_id, session_of(self), "",
               (first.version, target.version),
               then=self._done(t("roster.swapped", one=first.cadre_name or t("roster.gap"),
                                 other=target.cadre_name or t("roster.gap"))),
               failed=self._failed, group="swap")

    # — substitute —
    @changes_data
    def action_substitute(self) -> None:
        here = self.current()
        if here is None:
            self._tell(t("roster.pick_shift"))
            return
        day, template_id, cell = here
        options = [(str(cid), name) for cid, name in self.roster.cadres
                   if cid != cell.cadre_id]
        title = t("roster.substitute_title", day=f"{day:%m-%d}",
                  shift=self._template_name(template_id))

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            cadre_id = int(choice)
            name = dict(self.roster.cadres).get(cadre_id, "")
            done = self._done(t("roster.substituted", name=name))
            if cell.shift_id is None:
                run_db(self, fill_slot, session_of(self).station_id, day, template_id,
                       cadre_id, session_of(self), then=done, failed=self._failed,
                       group="substitute")
            else:
                run_db(self, substitute, cell.shift_id, cadre_id, session_of(self), "",
                       cell.version, then=done, failed=self._failed, group="substitute")
        self.app.push_screen(ChoiceScreen(title, options), chosen)

    # — a missed shift: why —
    @head_only
    def action_missed(self) -> None:
        here = self.current()
        if here is None or not here[2].missed:
            self._tell(t("duty.not_missed"))
            return
        day, template_id, cell = here

        def given(reason: str | None) -> None:
            if reason is not None and reason.strip():
                run_db(self, explain_missed, cell.shift_id, reason, cell.version,
                       session_of(self), then=self._done(t("roster.missed_saved")),
                       failed=self._failed, group="missed")
        self.app.push_screen(PromptScreen(
            t("roster.missed_title", day=f"{day:%m-%d}",
              shift=self._template_name(template_id), name=cell.cadre_name),
            t("roster.missed_placeholder"), cell.missed_reason), given)

    # — leave —
    @changes_data
    def action_leave(self) -> None:
        if self.roster is None:
            return
        me = session_of(self).cadre_id
        cadres = self.roster.cadres if session_of(self).is_head else [
            (cid, name) for cid, name in self.roster.cadres if cid == me]
        if not cadres:
            self._tell(t("roster.admin_only"))
            return

        def dates(cadre_id: int, name: str, text: str | None) -> None:
            if text is None or not text.strip():
                return
            run_db(self, leave_from_text, cadre_id, text, self.year, session_of(self),
                   then=lambda leave: self._done(t(
                       "roster.leave_saved", name=name, first=f"{leave.first_day:%m-%d}",
                       last=f"{leave.last_day:%m-%d}", freed=len(leave.freed)))(),
                   failed=lambda exc: self._tell(problem_text(exc)), group="leave")

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            name = dict(cadres)[int(choice)]
            self.app.push_screen(
                PromptScreen(t("roster.leave_title", name=name), t("roster.leave_placeholder")),
                lambda text: dates(int(choice), name, text))
        self.app.push_screen(ChoiceScreen(t("roster.leave_who"),
                                          [(str(cid), name) for cid, name in cadres]),
                             chosen)

    def action_back(self) -> None:
        if self.swap_from is not None:
            self.cancel_swap()
        else:
            self.app.pop_screen()


class RosterPreviewScreen(Dialog[bool]):
    """What generating the month would change, and the spread per cadre:
    dismissed with True to save it."""

    CSS_PATH = "roster.tcss"

    def __init__(self, plan: RosterPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("roster.preview_title", year=self.plan.year,
                                 month=self.plan.month)
            yield Static(id="preview-summary")
            yield DataTable(id="preview-spread", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="preview-changes", cursor_type="row", zebra_stripes=True)
            yield Label(t("roster.preview_hint"), classes="hint")

    def on_mount(self) -> None:
        plan = self.plan
        kept = sum(1 for s in plan.shifts if s.kept)
        summary = Text(t("roster.preview_summary", changes=len(plan.changes), kept=kept,
                         total=len(plan.shifts)))
        if plan.gaps:
            summary.append("  " + t("roster.preview_gaps", count=len(plan.gaps)),
                           style=GAP_STYLE)
        else:
            summary.append("  " + t("roster.no_gaps"), style="green")
        self.query_one("#preview-summary", Static).update(summary)
        spread = self.query_one("#preview-spread", DataTable)
        for key in ("cadre", "day", "night", "holiday", "total", "fair"):
            spread.add_column(Text(t(f"roster.spread.{key}")), key=key)
        for name, counts, fair in spread_lines(plan):
            spread.add_row(shown(name), str(counts.day), str(counts.night),
                           str(counts.holiday), Text(str(counts.total), style="bold"),
                           "" if fair is None else f"{fair:.1f}")
        changes = self.query_one("#preview-changes", DataTable)
        for key in ("date", "shift", "before", "after"):
            changes.add_column(Text(t(f"roster.change.{key}")), key=key)
        gap = Text(t("roster.gap"), style=GAP_STYLE)
        for day, template_id, old, new in plan.changes:
            changes.add_row(f"{day:%m-%d} {weekday(day)}",
                            shown(plan.templates.get(template_id)),
                            shown(plan.names.get(old) if old else ""),
                            shown(plan.names.get(new)) if new else gap)
        changes.focus()

    def action_confirm(self) -> None:
        self.dismiss(True)
