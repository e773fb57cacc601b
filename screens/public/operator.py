"""The operator's way out of the hall's screen (F10, shown nowhere): a station
head's PIN closes it. Wrong PINs pause like wrong lookups do."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from models.core.i18n import t
from models.station.pins import head_pin_matches

from ..dbwork import run_db
from ..widgets.dialogs import Dialog
from .lookup import DigitField

PIN_DIGITS = 8


class OperatorExit(Dialog[bool]):
    """Dismissed with True once a head's PIN is given: the app then closes."""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("public.operator.title")
            yield Label(t("public.operator.pin"))
            yield DigitField(PIN_DIGITS, password=True, id="pin")
            yield Label("", id="problem", classes="problem")

    BINDINGS = [Binding("enter", "confirm", show=False, id="public.operator.enter")]

    def action_confirm(self) -> None:
        paused = self.app.pin_limiter.paused()
        if paused:
            self._refused(t("public.operator.paused", minutes=(paused + 59) // 60))
            return
        run_db(self, head_pin_matches, self.app.actor.station_id,
               self.query_one("#pin", Input).value,
               then=self._checked, group="pin")

    def _checked(self, matches: bool) -> None:
        if matches:
            self.dismiss(True)
            return
        self.app.pin_limiter.missed()
        self._refused(t("public.operator.wrong"))

    def _refused(self, message: str) -> None:
        self.query_one("#pin", Input).value = ""
        self.query_one("#problem", Label).update(message)
