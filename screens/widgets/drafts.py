"""Keeping a form's unsaved typing, so a dropped SSH link or a lost server loses
nothing: written a second after the last change (to the database, and on a
township's server to a file on this machine too), offered back when the form
opens again, discarded when the form is saved or abandoned on purpose.

While the link to the server is down only the file is written; the database gets
the draft again once the link is back."""
from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from models.core.drafts import (
    clear_draft,
    forget_locally,
    keep_locally,
    newest_draft,
    save_draft,
)
from models.core.i18n import t

from ..dbwork import link_down, run_db
from ..session import session_of
from .dialogs import ChoiceScreen

DELAY = 1.0
# while the server is out of reach: how often to look whether it is back
WAIT_FOR_LINK = 2.0


class DraftKeeper:
    def __init__(self, screen: Screen, form: str) -> None:
        self.screen, self.form = screen, form
        self.timer = None
        self.data: dict | None = None
        self.closed = False

    @property
    def owner(self) -> str:
        return session_of(self.screen).login

    def changed(self, data: dict) -> None:
        if self.closed:
            return
        self.data = data
        self._write_in(DELAY)

    def _write_in(self, seconds: float) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.screen.set_timer(seconds, self._write)

    def _write(self) -> None:
        if self.closed:
            return
        keep_locally(self.owner, self.form, self.data)
        if link_down(self.screen.app):
            self._write_in(WAIT_FOR_LINK)
        else:
            run_db(self.screen, save_draft, self.owner, self.form, self.data,
                   failed=self._not_written, group=f"draft-{self.form}")

    def _not_written(self, exc: Exception) -> None:
        """The server was lost meanwhile: the band says so and the copy here holds
        the draft; it is written again once the link is back."""
        if not self.closed:
            self._write_in(WAIT_FOR_LINK)

    def discard(self) -> None:
        """The form was saved, or left on purpose: no draft to offer next time."""
        self.closed = True
        if self.timer is not None:
            self.timer.stop()
        self._forget()

    def _forget(self) -> None:
        forget_locally(self.owner, self.form)
        if not link_down(self.screen.app):  # else the empty local one outweighs it
            run_db(self.screen.app, clear_draft, self.owner, self.form,
                   failed=self._not_written, group=f"draft-clear-{self.form}",
                   exclusive=False)

    def offer(self, restore: Callable[[dict], None]) -> None:
        """If this person left this form unsaved, ask whether to carry on with it."""
        def found(data: dict | None) -> None:
            if not data:
                return

            def decide(choice: str | None) -> None:
                if choice == "restore":
                    restore(data)
                elif choice == "discard":
                    self._forget()
            self.screen.app.push_screen(ChoiceScreen(
                t("draft.title"), [("restore", t("draft.restore")),
                                   ("discard", t("draft.discard"))]), decide)
        run_db(self.screen, newest_draft, self.owner, self.form, then=found,
               group=f"draft-load-{self.form}")
