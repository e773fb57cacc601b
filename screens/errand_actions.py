"""What a cadre can do to one errand, the same from the queue and the errand screen.

Each action reads the errand fresh before opening its dialog, and the save checks
the version again, so a change made meanwhile in another session is never lost.
"""
from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from models.core.i18n import t
from models.errands.entities import status_label
from models.errands.lifecycle import add_note, reassign
from models.errands.records import ErrandDetail, errand_detail
from models.station.team import active_cadres

from .dbwork import run_db
from .move import CallbackScreen, MoveScreen
from .receipt import ReceiptScreen
from .session import changes_data, session_of, station_read
from .widgets.dialogs import ChoiceScreen, PromptScreen
from .widgets.shown import tell

ERRAND_BINDINGS = [
    Binding("a", "advance", t("key.advance"), id="errand.advance"),
    Binding("n", "note", t("key.note"), id="errand.note"),
    Binding("o", "reassign", t("key.reassign"), id="errand.reassign"),
    Binding("c", "callback", t("key.callback"), id="errand.callback"),
    Binding("v", "receipt", t("key.receipt"), id="errand.receipt", show=False),
]


class ErrandActions:
    """Mixed into a Screen that knows which errand the cadre is on."""

    def current_errand_id(self) -> int | None:
        raise NotImplementedError

    def errand_changed(self) -> None:
        """Show the errand (or the queue) as it is now."""
        raise NotImplementedError

    def _with_detail(self, then: Callable[[ErrandDetail], None]) -> None:
        errand_id = self.current_errand_id()
        if errand_id is not None:
            run_db(self, station_read(self, errand_detail), errand_id, then=then,
                   group="errand-action", hold_keys=True)

    def _after_dialog(self, _result=None) -> None:
        self.errand_changed()

    @changes_data
    def action_advance(self) -> None:
        self._with_detail(lambda d: self.app.push_screen(MoveScreen(d), self._after_dialog))

    @changes_data
    def action_callback(self) -> None:
        def open_callback(detail: ErrandDetail) -> None:
            if detail.errand.status != "delivered":
                tell(self, t("callback.not_delivered",
                             status=status_label(detail.errand.status, detail.errand.mode)), "warning")
            else:
                self.app.push_screen(CallbackScreen(detail), self._after_dialog)
        self._with_detail(open_callback)

    @changes_data
    def action_note(self) -> None:
        errand_id = self.current_errand_id()

        def save(text: str | None) -> None:
            if text is not None:
                run_db(self, add_note, errand_id, text, session_of(self),
                       then=self._after_dialog, group="save")
        if errand_id is not None:
            self.app.push_screen(PromptScreen(t("errand.note_title")), save)

    @changes_data
    def action_reassign(self) -> None:
        def choose(detail: ErrandDetail) -> None:
            run_db(self, active_cadres, session_of(self).station_id,
                   then=lambda cadres: self._choose_owner(detail, cadres), hold_keys=True)
        self._with_detail(choose)

    def _choose_owner(self, detail: ErrandDetail, cadres) -> None:
        def save(owner_id: str | None) -> None:
            if owner_id is not None:
                run_db(self, reassign, detail.errand.id, detail.errand.version,
                       int(owner_id), session_of(self), then=self._after_dialog,
                       group="save")
        options = [(str(c.id), c.name + ("  ✓" if c.id == detail.errand.owner_id else ""))
                   for c in cadres]
        self.app.push_screen(ChoiceScreen(t("errand.reassign_title"), options), save)

    def action_receipt(self) -> None:
        errand_id = self.current_errand_id()
        if errand_id is not None:
            self.app.push_screen(ReceiptScreen(errand_id))
