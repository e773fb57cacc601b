"""Register a new resident, or correct one: validated whole, saved whole."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from models.entities import Resident
from models.history import StaleEdit
from models.i18n import t
from models.people import ResidentForm, form_of, register_resident, update_resident

from .dbwork import problem_text, run_db

FIELDS = ("name", "id_number", "phone", "household_number", "relation",
          "pinyin_override", "note")
MAX_LENGTHS = {"name": 40, "id_number": 22, "phone": 24, "household_number": 20,
               "relation": 20, "pinyin_override": 120, "note": 2000}


class ResidentFormScreen(ModalScreen[int | None]):
    """Dismissed with the saved resident's id, or None when abandoned."""

    DEFAULT_CSS = """
    ResidentFormScreen { align: center middle; }
    ResidentFormScreen > Vertical {
        width: 80; height: auto; border: thick $accent; padding: 1 2;
        background: $surface;
    }
    ResidentFormScreen Grid { grid-size: 2; grid-columns: 14 1fr; height: auto;
        grid-rows: 3; }
    ResidentFormScreen Grid Label { padding-top: 1; }
    ResidentFormScreen #form-error { color: $error; height: auto; width: 100%; }
    ResidentFormScreen #form-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "next_field", show=False, priority=True,
                id="resident_form.next"),
        Binding("escape", "cancel", t("key.cancel"), id="resident_form.cancel"),
        Binding("ctrl+s", "save", t("key.save"), id="resident_form.save"),
    ]

    def __init__(self, resident: Resident | None = None) -> None:
        super().__init__()
        self.resident = resident

    def compose(self) -> ComposeResult:
        form = form_of(self.resident) if self.resident else ResidentForm(name="")
        with Vertical() as box:
            box.border_title = t("resident_form.edit" if self.resident
                                 else "resident_form.new")
            with Grid():
                for name in FIELDS:
                    yield Label(t(f"resident.{name}"))
                    yield Input(getattr(form, name), id=f"field-{name}",
                                max_length=MAX_LENGTHS[name], select_on_focus=False,
                                placeholder=t(f"resident_form.hint.{name}"))
            yield Label("", id="form-error")
            yield Static(t("resident_form.keys"), id="form-hint")

    def _form(self) -> ResidentForm:
        return ResidentForm(**{name: self.query_one(f"#field-{name}", Input).value
                               for name in FIELDS})

    def action_next_field(self) -> None:
        """Enter: the next field, or save from the last one.

        A priority binding acts when the key arrives, so keys typed ahead over a
        slow link land in the field they were meant for."""
        if self.focused is not None and self.focused.id == "field-" + FIELDS[-1]:
            # Behind the keys still queued for that field, so they are in the form.
            self.focused.call_later(self.action_save)
        else:
            self.focus_next()

    def action_save(self) -> None:
        if self.resident is None:
            run_db(self, register_resident, self._form(), self.app.cadre_id,
                   then=self._saved, failed=self._refused, group="save")
        else:
            run_db(self, update_resident, self.resident.id, self.resident.version,
                   self._form(), self.app.cadre_id,
                   then=self._saved, failed=self._refused, group="save")

    def _refused(self, exc: Exception) -> None:
        self.query_one("#form-error", Label).update(Text(problem_text(exc)))
        field = getattr(exc, "field", None)
        if field == "household":
            field = "household_number"
        if field in FIELDS:
            self.query_one(f"#field-{field}", Input).focus()
        if isinstance(exc, StaleEdit) and exc.fresh is not None:
            # Show what is saved now; the cadre re-applies their change on top.
            self.resident = exc.fresh
            fresh = form_of(exc.fresh)
            for name in FIELDS:
                self.query_one(f"#field-{name}", Input).value = getattr(fresh, name)

    def _saved(self, resident: Resident) -> None:
        self.app.notify(t("resident_form.saved", name=resident.name), markup=False)
        self.dismiss(resident.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
