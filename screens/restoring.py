"""Shown while a backup is being restored: the desk is offline until it is done."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from models.core.i18n import t


class RestoringScreen(Screen[None]):
    """Covers the whole desk, takes no keys; the app removes it when the restore ends."""
    CSS_PATH = "restoring.tcss"

    def compose(self) -> ComposeResult:
        yield Static(t("restore.screen"))
