"""One errand: its facts, the materials and who holds the originals, its whole history."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from models.core.i18n import moment, t
from models.core.validation import mask_phone
from models.duty.holidays import unofficial_note
from models.errands.entities import OPEN_STATUSES, status_label
from models.errands.lifecycle import link, merge_into, receive_material, return_original
from models.errands.records import ErrandDetail, errand_by_number, errand_detail
from models.village.entities import Visit
from models.village.visits import visit_of_errand

from .dbwork import run_db
from .errand_actions import ERRAND_BINDINGS, ErrandActions
from .event_words import history_text
from .session import RoleKeys, changes_data, session_of, station_read
from .widgets.dialogs import ChoiceScreen, PromptScreen
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell


def facts_text(detail: ErrandDetail, today: dt.date) -> Text:
    errand, person = detail.errand, detail.resident
    text = Text()
    text.append(shown(errand.number, "bold"))
    text.append("  ")
    text.append(status_label(errand.status, errand.mode), style="bold reverse")
    if errand.flagged:
        text.append("  " + t("errand.flagged"), style="bold red")
    text.append("\n")
    due = errand.due_date.isoformat()
    if errand.paused_since:
        due += "  " + t("errand.paused", since=errand.paused_since.isoformat())
    elif errand.status in OPEN_STATUSES and errand.due_date < today:
        due += "  " + t("errand.overdue_days", days=(today - errand.due_date).days)
    due += unofficial_note(detail.unofficial_years)
    rows = [
        (t("errand.person"), f"{person.name}  {mask_phone(person.phone)}"),
        (t("errand.item"), detail.item.name),
        (t("errand.mode"), t(f"mode.{errand.mode}")),
        (t("errand.owner"), detail.owner),
        (t("errand.created"), errand.created_at.strftime("%Y-%m-%d %H:%M")),
        (t("errand.due"), due),
        (t("errand.appointment"), f"{errand.appointment_at:%Y-%m-%d %H:%M} "
         f"{errand.appointment_place}" if errand.appointment_at else ""),
        (t("errand.callback_due"), errand.callback_due.isoformat()
         if errand.callback_due and errand.status == "delivered" else ""),
        (t("errand.satisfaction"), errand.satisfaction),
        (t("errand.merged_into"), detail.merged_into),
        (t("errand.links"), "、".join(e.number for e in detail.links)),
        (t("errand.note"), errand.note),
    ]
    for label, value in rows:
        value = shown(value, multiline=True)
        if value:
            text.append(f"{label}：", style="bold")
            text.append(value)
            text.append("\n")
    return text


class ErrandScreen(RoleKeys, ErrandActions, Screen):
    CSS_PATH = "errand.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="errand.back"),
        *ERRAND_BINDINGS,
        Binding("k", "return_original", t("key.return_original"), id="errand.custody"),
        Binding("b", "receive_material", t("key.receive_material"), id="errand.receive"),
        Binding("m", "merge", t("key.merge"), id="errand.merge"),
        Binding("l", "link", t("key.link"), id="errand.link"),
    ]

    def __init__(self, errand_id: int) -> None:
        super().__init__()
        self.errand_id = errand_id
        self.detail: ErrandDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with VerticalScroll(id="facts-box", classes="box"):
                yield Static(t("loading"), id="facts")
                yield Static(id="from-visit")
            with Vertical(id="side"):
                with Vertical(id="materials-box", classes="box"):
                    yield DataTable(id="materials", cursor_type="row")
                with VerticalScroll(id="history-box", classes="box"):
                    yield Static(id="history")  # long lines wrap
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("errand.title")
        self.query_one("#facts-box").border_title = t("errand.facts")
        self.query_one("#materials-box").border_title = t("errand.materials")
        self.query_one("#history-box").border_title = t("errand.history")
        self.query_one("#materials", DataTable).add_columns(
            t("material.name"), t("material.state"), t("material.holder"))
        self.errand_changed()

    def current_errand_id(self) -> int:
        return self.errand_id

    def errand_changed(self) -> None:
        run_db(self, station_read(self, errand_detail), self.errand_id, then=self._show,
               group="detail")
        run_db(self, station_read(self, visit_of_errand), self.errand_id,
               then=self._show_visit, group="visit")

    def _show_visit(self, visit: Visit | None) -> None:
        """The visit whose need this errand came from, if it did."""
        line = self.query_one("#from-visit", Static)
        line.display = visit is not None
        if visit is not None:
            text = Text(t("errand.from_visit"), style="bold")
            text.append_text(shown(t("errand.from_visit_value", when=moment(visit.visited_at),
                                     number=visit.household.number, cadre=visit.cadre.name)))
            line.update(text)

    on_data_changed = errand_changed

    def _show(self, detail: ErrandDetail) -> None:
        self.detail = detail
        self.query_one("#facts", Static).update(facts_text(detail, dt.date.today()))
        materials = self.query_one("#materials", DataTable)
        materials.clear()
        for m in detail.materials:
            state = (t("material.original") if m.original else t("material.copy")) \
                if m.received else t("material.missing")
            holder = (t("material.returned", when=f"{m.returned_at:%m-%d}")
                      if m.returned_at else m.holder if m.original and m.received else "")
            materials.add_row(shown(m.name), state, shown(holder), key=str(m.id))
        self.query_one("#history", Static).update(
            history_text(detail.events, detail.cadres, detail.errand.mode))
        self.query_one("#history-box", VerticalScroll).scroll_end(animate=False)

    @changes_data
    def action_return_original(self) -> None:
        if self.detail is None:
            return
        held = {str(m.id): m for m in self.detail.materials
                if m.original and m.received and m.returned_at is None}
        if not held:
            tell(self, t("errand.no_originals"))
            return

        def give_back(material_id: str | None) -> None:
            if material_id:
                self._confirm(t("errand.return_confirm", name=held[material_id].name),
                              t("errand.return_yes"), lambda: run_db(
                                  self, return_original, int(material_id),
                                  session_of(self), then=self._after_dialog, group="save"))
        self.app.push_screen(ChoiceScreen(t("errand.return_title"),
                                          [(key, f"{m.name}  {m.holder}")
                                           for key, m in held.items()]), give_back)

    def _confirm(self, title: str, yes: str, then) -> None:
        """Ask before a step that cannot simply be undone; `then()` on yes."""
        self.app.push_screen(ChoiceScreen(title, [("yes", yes), ("no", t("key.cancel"))]),
                             lambda choice: then() if choice == "yes" else None)

    @changes_data
    def action_receive_material(self) -> None:
        """The villager brought a missing paper: tick it on the errand."""
        if self.detail is None:
            return
        missing = [(str(m.id), m.name) for m in self.detail.materials if not m.received]
        if not missing:
            tell(self, t("errand.nothing_missing"))
            return

        def receive(material_id: str | None) -> None:
            if material_id:
                run_db(self, receive_material, int(material_id), session_of(self),
                       then=self._after_dialog, group="save")
        self.app.push_screen(ChoiceScreen(t("errand.receive_title"), missing), receive)

    def _ask_number(self, title: str, then) -> None:
        def found(number: str | None) -> None:
            if number:
                run_db(self, station_read(self, errand_by_number), number,
                       then=lambda other: then(other) if other else tell(
                           self, t("errand.no_such_number", number=number), "warning"),
                       hold_keys=True)
        self.app.push_screen(PromptScreen(title, t("errand.number_hint")), found)

    @changes_data
    def action_merge(self) -> None:
        if self.detail is not None:
            errand = self.detail.errand
            self._ask_number(t("errand.merge_title"), lambda keep: self._confirm(
                t("errand.merge_confirm", number=errand.number, keep=keep.number),
                t("errand.merge_yes"), lambda: run_db(
                    self, merge_into, errand.id, errand.version, keep.id,
                    session_of(self), then=self._after_dialog, group="save")))

    @changes_data
    def action_link(self) -> None:
        self._ask_number(t("errand.link_title"), lambda other: run_db(
            self, link, self.errand_id, other.id, session_of(self),
            then=self._after_dialog, group="save"))

    def action_back(self) -> None:
        self.app.pop_screen()
