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
from models.errands.entities import OPEN_STATUSES, status_label
from models.errands.records import ResidentOverview, resident_overview
from models.people.entities import ResidentStatus
from models.people.residents import reveal_identity

from .dbwork import run_db
from .intake import IntakeScreen
from .resident_form import ResidentFormScreen
from .session import RoleKeys, changes_data, session_of, station_read
from .texts import resident_state
from .widgets.keybar import KeyBar
from .widgets.person_search import PersonSearch
from .widgets.shown import shown

REVEAL_SECONDS = 60  # a revealed number goes back to masked by itself


def overview_text(overview: ResidentOverview, revealed: tuple[str, str] | None = None
                  ) -> Text:
    """The person's record; ID number and phone masked unless `revealed` (the full
    pair from `reveal_identity`) is given."""
    person = overview.resident
    text = Text()
    text.append(shown(person.name, "bold"))
    text.append("  ")
    text.append(shown(person.pinyin, "dim"))
    text.append("\n")
    if person.status != ResidentStatus.PRESENT:  # kept on file; open errands to settle
        text.append(resident_state(person), style="bold red")
        still_open = sum(e.status in OPEN_STATUSES for e in overview.errands)
        if still_open:
            text.append("  " + t("residents.departed_open", count=still_open),
                        style="bold yellow")
        text.append("\n")
    id_number, phone = revealed or (mask_id(person.id_number), mask_phone(person.phone))
    full = "bold yellow" if revealed else ""
    rows = [
        (t("resident.gender"), shown(person.gender)),
        (t("resident.id_number"), shown(id_number, full)),
        (t("resident.phone"), shown(phone, full)),
        (t("resident.household_number"),
         shown(f"{person.household.number}  "
               f"{person.household.address or person.household.group.name}"
               if person.household_id else "")),
        (t("resident.relation"), shown(person.relation)),
        (t("resident.note"), shown(person.note, multiline=True)),
    ]
    for label, value in rows:
        if value:
            text.append(f"{label}：", style="bold")
            text.append(value)
            text.append("\n")
    if revealed:
        text.append(t("residents.revealed", seconds=REVEAL_SECONDS) + "\n", style="dim")
    others = [m for m in overview.members if m.id != person.id]
    if others:
        text.append(t("residents.members"), style="bold")
        text.append(shown("、".join(f"{m.name}({m.relation})" if m.relation else m.name
                                    for m in others)))
        text.append("\n")
    return text


class ResidentsScreen(RoleKeys, Screen):
    CSS_PATH = "residents.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="residents.back"),
        Binding("f2", "new_person", t("key.new_person"), id="residents.new"),
        Binding("f5", "edit_person", t("key.edit_person"), id="residents.edit"),
        Binding("f6", "intake", t("key.intake_for"), id="residents.intake"),
        Binding("f7", "reveal", t("key.reveal"), id="residents.reveal"),
        Binding("f3", "focus_search", t("key.find_person"), id="residents.search"),
    ]

    def __init__(self, query: str = "", resident_id: int | None = None) -> None:
        super().__init__()
        self.initial_query = query
        self.initial_resident_id = resident_id
        self.overview: ResidentOverview | None = None
        # (resident id, (ID number, phone)) while a reveal is on screen
        self.revealed: tuple[int, tuple[str, str]] | None = None
        self.hide_timer = None

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
        run_db(self, station_read(self, resident_overview), resident_id, then=self._show,
               group="overview")

    def _show(self, overview: ResidentOverview) -> None:
        self.overview = overview
        self._show_detail()
        table = self.query_one("#errands", DataTable)
        table.clear()
        for errand in overview.errands:
            table.add_row(
                shown(errand.number), shown(errand.item.name), t(f"mode.{errand.mode}"),
                status_label(errand.status, errand.mode), errand.created_at.strftime("%Y-%m-%d"),
                errand.due_date.isoformat(), key=str(errand.id))
        self.query_one("#detail-box").border_subtitle = t(
            "residents.errand_count", count=len(overview.errands))

    def _show_detail(self) -> None:
        person_id = self.overview.resident.id
        if self.revealed is not None and self.revealed[0] != person_id:
            self.revealed = None  # another person: theirs stay masked
        self.query_one("#detail", Static).update(overview_text(
            self.overview, self.revealed[1] if self.revealed else None))

    @changes_data
    def action_reveal(self) -> None:
        """The full ID number and phone of the person shown, for a while; the model
        records who looked."""
        if self.overview is not None:
            person_id = self.overview.resident.id
            run_db(self, reveal_identity, person_id, session_of(self),
                   then=lambda numbers: self._revealed(person_id, numbers),
                   group="reveal")

    def _revealed(self, person_id: int, numbers: tuple[str, str]) -> None:
        if self.overview is None or self.overview.resident.id != person_id:
            return
        self.revealed = (person_id, numbers)
        if self.hide_timer is not None:
            self.hide_timer.stop()
        self.hide_timer = self.set_timer(REVEAL_SECONDS, self._hide)
        self._show_detail()

    def _hide(self) -> None:
        self.revealed = None
        if self.overview is not None:
            self._show_detail()

    def on_data_changed(self) -> None:
        """Another session (or this one) saved something: show it."""
        if self.overview is not None:
            self.show_resident(self.overview.resident.id)

    @changes_data
    def action_new_person(self) -> None:
        self.app.push_screen(ResidentFormScreen(), self._after_form)

    @changes_data
    def action_edit_person(self) -> None:
        if self.overview is not None:
            self.app.push_screen(ResidentFormScreen(self.overview.resident),
                                 self._after_form)

    def _after_form(self, resident_id: int | None) -> None:
        if resident_id:
            self.show_resident(resident_id)

    @changes_data
    def action_intake(self) -> None:
        if self.overview is not None:
            self.app.push_screen(IntakeScreen(self.overview.resident.id))

    def action_focus_search(self) -> None:
        self.query_one(PersonSearch).focus_query()

    def action_back(self) -> None:
        self.app.pop_screen()
