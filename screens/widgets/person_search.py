"""Find a person from any clue — the search box at the heart of the desk."""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from models.core.i18n import t
from models.core.validation import mask_phone
from models.people.entities import Resident, ResidentStatus
from models.people.residents import search_residents

from ..dbwork import run_db
from ..session import station_read
from ..texts import resident_state
from .fields import TypedInput
from .shown import shown


def person_line(resident: Resident) -> Text:
    """One result row, short enough not to wrap; ID and phone masked. Someone who
    died or moved away is dimmed and marked (the search puts them last)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    gone = resident.status != ResidentStatus.PRESENT
    line.append(shown(resident.name, "dim" if gone else "bold"))
    if gone:
        line.append(" ")
        line.append(shown(resident_state(resident), "bold red"))
    line.append("  ")
    line.append(shown(resident.pinyin, "dim"))
    for value in (mask_phone(resident.phone),
                  resident.household.number if resident.household_id else "",
                  resident.gender):
        if value:
            line.append("  ")
            line.append(shown(value))
    if resident.id_number:
        line.append("  …", style="dim")
        line.append(shown(resident.id_number[-4:], "dim"))
    return line


class PersonSearch(Vertical):
    """An input and the matching residents; Enter or a click chooses one."""

    DEFAULT_CSS = """
    PersonSearch { height: 1fr; }
    PersonSearch Input { margin-bottom: 0; }
    PersonSearch OptionList { height: 1fr; border: none; text-wrap: nowrap;
        text-overflow: ellipsis; }
    """

    # From the box, Down moves into the results (the list's own Down wins there).
    BINDINGS = [Binding("down", "to_results", show=False, id="person-search.results")]

    class Chosen(Message):
        def __init__(self, resident_id: int) -> None:
            super().__init__()
            self.resident_id = resident_id

    def __init__(self) -> None:
        super().__init__()
        self.shown_for: str | None = ""  # the query the results are for (None: coming)

    def compose(self) -> ComposeResult:
        yield TypedInput(placeholder=t("search.person.placeholder"), id="person-query")
        yield OptionList(id="person-results")

    def focus_query(self) -> None:
        self.query_one(Input).focus()

    def search(self, text: str) -> None:
        self.query_one(Input).value = text

    @on(Input.Changed, "#person-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.shown_for = None
        run_db(self, station_read(self, search_residents), event.value,
               then=partial(self._show, event.value),
               group="person-search")

    def _show(self, query: str, residents: list[Resident]) -> None:
        self.shown_for = query
        results = self.query_one(OptionList)
        results.clear_options()
        if residents:
            results.add_options(Option(person_line(r), id=str(r.id)) for r in residents)
            results.highlighted = 0
        elif query.strip():
            results.add_option(Option(Text(t("search.person.none")), disabled=True))

    @on(Input.Submitted, "#person-query")
    def _choose_highlighted(self, event: Input.Submitted) -> None:
        if self.shown_for != event.value:
            # Enter typed with the name: the first match of what was typed, once
            # found; the keys after it wait for the choice
            run_db(self, station_read(self, search_residents), event.value,
                   then=lambda found: self._show_and_choose(event.value, found),
                   group="person-search", hold_keys=True)
            return
        results = self.query_one(OptionList)
        if results.highlighted is not None:
            option = results.get_option_at_index(results.highlighted)
            if option.id is not None:
                self.post_message(self.Chosen(int(option.id)))

    def _show_and_choose(self, query: str, residents: list[Resident]) -> None:
        self._show(query, residents)
        if residents:
            self.post_message(self.Chosen(residents[0].id))

    @on(OptionList.OptionSelected, "#person-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(int(event.option.id)))

    def action_to_results(self) -> None:
        self.query_one(OptionList).focus()
