"""Register a new resident, or correct one: validated whole, saved whole."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from models.core.history import StaleEdit
from models.core.i18n import t
from models.people.entities import Resident
from models.people.residents import (
    ResidentForm,
    form_of,
    register_resident,
    update_resident,
)

from .dbwork import run_db
from .session import session_of
from .widgets.dialogs import Dialog
from .widgets.drafts import DraftKeeper
from .widgets.fields import Field, FieldForm
from .widgets.shown import tell

FIELDS = ("name", "id_number", "phone", "household_number", "group_number", "relation",
          "pinyin_override", "note")
MAX_LENGTHS = {"name": 40, "id_number": 22, "phone": 24, "household_number": 20,
               "group_number": 3, "relation": 20, "pinyin_override": 120, "note": 2000}


class ResidentFormScreen(Dialog[int | None]):
    """Dismissed with the saved resident's id, or None when abandoned."""

    CSS_PATH = "resident_form.tcss"
    BINDINGS = [
        Binding("enter", "next_field", show=False, id="resident_form.next"),
        Binding("f3", "take_offer", t("resident_form.take_offer"),
                id="resident_form.take_offer"),
    ]

    def __init__(self, resident: Resident | None = None) -> None:
        super().__init__()
        self.resident = resident
        self.draft = DraftKeeper(self, "resident-new") if resident is None else None
        # (field, value) the model offered instead of what was typed: a 15-digit
        # ID number's 18-digit form
        self.offer: tuple[str, str] | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_offer":
            return self.offer is not None
        return super().check_action(action, parameters)

    def action_take_offer(self) -> None:
        name, value = self.offer
        fields = self.query_one(FieldForm)
        fields.set_values({name: value})
        field = fields.field(name)
        field.cursor_position = len(field.value)
        field.focus()
        self._offered(None)

    def _offered(self, offer: tuple[str, str] | None) -> None:
        self.offer = offer
        self.refresh_bindings()
        self.query_one("#form-hint", Static).update(
            t("resident_form.keys_offer" if offer else "resident_form.keys"))

    def on_mount(self) -> None:
        if self.draft is not None:
            self.draft.offer(self.query_one(FieldForm).set_values)

    @on(Input.Changed)
    def _typed(self) -> None:
        if self.draft is not None:
            self.draft.changed(self.query_one(FieldForm).values())

    def compose(self) -> ComposeResult:
        form = form_of(self.resident) if self.resident else ResidentForm(name="")
        # a new household is the head's (the model refuses anyone else): a duty
        # cadre names an existing household, whose number implies the group
        fields = [name for name in FIELDS
                  if name != "group_number" or session_of(self).is_head]
        with Vertical() as box:
            box.border_title = t("resident_form.edit" if self.resident
                                 else "resident_form.new")
            yield FieldForm([Field(name, t(f"resident.{name}"), getattr(form, name),
                                   t(f"resident_form.hint.{name}"), MAX_LENGTHS[name])
                             for name in fields],
                            aliases={"household": "household_number"})
            yield Static(t("resident_form.keys"), id="form-hint")

    def action_next_field(self) -> None:
        self.query_one(FieldForm).next_or_save(self.action_confirm)

    def action_confirm(self) -> None:
        form = ResidentForm(**self.query_one(FieldForm).values())
        if self.resident is None:
            run_db(self, register_resident, form, session_of(self),
                   then=self._saved, failed=self._refused, group="save", hold_keys=True)
        else:
            run_db(self, update_resident, self.resident.id, self.resident.version,
                   form, session_of(self),
                   then=self._saved, failed=self._refused, group="save", hold_keys=True)

    def _refused(self, exc: Exception) -> None:
        fields = self.query_one(FieldForm)
        fields.show_problem(exc)
        offer = getattr(exc, "offer", None)
        self._offered((exc.field, offer) if offer else None)
        if isinstance(exc, StaleEdit) and exc.fresh is not None:
            # Show what is saved now; the cadre re-applies their change on top.
            self.resident = exc.fresh
            fields.set_values(vars(form_of(exc.fresh)))

    def _saved(self, resident: Resident) -> None:
        if self.draft is not None:
            self.draft.discard()
        tell(self, t("resident_form.saved", name=resident.name))
        self.dismiss(resident.id)

    def action_cancel(self) -> None:
        if self.draft is not None:
            self.draft.discard()
        super().action_cancel()
