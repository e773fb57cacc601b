"""Keys typed ahead wait until the desk is ready for them.

A slow link (SSH, a browser desk) delivers keys typed together in one write. Textual
hands each to whatever has focus when it comes, but much of what a key does happens
later: a screen being shown, an action's messages, a database read in a worker after
which focus moves on or a dialog opens. Keys that arrive in between would land in
the field just left. So the app holds them while anything is not ready — a hold —
and lets them go, in the order they were typed, once every hold is over.

A step that starts database work a key should wait for asks `run_db(...,
hold_keys=True)` (screens/dbwork.py); every hold has a time limit, so keys are never
kept for good.
"""
from __future__ import annotations

from textual import events
from textual.screen import Screen

# a screen just shown, or a key's own messages: until the screen has drawn
HOLD_SECONDS = 0.5
# database work a key started: a slow disk or link, but not for ever
WAIT_SECONDS = 5.0
# redraws a key's messages may take to reach the screen
QUIET_ROUNDS = 5


class HoldsKeys:
    """For the App: keys arriving while a hold is on wait, then go on in order."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._holds: set[int] = set()
        self._last_hold = 0
        self._held: list[events.Key] = []
        # how many of the held keys came back from a widget: they were handed on
        # before the hold began, so they go before any that came straight here
        self._returned = 0
        self._delivering = False

    @property
    def holding_keys(self) -> bool:
        return bool(self._holds)

    def hold_keys(self, limit: float = HOLD_SECONDS) -> int:
        """Hold keys from now on, until `keys_ready(hold)` or `limit` seconds."""
        self._last_hold += 1
        hold = self._last_hold
        self._holds.add(hold)
        self.set_timer(limit, lambda: self._let_go(hold))
        return hold

    def keys_ready(self, hold: int, screen: Screen | None = None) -> None:
        """What `hold` waited for is done: the keys go on once the screen (the
        current one) has drawn and what it led to has been dealt with (focus moved
        meanwhile has landed, a message on its way has arrived)."""
        (screen or self.screen).call_after_refresh(self._when_quiet, hold, QUIET_ROUNDS)

    async def _when_quiet(self, hold: int, rounds: int) -> None:
        # A message posted travels from queue to queue (Enter's Submitted from the
        # field up to the screen, which may start a hold of its own): the keys wait
        # a few redraws while one is on its way
        if hold in self._holds and rounds and self._messages_on_the_way():
            self.screen.call_after_refresh(self._when_quiet, hold, rounds - 1)
        else:
            await self._let_go(hold)

    def _messages_on_the_way(self) -> bool:
        return any(not node._message_queue.empty()
                   for node in self.screen.walk_children(with_self=True))

    def hand_back(self, key: events.Key) -> None:
        """A key that reached a widget while keys are held: it waits with them."""
        self._held.insert(self._returned, events.Key(key.key, key.character))
        self._returned += 1

    async def _let_go(self, hold: int) -> None:
        self._holds.discard(hold)
        if self._holds or self._delivering:
            return
        self._delivering = True
        self._returned = 0
        try:
            while self._held and not self._holds:
                await super().on_event(self._held.pop(0))
        finally:
            self._delivering = False

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        # A bound key's work goes on in messages queued behind keys already handed
        # to the widget (Enter's Submitted, a list's OptionSelected): those keys
        # wait until the screen has dealt with it.
        handled = await super()._check_bindings(key, priority)
        if handled:
            self.keys_ready(self.hold_keys())
        return handled

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and (self._holds or self._delivering):
            if event.is_forwarded:  # handed to a widget before, come back unused
                self.hand_back(event)
            else:
                self._held.append(events.Key(event.key, event.character))
            return
        await super().on_event(event)
