"""Command palette: type a name, pinyin or digits to jump to a resident."""
from __future__ import annotations

import asyncio
from functools import partial

from textual.app import ComposeResult
from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    Hit,
    Hits,
    Provider,
    SearchIcon,
)
from textual.containers import Horizontal, Vertical
from textual.widgets import LoadingIndicator

from models.core.i18n import t
from models.people.residents import search_residents

from .dbwork import in_connection
from .session import session_of
from .widgets.fields import KeysInOrder
from .widgets.person_search import person_line


class TypedCommandInput(KeysInOrder, CommandInput):
    """The palette's search box, taking a burst of keys in the order typed."""


class DeskCommandPalette(CommandPalette):
    """Textual's palette, laid out as Textual lays it out, with the desk's search box:
    Textual's own typed `zs⌫san` in one burst as "zssa"."""

    def compose(self) -> ComposeResult:
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield TypedCommandInput(placeholder=self._placeholder, select_on_focus=False)
            with Vertical(id="--results"):
                yield CommandList()
                yield LoadingIndicator()


class ResidentCommands(Provider):
    async def search(self, query: str) -> Hits:
        residents = await asyncio.to_thread(in_connection, search_residents, query, 10,
                                            station_id=session_of(self.app).station_id)
        for rank, resident in enumerate(residents):
            yield Hit(1.0 - rank / 100, person_line(resident),
                      partial(self._open, resident.id),
                      help=t("palette.open_resident"))
        if not residents:  # said here, so Textual's English "no matches" never shows
            yield Hit(0.0, t("palette.none"), self._nothing)

    def _nothing(self) -> None:
        """Chosen "nothing found": the palette closes, nothing else happens."""

    def _open(self, resident_id: int) -> None:
        from .residents import ResidentsScreen  # loaded after start-up (see home)
        self.app.push_screen(ResidentsScreen(resident_id=resident_id))
