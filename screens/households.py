"""Households (station head): find a household by number, address or a member, a
new household with its head, a resident moved to another household (分户 / 迁入),
a resident who died or moved away (kept; their open errands flagged)."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from models.core.i18n import t
from models.core.validation import mask_phone
from models.people.entities import Resident, ResidentStatus
from models.people.households import (
    Departure,
    HouseholdForm,
    HouseholdRow,
    MemberRow,
    add_household,
    find_households,
    mark_resident,
    members_of,
    move_resident,
)

from .dbwork import run_db
from .session import session_of, station_read
from .table_import import ImportScreen
from .texts import resident_state
from .widgets.dialogs import ChoiceScreen, PromptScreen
from .widgets.fields import Field, FieldForm, TypedInput
from .widgets.form_dialog import FormDialog
from .widgets.keybar import KeyBar
from .widgets.shown import tell

HOUSEHOLD_FIELDS = {"number": 20, "group_number": 3, "address": 120, "head_name": 40,
                    "head_id_number": 22, "head_phone": 24}
MOVE_FIELDS = {"household_number": 20, "group_number": 3, "relation": 20}


class HouseholdFormScreen(FormDialog):
    CSS_PATH = "households.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("household_form.title")
            yield FieldForm([Field(name, t(f"household_form.{name}"),
                                   placeholder=t(f"household_form.hint.{name}"),
                                   max_length=length)
                             for name, length in HOUSEHOLD_FIELDS.items()],
                            # the head's errors name the resident's fields
                            aliases={"household_number": "number", "household": "number",
                                     "name": "head_name", "id_number": "head_id_number",
                                     "phone": "head_phone"})
            yield Static(t("resident_form.keys"), classes="hint")

    def action_confirm(self) -> None:
        self.save(add_household, HouseholdForm(**self.query_one(FieldForm).values()),
                  session_of(self))


class MoveResidentScreen(FormDialog):
    """分户 / 迁入: the resident goes to another household, or a new one."""

    CSS_PATH = "households.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("move_resident.title", name=self.row.name)
            yield FieldForm([Field(name, t(f"resident.{name}"),
                                   placeholder=t(f"move_resident.hint.{name}"),
                                   max_length=length)
                             for name, length in MOVE_FIELDS.items()],
                            aliases={"household": "household_number"})
            yield Static(t("resident_form.keys"), classes="hint")

    def fill(self, resident: Resident) -> None:
        self.query_one(FieldForm).set_values({"relation": resident.relation})

    def action_confirm(self) -> None:
        values = self.query_one(FieldForm).values()
        self.save(move_resident, self.row.id, self.row.version, values["household_number"],
                  values["group_number"], values["relation"], session_of(self))


class HouseholdsScreen(Screen):
    CSS_PATH = "households.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="households.back"),
        Binding("f2", "add", t("key.add_household"), id="households.add"),
        Binding("f3", "focus_search", t("key.find_household"), id="households.search"),
        Binding("m", "move", t("key.move_resident"), id="households.move"),
        Binding("x", "mark", t("key.mark_resident"), id="households.mark"),
        Binding("i", "import_register", t("key.import_register"), id="households.import"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.households: list[HouseholdRow] = []
        self.members: list[MemberRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield TypedInput(placeholder=t("households.search"), id="household-search")
        with Horizontal():
            with Vertical(id="households-box", classes="box"):
                yield DataTable(id="households", cursor_type="row", zebra_stripes=True)
            with Vertical(id="members-box", classes="box"):
                yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
                yield Static(t("households.hint"), id="members-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("households.title")
        self.query_one("#households-box").border_title = t("households.list")
        self.query_one("#members-box").border_title = t("households.members")
        self.query_one("#households", DataTable).add_columns(
            *(t(key) for key in ("resident.household_number", "resident.group_number",
                                 "household.address", "households.col.head",
                                 "households.col.members")))
        self.query_one("#members", DataTable).add_columns(
            *(t(key) for key in ("resident.name", "resident.relation", "resident.phone",
                                 "households.col.state", "households.col.open")))
        self.query_one("#households", DataTable).focus()

    # — households —
    def search(self) -> None:
        run_db(self, find_households, session_of(self).station_id,
               self.query_one("#household-search", Input).value,
               then=self._found, group="households")

    on_data_changed = search
    on_screen_resume = search

    @on(Input.Changed, "#household-search")
    def _typed(self) -> None:
        self.search()

    @on(Input.Submitted, "#household-search")
    def _to_list(self) -> None:
        self.query_one("#households", DataTable).focus()

    def _found(self, rows: list[HouseholdRow]) -> None:
        table = self.query_one("#households", DataTable)
        keep = table.cursor_row
        self.households = rows
        with self.app.batch_update():
            table.clear()
            for row in rows:
                table.add_row(Text(row.household.number), str(row.household.group.number),
                              Text(row.household.address), Text(row.head),
                              str(row.members), key=str(row.household.id))
            if rows:
                table.move_cursor(row=min(keep, len(rows) - 1))
        self._show_members()

    def current_household(self) -> HouseholdRow | None:
        row = self.query_one("#households", DataTable).cursor_row
        return self.households[row] if 0 <= row < len(self.households) else None

    @on(DataTable.RowHighlighted, "#households")
    def _show_members(self) -> None:
        household = self.current_household()
        if household is None:
            self._members([])
        else:
            run_db(self, station_read(self, members_of), household.household.id, then=self._members,
                   group="members")

    @on(DataTable.RowSelected, "#households")
    def _to_members(self) -> None:
        self.query_one("#members", DataTable).focus()

    # — members —
    def _members(self, members: list[MemberRow]) -> None:
        table = self.query_one("#members", DataTable)
        keep = table.cursor_row
        self.members = members
        table.clear()
        for member in members:
            person = member.resident
            gone = person.status != ResidentStatus.PRESENT
            table.add_row(Text(person.name, style="dim" if gone else ""), Text(person.relation),
                          mask_phone(person.phone),
                          Text(resident_state(person), style="bold red" if gone else ""),
                          str(member.open_errands) if member.open_errands else "",
                          key=str(person.id))
        if members:
            table.move_cursor(row=min(keep, len(members) - 1))

    def current_member(self) -> Resident | None:
        row = self.query_one("#members", DataTable).cursor_row
        return self.members[row].resident if 0 <= row < len(self.members) else None

    # — keys —
    def action_add(self) -> None:
        self.app.push_screen(HouseholdFormScreen())

    def action_import_register(self) -> None:
        self.app.push_screen(ImportScreen("residents"))

    def action_focus_search(self) -> None:
        self.query_one("#household-search", Input).focus()

    def action_move(self) -> None:
        person = self.current_member()
        if person is not None:
            self.app.push_screen(MoveResidentScreen(person))

    def action_mark(self) -> None:
        person = self.current_member()
        if person is None:
            return

        def ask_day(status: str | None) -> None:
            if status == ResidentStatus.PRESENT:
                self._mark(person, status, "")
            elif status is not None:
                def dated(day: str | None) -> None:
                    if day is not None:
                        self._mark(person, status, day)
                self.app.push_screen(PromptScreen(
                    t(f"households.day.{status}", name=person.name),
                    t("households.day_hint")), dated)

        self.app.push_screen(ChoiceScreen(
            t("households.mark_title", name=person.name),
            [(status, t(f"households.mark.{status}")) for status in
             (ResidentStatus.DECEASED, ResidentStatus.MOVED_AWAY, ResidentStatus.PRESENT)]),
            ask_day)

    def _mark(self, person: Resident, status: str, day: str) -> None:
        run_db(self, mark_resident, person.id, person.version, status, day,
               session_of(self), then=self._marked, group="save")

    def _marked(self, departure: Departure) -> None:
        person = departure.resident
        tell(self, t("households.marked", name=person.name, state=resident_state(person))
                        + (t("households.flagged", count=len(departure.flagged))
                           if departure.flagged else ""))
        self.search()

    def action_back(self) -> None:
        self.app.pop_screen()
