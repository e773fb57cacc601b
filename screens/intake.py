"""Walk-in intake (接待登记): person, item, materials, way of handling, save, receipt.

Laid out left to right in the order a cadre works; Enter moves on to the next step,
so a known person with a catalogue item is a handful of keys.
"""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    Header,
    Input,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)

from models.core.i18n import t
from models.core.validation import mask_phone
from models.duty.holidays import unofficial_note
from models.errands.catalogue import ways_text
from models.errands.entities import MODES, Errand, ServiceItem, status_label
from models.errands.intake import (
    DueDate,
    IntakeForm,
    due_date_info,
    held_originals,
    open_duplicates,
    person_refusal,
    register_errand,
    restore_intake,
)
from models.people.entities import Resident, ResidentStatus
from models.people.residents import load_resident
from models.village.visits import VisitNeed, errand_from_visit

from .dbwork import problem_text, run_db
from .errand import ErrandScreen
from .receipt import ReceiptScreen
from .resident_form import ResidentFormScreen
from .session import session_of, station_read
from .texts import resident_state
from .widgets.dialogs import ChoiceScreen
from .widgets.drafts import DraftKeeper
from .widgets.fields import TypedInput
from .widgets.item_picker import ItemPicker, time_limit
from .widgets.keybar import KeyBar
from .widgets.person_search import PersonSearch
from .widgets.shown import shown, tell
from .widgets.toggles import Radio


def ways_note(item: ServiceItem) -> str:
    """"只能领着办 · 须本人到场": what saving will hold the cadre to."""
    parts = [t("intake.only_ways", ways=ways_text(item))]
    if item.in_person:
        parts.append(t("intake.in_person"))
    return " · ".join(parts)


