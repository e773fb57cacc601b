"""The receipt read out (or shown) to the villager after intake."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from models.core.i18n import t
from models.errands.printing import receipt_printout
from models.errands.records import Receipt, errand_receipt

from .dbwork import run_db
from .printout import print_page
from .session import station_read
from .widgets.dialogs import Dialog
from .widgets.shown import shown


def receipt_text(receipt: Receipt) -> Text:
    text = Text()
    text.append(t("receipt.number"), style="bold")
    text.append(shown(receipt.number, "bold reverse"))
    text.append("\n\n")
    for label, value in receipt.lines():
        text.append(label, style="bold")
        text.append(shown(value))
        text.append("\n")
    return text


class ReceiptScreen(Dialog[None]):
    CSS_PATH = "receipt.tcss"
    BINDINGS = [
        Binding("escape,enter", "cancel", t("key.close"), id="receipt.close"),
        Binding("p", "print", t("key.print"), id="receipt.print"),
    ]

    def __init__(self, errand_id: int) -> None:
        super().__init__()
        self.errand_id = errand_id

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("receipt.title")
            yield Static(t("loading"), id="receipt-body")
            yield Static(t("receipt.hint"), id="receipt-hint")

    def on_mount(self) -> None:
        run_db(self, station_read(self, errand_receipt), self.errand_id, then=self._show)

    def action_print(self) -> None:
        print_page(self, station_read(self, receipt_printout), self.errand_id)

    def _show(self, receipt: Receipt) -> None:
        self.query_one("#receipt-body", Static).update(receipt_text(receipt))
