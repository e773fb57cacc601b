"""Keeping a form's unsaved typing in the database, so a dropped SSH link loses
nothing: written a second after the last change, offered back when the form
opens again, discarded when the form is saved or abandoned on purpose."""
from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from models.core.drafts import clear_draft, load_draft, save_draft
from models.core.i18n import t

from ..dbwork import run_db
from ..session import session_of
from .dialogs import ChoiceScreen

DELAY = 1.0


class DraftKeeper:
    def __init__(self, screen: Screen, form: str) -> None:
        self.screen, self.form = screen, form
        self.timer = None
        self.data: dict | None = None
        self.closed = False

    def changed(self, data: dict) -> None:
        if self.closed:
            return
        self.data = data
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.screen.set_timer(DELAY, self._write)

    def _write(self) -> None:
        if not self.closed:
            run_db(self.screen, save_draft, session_of(self.screen).login, self.form,
                   self.data,
                   group=f"draft-{self.form}")

    def discard(self) -> None:
        """The form was saved, or left on purpose: no draft to offer next time."""
        self.closed = True
        if self.timer is not None:
            self.timer.stop()
        run_db(self.screen.app, clear_draft, session_of(self.screen).login, self.form,
               group=f"draft-clear-{self.form}", exclusive=False)

    def offer(self, restore: Callable[[dict], None]) -> None:
        """If this person left this form unsaved, ask whether to carry on with it."""
        def found(data: dict | None) -> None:
            if not data:
                return

            def decide(choice: str | None) -> None:
                if choice == "restore":
                    restore(data)
                elif choice == "discard":
                    run_db(self.screen.app, clear_draft, session_of(self.screen).login,
                           self.form,
                           exclusive=False)
            self.screen.app.push_screen(ChoiceScreen(
                t("draft.title"), [("restore", t("draft.restore")),
                                   ("discard", t("draft.discard"))]), decide)
        run_db(self.screen, load_draft, session_of(self.screen).login, self.form, then=found,
               group=f"draft-load-{self.form}")