class IntakeScreen(Screen):
    CSS_PATH = "intake.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="intake.back"),
        Binding("f2", "new_person", t("key.new_person"), id="intake.new_person"),
        Binding("ctrl+s", "save", t("key.save"), id="intake.save"),
        Binding("f3", "focus_person", t("key.find_person"), id="intake.person"),
        Binding("f4", "focus_item", t("key.find_item"), id="intake.item"),
        Binding("f6", "toggle_original", t("key.original"), id="intake.original"),
    ]

    def __init__(self, resident_id: int | None = None, mode: str | None = None,
                 need: VisitNeed | None = None) -> None:
        """`mode` fixes the way of handling up front: a phone call is 流动办. `need`:
        a need raised on a visit — its person and words filled in, the errand saved
        linked to the visit, and the screen closed after the receipt (dismissed
        with the errand's id)."""
        super().__init__()
        self.need = need
        self.initial_resident_id = need.resident_id if need else resident_id
        self.fixed_mode = mode
        self.resident: Resident | None = None
        self.item: ServiceItem | None = None
        self.due: DueDate | None = None
        self.marked: set[str] = set()  # materials the cadre marked as originals kept
        self.draft = DraftKeeper(self, "intake")
        self.restoring: dict | None = None  # a draft being put back, step by step

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="top"):
            with Vertical(id="person-box", classes="box"):
                yield PersonSearch()
            with Vertical(id="item-box", classes="box"):
                yield ItemPicker()
        with Horizontal(id="bottom"):
            with Vertical(id="materials-box", classes="box"):
                yield SelectionList[str](id="materials")
            with Vertical(id="mode-box", classes="box"):
                with RadioSet(id="mode"):
                    for mode in MODES:
                        yield Radio(t(f"mode.{mode}"), id=f"mode-{mode}")
            with Vertical(id="summary-box", classes="box"):
                yield Static(id="summary")
                yield TypedInput(placeholder=t("intake.note.placeholder"), id="note",
                            max_length=2000)
                yield Label("", id="intake-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("intake.visit_title" if self.need else
                       "intake.phone_title" if self.fixed_mode == "mobile" else "intake.title")
        if self.need:
            self.query_one("#note", Input).value = shown(self.need.note).plain
        if self.fixed_mode:
            self.query_one(f"#mode-{self.fixed_mode}", RadioButton).value = True
        self.query_one("#person-box").border_title = t("intake.step.person")
        self.query_one("#item-box").border_title = t("intake.step.item")
        self.query_one("#materials-box").border_title = t("intake.step.materials")
        self.query_one("#mode-box").border_title = t("intake.step.mode")
        self.query_one("#summary-box").border_title = t("intake.step.summary")
        if self.initial_resident_id:
            self._choose_person(self.initial_resident_id)
        else:
            self.query_one(PersonSearch).focus_query()
            if not self.fixed_mode:
                self.draft.offer(self._restore)
        self._show_summary()

    # — a draft left by a dropped connection —
    def _draft_data(self) -> dict:
        return {"resident_id": self.resident.id if self.resident else None,
                "item_id": self.item.id if self.item else None,
                "received": list(self.query_one("#materials", SelectionList).selected),
                "originals": sorted(self.marked),
                "mode": self._mode(), "note": self.query_one("#note", Input).value}

    def _restore(self, data: dict) -> None:
        run_db(self, station_read(self, restore_intake), data, then=self._restored,
               group="restore", hold_keys=True)

    def _restored(self, found) -> None:
        resident, item, data = found
        self.restoring = data
        if resident is not None:
            self._person_loaded(resident)
        if item is not None:
            self._choose_item(ItemPicker.Chosen(item))
        self.query_one("#note", Input).value = data.get("note", "")
        self._apply_restored()

    def _apply_restored(self) -> None:
        """Materials and mode go back once the item's list is in place."""
        data, self.restoring = self.restoring or {}, None
        materials = self.query_one("#materials", SelectionList)
        for name in data.get("received", []):
            if name in self.item.materials if self.item else False:
                materials.select(name)
        self.marked = set(data.get("originals", [])) & set(self.item.materials
                                                          if self.item else [])
        self._label_materials()
        if data.get("mode") in MODES:
            self.query_one(f"#mode-{data['mode']}", RadioButton).value = True
        self._show_summary()

    # — step 1: the person —
    @on(PersonSearch.Chosen)
    def _person_chosen(self, event: PersonSearch.Chosen) -> None:
        self._choose_person(event.resident_id)

    def _choose_person(self, resident_id: int) -> None:
        # the keys typed after Enter are for the item, once focus has moved there
        run_db(self, station_read(self, load_resident), resident_id,
               then=self._person_loaded, group="person", hold_keys=True)

    def _person_loaded(self, resident: Resident) -> None:
        refused = person_refusal(resident)  # the model says who may be served
        self.query_one("#intake-error", Label).update(shown(refused.message if refused
                                                            else ""))
        if refused is not None:
            self.query_one(PersonSearch).focus_query()
            return
        self.resident = resident
        self._show_summary()
        self.query_one(ItemPicker).focus_query()

    def action_new_person(self) -> None:
        self.app.push_screen(ResidentFormScreen(), self._person_registered)

    def _person_registered(self, resident_id: int | None) -> None:
        if resident_id:
            self._choose_person(resident_id)

    def action_focus_person(self) -> None:
        self.query_one(PersonSearch).focus_query()

    # — step 2: the catalogue item —
    def action_focus_item(self) -> None:
        self.query_one(ItemPicker).focus_query()

    @on(ItemPicker.Chosen)
    def _choose_item(self, event: ItemPicker.Chosen) -> None:
        self.item = event.item
        materials = self.query_one("#materials", SelectionList)
        materials.clear_options()
        materials.add_options((shown(name), name) for name in self.item.materials)
        self.marked = set()
        self._label_materials()
        materials.highlighted = 0 if self.item.materials else None
        self.due = None
        run_db(self, due_date_info, self.item, dt.date.today(), then=self._due_known,
               group="due")
        mode = self.fixed_mode or self.item.default_mode
        self.query_one(f"#mode-{mode}", RadioButton).value = True
        self._show_summary()
        materials.focus()
        if self.resident is not None:
            # an open errand of the same item is offered in a dialog: keys wait for it
            run_db(self, station_read(self, open_duplicates), self.resident.id, self.item.id,
                   then=self._offer_duplicates, group="duplicates", hold_keys=True)

    def _label_materials(self) -> None:
        """Each material says whether it is kept as an original (the catalogue's, or
        marked with F6) or taken as a copy."""
        materials = self.query_one("#materials", SelectionList)
        originals = held_originals(self.item, self.item.materials, list(self.marked))
        for index, name in enumerate(self.item.materials):
            label = shown(name)
            label.append("  " + t("material.original" if name in originals
                                  else "material.copy"), style="dim")
            materials.replace_option_prompt_at_index(index, label)

    def action_toggle_original(self) -> None:
        materials = self.query_one("#materials", SelectionList)
        if self.item is None or materials.highlighted is None:
            return
        name = materials.get_option_at_index(materials.highlighted).value
        if name in self.item.originals:
            tell(self, t("intake.original_by_catalogue", name=name))
            return
        self.marked ^= {name}
        self._label_materials()
        self._show_summary()

    def _due_known(self, due: DueDate) -> None:
        self.due = due
        self._show_summary()

    def _offer_duplicates(self, duplicates: list[Errand]) -> None:
        """The person already has this item open: offer that errand first."""
        if not duplicates:
            return
        options = [(str(e.id), t("intake.duplicate.open", number=e.number,
                                 status=status_label(e.status, e.mode))) for e in duplicates]
        options.append(("new", t("intake.duplicate.new")))

        def decide(choice: str | None) -> None:
            if choice not in (None, "new"):
                self.app.push_screen(ErrandScreen(int(choice)))
        self.app.push_screen(ChoiceScreen(t("intake.duplicate.title",
                                            name=self.resident.name), options), decide)

    # — steps 3 and 4 change only the summary —
    @on(SelectionList.SelectedChanged)
    @on(RadioSet.Changed)
    @on(Input.Changed, "#note")
    def _refresh_summary(self) -> None:
        self._show_summary()

    def _mode(self) -> str | None:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.id.removeprefix("mode-") if pressed else None

    def _show_summary(self) -> None:
        text = Text()
        person = self.resident
        text.append(t("intake.summary.person"), style="bold")
        if person is None:
            text.append(t("intake.summary.none") + "\n", style="dim")
        else:
            text.append(shown(f"{person.name}  {mask_phone(person.phone)}"))
            if person.status != ResidentStatus.PRESENT:
                text.append("  ")
                text.append(shown(resident_state(person), "bold red"))
            text.append("\n")
        text.append(t("intake.summary.item"), style="bold")
        if self.item is None:
            text.append(t("intake.summary.none") + "\n", style="dim")
        else:
            text.append(shown(self.item.name))
            if len(self.item.allowed_modes) < len(MODES) or self.item.in_person:
                text.append("  " + ways_note(self.item), style="yellow")
            text.append("\n")
            text.append(t("intake.summary.due"), style="bold")
            if self.due is None:
                text.append(t("loading") + "\n", style="dim")
            else:
                text.append(t("intake.summary.due_value", date=self.due.date.isoformat(),
                              limit=time_limit(self.item)))
                text.append(unofficial_note(self.due.unofficial_years) + "\n", style="yellow")
            received = self.query_one("#materials", SelectionList).selected
            text.append(t("intake.summary.materials"), style="bold")
            text.append(t("intake.summary.materials_value", got=len(received),
                          of=len(self.item.materials)))
            if received:
                text.append("：")
                text.append(shown("、".join(received)))
            text.append("\n")
            originals = held_originals(self.item, list(received), list(self.marked))
            if originals:
                text.append(t("intake.summary.originals"), style="bold")
                text.append(shown("、".join(originals)))
                text.append("\n")
        mode = self._mode()
        text.append(t("intake.summary.mode"), style="bold")
        text.append((t(f"mode.{mode}") if mode else t("intake.summary.none")) + "\n")
        self.query_one("#summary", Static).update(text)
        if self.resident is not None or self.item is not None:
            self.draft.changed(self._draft_data())

    # — save —
    def action_save(self) -> None:
        error = self.query_one("#intake-error", Label)
        missing = (t("intake.need.person") if self.resident is None else
                   t("intake.need.item") if self.item is None else
                   t("intake.need.mode") if self._mode() is None else None)
        if missing:
            error.update(Text(missing))
            return
        error.update("")
        form = IntakeForm(resident_id=self.resident.id, item_id=self.item.id,
                          mode=self._mode(),
                          received=list(self.query_one("#materials", SelectionList).selected),
                          originals=sorted(self.marked),
                          note=self.query_one("#note", Input).value)
        session = session_of(self)
        if self.need:
            run_db(self, errand_from_visit, self.need.visit_id, form, session,
                   then=self._saved, failed=self._refused, group="save", exclusive=False,
                   hold_keys=True)
        else:
            run_db(self, register_errand, form, session.station_id, session,
                   then=self._saved, failed=self._refused, group="save", exclusive=False,
                   hold_keys=True)

    def _refused(self, exc: Exception) -> None:
        self.query_one("#intake-error", Label).update(shown(problem_text(exc)))

    def _saved(self, errand) -> None:
        self.draft.discard()
        self.draft = DraftKeeper(self, "intake")  # the next villager's
        after = (lambda _: self.dismiss(errand.id)) if self.need else (lambda _: self._reset())
        self.app.push_screen(ReceiptScreen(errand.id), after)

    def _reset(self) -> None:
        self.resident = None
        self.item = None
        self.marked = set()
        self.query_one("#note", Input).value = ""
        self.query_one("#materials", SelectionList).clear_options()
        self.query_one(ItemPicker).clear()
        search = self.query_one(PersonSearch)
        search.search("")
        search.focus_query()
        self._show_summary()

    def action_back(self) -> None:
        self.draft.discard()
        self.app.pop_screen()
