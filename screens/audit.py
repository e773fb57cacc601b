"""The station head's audit (操作记录): who changed what and who saw whose full
ID number or phone, newest first, narrowed by person, errand, days and cadre.

A page at a time (the next loads as the cursor nears the end); the model refuses
anyone but the station head, and home offers the key to the head only.
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

from models.core.audit import AuditFilter, AuditPage, AuditRow, audit_page
from models.core.i18n import t

from .dbwork import problem_text, run_db
from .event_words import describe_event, word_for
from .session import session_of
from .widgets.dialogs import ChoiceScreen
from .widgets.fields import TypedInput
from .widgets.keybar import KeyBar
from .widgets.shown import shown

FILTER_FIELDS = ("person", "errand_number", "days")  # an Input each, by that id
ALL = "all"


def when_text(at: dt.datetime, today: dt.date) -> str:
    """11月25日 09:30 (with the year when it is not this one)."""
    key = "audit.when" if at.year == today.year else "audit.when_year"
    return t(key, year=at.year, month=at.month, day=at.day, time=f"{at:%H:%M}")


def audit_cells(row: AuditRow, cadres: dict[int, str], today: dt.date) -> list[Text]:
    event = row.event
    subject = word_for(f"audit.entity.{event.entity}", event.entity)
    if row.subject:
        subject += " " + row.subject
    return [Text(when_text(event.at, today)),
            shown(event.actor.name if event.actor_id
                  else t("audit.public_actor") if event.entity == "public" else ""),
            shown(subject),
            shown(describe_event(event, cadres, row.mode),
                  "bold yellow" if event.action == "revealed" else "")]


class AuditScreen(Screen):
    CSS_PATH = "audit.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="audit.back"),
        Binding("f2", "choose_cadre", t("key.audit_cadre"), id="audit.cadre"),
        # priority, and the focus moved at once (see action_focus_filter): keys typed
        # right after it in one burst over a slow link land in the box
        Binding("f3", "focus_filter", t("key.audit_filter"), id="audit.filter",
                priority=True),
        Binding("f8", "clear", t("key.audit_clear"), id="audit.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = AuditFilter()
        self.cadres: dict[int, str] = {}
        self.rows: list[AuditRow] = []
        self.more = False
        self.loading_more = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-bar"):
            for name in FILTER_FIELDS:
                yield TypedInput(placeholder=t(f"audit.{name}"), id=name, max_length=40)
        yield Static(id="audit-state")
        yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("audit.title")
        table = self.query_one(DataTable)
        for column in ("when", "who", "subject", "what"):
            table.add_column(t(f"audit.col.{column}"), key=column)
        table.focus()
        self.reload()

    # — reading —
    def reload(self) -> None:
        run_db(self, audit_page, session_of(self), self.filter, then=self._first_page,
               failed=self._refused, group="audit")

    def _refused(self, exc: Exception) -> None:
        self.query_one("#audit-state", Static).update(shown(problem_text(exc), "bold red"))

    def _first_page(self, page: AuditPage) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        self.rows = []
        with self.app.batch_update():  # one repaint for the whole page
            table.clear()
            self._add_rows(page)
            table.move_cursor(row=min(keep, max(len(self.rows) - 1, 0)))

    def _add_rows(self, page: AuditPage) -> None:
        table, today = self.query_one(DataTable), dt.date.today()
        self.cadres = page.cadres
        for row in page.rows:
            table.add_row(*audit_cells(row, self.cadres, today), key=str(row.event.id))
        self.rows += page.rows
        self.more = page.more
        self._show_state()

    def _show_state(self) -> None:
        f = self.filter
        state = Text()
        state.append(shown(t("audit.cadre", name=self.cadres.get(f.cadre_id, ""))
                           if f.cadre_id is not None else t("audit.cadre_all"), "bold"))
        state.append("   ")
        if self.rows:
            state.append(t("audit.shown", count=len(self.rows))
                         + (t("audit.more") if self.more else ""))
        else:
            state.append(t("audit.none"), style="dim")
        self.query_one("#audit-state", Static).update(state)

    @on(DataTable.RowHighlighted)
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if self.more and not self.loading_more and event.cursor_row >= len(self.rows) - 5:
            self.loading_more = True
            last = self.rows[-1].event
            run_db(self, audit_page, session_of(self), self.filter, (last.at, last.id),
                   then=self._next_page, group="audit-more")

    def _next_page(self, page: AuditPage) -> None:
        self.loading_more = False
        self._add_rows(page)

    def on_data_changed(self) -> None:
        """Someone changed something or looked at a number: it shows at the top."""
        self.reload()

    # — filters —
    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, **{event.input.id: event.value})
        self.reload()

    @on(Input.Submitted)
    def _typed_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#person", Input))  # focus() would wait a turn

    def action_choose_cadre(self) -> None:
        options = [(ALL, t("audit.cadre_all"))]
        options += [(str(cadre_id), name) for cadre_id, name in self.cadres.items()]
        self.app.push_screen(ChoiceScreen(t("key.audit_cadre"), options), self._cadre_chosen)

    def _cadre_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self.filter = replace(self.filter,
                                  cadre_id=None if choice == ALL else int(choice))
            self.reload()

    def action_clear(self) -> None:
        for name in FILTER_FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self.filter = AuditFilter()
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
