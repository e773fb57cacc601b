"""The receipt read out (or shown) to the villager after intake."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from models.core.i18n import t
from models.errands.records import Receipt, errand_receipt

from .dbwork import run_db
from .texts import unofficial_note
from .widgets.dialogs import Dialog
from .widgets.shown import shown


def receipt_text(receipt: Receipt) -> Text:
    text = Text()
    text.append(t("receipt.number"), style="bold")
    text.append(shown(receipt.number, "bold reverse"))
    text.append("\n\n")
    rows = [
        (t("receipt.station"), receipt.station_name),
        (t("receipt.person"), receipt.resident_name),
        (t("receipt.item"), receipt.item_name),
        (t("receipt.mode"), t(f"mode.{receipt.mode}")),
        (t("receipt.taken"), receipt.created_at.strftime("%Y-%m-%d %H:%M")),
        (t("receipt.due"), receipt.due_date.isoformat()
         + unofficial_note(receipt.unofficial_years)),
        (t("receipt.received"), "、".join(receipt.received) or t("receipt.nothing")),
        (t("receipt.missing"), "、".join(receipt.missing) or t("receipt.nothing")),
        (t("receipt.cadre"), f"{receipt.cadre_name} {receipt.cadre_phone}"),
    ]
    for label, value in rows:
        text.append(label, style="bold")
        text.append(shown(value))
        text.append("\n")
    return text


class ReceiptScreen(Dialog[None]):
    CSS_PATH = "receipt.tcss"
    BINDINGS = [
        Binding("escape,enter", "cancel", t("key.close"), id="receipt.close"),
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
        run_db(self, errand_receipt, self.errand_id, then=self._show)

    def _show(self, receipt: Receipt) -> None:
        self.query_one("#receipt-body", Static).update(receipt_text(receipt))
