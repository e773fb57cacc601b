"""Command palette: type a name, pinyin or digits to jump to a resident."""
from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider

from models.core.i18n import t
from models.people.residents import search_residents

from .dbwork import in_connection
from .widgets.person_search import person_line


class ResidentCommands(Provider):
    async def search(self, query: str) -> Hits:
        residents = await asyncio.to_thread(in_connection, search_residents, query, 10)
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
