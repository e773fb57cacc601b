"""`kiosk public`: the hall's self-service screen, left running for weeks beside the
duty desk. Read-only and locked down: a small app of its own, importing none of
the cadre's screens, with no command palette and no key that quits, suspends or
reaches a shell. Only the keys a villager needs get through — digits, letters
(the policies' pinyin search), arrows, PgUp/PgDn, Enter, Esc, Backspace — every
other key (Ctrl+C, Ctrl+Z, Ctrl+\\, Ctrl+Q, Ctrl+P, Tab, F-keys…) is dropped
before any screen sees it, pastes and the mouse too. The terminal runs without
ISIG (Textual's raw mode), so those keys send no signal; SIGINT, SIGQUIT and
SIGTSTP are ignored besides. The operator leaves with F10 and a station head's
PIN, or ends the process from another login (docs/DEPLOY.md)."""
from __future__ import annotations

import signal
import time

from textual import events
from textual.app import App
from textual.binding import Binding

from models.core.i18n import t
from models.core.session import PublicActor
from models.errands.public_lookup import LookupLimiter
from screens.public.home import HallHome

IDLE_SECONDS = 60.0  # without a key, back to the home, the last lookup gone
OPERATOR_KEY = "f10"
NAMED_KEYS = {"up", "down", "left", "right", "pageup", "pagedown", "home", "end",
              "enter", "escape", "backspace", OPERATOR_KEY}
IGNORED_SIGNALS = (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP)


def villager_key(event: events.Key) -> bool:
    """A key the hall's screen answers: a named one above, a digit or a letter
    (alone: Alt+X is not X)."""
    if event.key in NAMED_KEYS:
        return True
    typed = event.character or ""
    return event.key == typed and len(typed) == 1 and typed.isascii() and typed.isalnum()


class PublicApp(App, inherit_bindings=False):
    TITLE = t("public.title")
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(OPERATOR_KEY, "operator", show=False, priority=True,
                        id="public.operator")]

    def __init__(self, station_id: int, idle_seconds: float = IDLE_SECONDS) -> None:
        super().__init__()
        self.actor = PublicActor(station_id)
        self.limiter = LookupLimiter()  # wrong lookups: this process's memory
        self.pin_limiter = LookupLimiter()  # wrong operator PINs
        self.idle_seconds = idle_seconds
        self.last_key = time.monotonic()

    def on_mount(self) -> None:
        # Textual's driver put its own SIGTSTP handler in place (it suspends the app)
        for number in IGNORED_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        self.push_screen(HallHome())
        self.set_interval(1, self._check_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Paste, events.MouseEvent)):
            return
        if isinstance(event, events.Key):
            if not villager_key(event):
                return
            self.last_key = time.monotonic()
        await super().on_event(event)

    def _check_idle(self) -> None:
        if len(self.screen_stack) > 2 and time.monotonic() - self.last_key >= self.idle_seconds:
            self.back_home()

    def back_home(self) -> None:
        """Every screen over the home closed: what the last villager saw is gone."""
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_operator(self) -> None:
        from screens.public.operator import OperatorExit
        self.back_home()
        self.push_screen(OperatorExit(), self._operator_done)

    def _operator_done(self, leave: bool | None) -> None:
        if leave:
            self.exit()
