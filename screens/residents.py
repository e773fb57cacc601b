"""Residents and households (群众档案): find a person, see their household and errands."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from models.core.i18n import t
from models.core.validation import mask_id, mask_phone
from models.errands.entities import OPEN_STATUSES
from models.errands.records import ResidentOverview, resident_overview
from models.people.entities import ResidentStatus

from .dbwork import run_db
from .intake import IntakeScreen
from .resident_form import ResidentFormScreen
from .texts import resident_state
from .widgets.keybar import KeyBar
from .widgets.person_search import PersonSearch


def overview_text(overview: ResidentOverview) -> Text:
    person = overview.resident
    text = Text()
    text.append(person.name, style="bold")
    text.append(f"  {person.pinyin}\n", style="dim")
    if person.status != ResidentStatus.PRESENT:  # kept on file; open errands to settle
        text.append(resident_state(person), style="bold red")
        still_open = sum(e.status in OPEN_STATUSES for e in overview.errands)
        if still_open:
            text.append("  " + t("residents.departed_open", count=still_open),
                        style="bold yellow")
        text.append("\n")
    rows = [
        (t("resident.gender"), person.gender),
        (t("resident.id_number"), mask_id(person.id_number or "")),
        (t("resident.phone"), mask_phone(person.phone)),
        (t("resident.household_number"),
         f"{person.household.number}  "
         f"{person.household.address or person.household.group.name}"
         if person.household_id else ""),
        (t("resident.relation"), person.relation),
        (t("resident.note"), person.note),
    ]
    for label, value in rows:
        if value:
            text.append(f"{label}：", style="bold")
            text.append(value + "\n")
    others = [m for m in overview.members if m.id != person.id]
    if others:
        text.append(t("residents.members"), style="bold")
        text.append("、".join(f"{m.name}({m.relation})" if m.relation else m.name
                              for m in others) + "\n")
    return text


class ResidentsScreen(Screen):
    CSS_PATH = "residents.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="residents.back"),
        Binding("f2", "new_person", t("key.new_person"), id="residents.new"),
        Binding("f5", "edit_person", t("key.edit_person"), id="residents.edit"),
        Binding("f6", "intake", t("key.intake_for"), id="residents.intake"),
        Binding("f3", "focus_search", t("key.find_person"), id="residents.search"),
    ]

    def __init__(self, query: str = "", resident_id: int | None = None) -> None:
        super().__init__()
        self.initial_query = query
        self.initial_resident_id = resident_id
        self.overview: ResidentOverview | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="search-box", classes="box"):
                yield PersonSearch()
            with Vertical(id="detail-box", classes="box"):
                yield Static(t("residents.pick"), id="detail")
                yield DataTable(id="errands", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("residents.title")
        self.query_one("#search-box").border_title = t("residents.search")
        self.query_one("#detail-box").border_title = t("residents.detail")
        table = self.query_one("#errands", DataTable)
        table.add_columns(*(t(f"errand.{c}") for c in
                            ("number", "item", "mode", "status", "created", "due")))
        search = self.query_one(PersonSearch)
        search.focus_query()
        if self.initial_query:
            search.search(self.initial_query)
        if self.initial_resident_id:
            self.show_resident(self.initial_resident_id)

    @on(PersonSearch.Chosen)
    def _chosen(self, event: PersonSearch.Chosen) -> None:
        self.show_resident(event.resident_id)

    def show_resident(self, resident_id: int) -> None:
        run_db(self, resident_overview, resident_id, then=self._show, group="overview")

    def _show(self, overview: ResidentOverview) -> None:
        self.overview = overview
        self.query_one("#detail", Static).update(overview_text(overview))
        table = self.query_one("#errands", DataTable)
        table.clear()
        for errand in overview.errands:
            table.add_row(
                errand.number, Text(errand.item.name), t(f"mode.{errand.mode}"),
                t(f"status.{errand.status}"), errand.created_at.strftime("%Y-%m-%d"),
                errand.due_date.isoformat(), key=str(errand.id))
        self.query_one("#detail-box").border_subtitle = t(
            "residents.errand_count", count=len(overview.errands))

    def on_data_changed(self) -> None:
        """Another session (or this one) saved something: show it."""
        if self.overview is not None:
            self.show_resident(self.overview.resident.id)

    def action_new_person(self) -> None:
        self.app.push_screen(ResidentFormScreen(), self._after_form)

    def action_edit_person(self) -> None:
        if self.overview is not None:
            self.app.push_screen(ResidentFormScreen(self.overview.resident),
                                 self._after_form)

    def _after_form(self, resident_id: int | None) -> None:
        if resident_id:
            self.show_resident(resident_id)

    def action_intake(self) -> None:
        if self.overview is not None:
            self.app.push_screen(IntakeScreen(self.overview.resident.id))

    def action_focus_search(self) -> None:
        self.query_one(PersonSearch).focus_query()

    def action_back(self) -> None:
        self.app.pop_screen()
