"""A form in a box, as the station head's forms are: text fields (a FieldForm), then
choices (radio buttons, ticks, a list to tick). Enter moves on — from the last
field it saves — Space ticks a choice, Ctrl+S saves, Esc leaves.

A subclass composes its fields, puts a saved row's values in them (`fill`) and
implements `action_confirm` with `save`. When someone else saved the row in
between, the save is refused and the form shows the row as it is now.
"""
from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.widgets import Input

from models.core.history import StaleEdit
from models.core.i18n import t

from ..dbwork import run_db
from .dialogs import Dialog
from .fields import FieldForm
from .shown import tell


class FormDialog(Dialog[int | None]):
    """Dismissed with the saved row's id, or None. `row`: the row edited (None: a
    new one), as loaded; its version is what the save checks."""

    BINDINGS = [
        # only in a text field: on a choice Enter is the choice's own key
        Binding("enter", "next_field", show=False, id="form_dialog.next"),
    ]

    def __init__(self, row=None) -> None:
        super().__init__()
        self.row = row

    def on_mount(self) -> None:
        if self.row is not None:
            self.fill(self.row)

    def fill(self, row) -> None:
        """Show `row`'s values in the form."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":
            return isinstance(self.focused, Input)
        return super().check_action(action, parameters)

    def action_next_field(self) -> None:
        if self.focused is self.focus_chain[-1]:
            self.action_confirm()
        else:
            self.focus_next()

    def save(self, fn: Callable, *args) -> None:
        run_db(self, fn, *args, then=self._saved, failed=self._refused, group="save",
               hold_keys=True)

    def _saved(self, row) -> None:
        tell(self, t("admin.saved"))
        self.dismiss(row.id)

    def _refused(self, exc: Exception) -> None:
        self.query_one(FieldForm).show_problem(exc)
        if isinstance(exc, StaleEdit) and exc.fresh is not None:
            self.row = exc.fresh  # the change is made again on top of it
            self.fill(exc.fresh)
