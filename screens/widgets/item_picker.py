"""Pick a service catalogue item by typing its name or pinyin initials (ylbx)."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from models.core.i18n import t
from models.errands.catalogue import active_items, filter_items
from models.errands.entities import ServiceItem

from ..dbwork import run_db
from ..session import session_of
from .fields import TypedInput
from .shown import shown


def time_limit(item: ServiceItem) -> str:
    if item.time_limit_days == 0:
        return t("intake.same_day")
    return t("intake.days", days=item.time_limit_days)


class ItemPicker(Vertical):
    """The station's active items, filtered as the cadre types; Enter chooses."""

    DEFAULT_CSS = """
    ItemPicker { height: 1fr; }
    ItemPicker OptionList { height: 1fr; border: none; text-wrap: nowrap;
        text-overflow: ellipsis; }
    """

    class Chosen(Message):
        def __init__(self, item: ServiceItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self) -> None:
        super().__init__()
        self.items: list[ServiceItem] | None = None  # None: still being read

    def compose(self) -> ComposeResult:
        yield TypedInput(placeholder=t("intake.item.placeholder"), id="item-query")
        yield OptionList(id="item-results")

    def on_mount(self) -> None:
        self._read_items(self._loaded)

    def _read_items(self, then, hold_keys: bool = False) -> None:
        run_db(self, active_items, session_of(self).station_id, then=then,
               group="items", hold_keys=hold_keys)

    def _loaded(self, items: list[ServiceItem]) -> None:
        self.items = items
        self._show(filter_items(items, self.query_one(Input).value))

    def _show(self, items: list[ServiceItem]) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        for item in items:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(shown(item.name))
            line.append(f"  {t('mode.' + item.default_mode)} · {time_limit(item)}",
                        style="dim")
            results.add_option(Option(line, id=str(item.id)))
        if items:
            results.highlighted = 0

    def focus_query(self) -> None:
        self.query_one(Input).focus()

    def clear(self) -> None:
        self.query_one(Input).value = ""

    @on(Input.Changed, "#item-query")
    def _query(self, event: Input.Changed) -> None:
        event.stop()
        if self.items is not None:
            self._show(filter_items(self.items, event.value))

    @on(Input.Submitted, "#item-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.items is None:  # typed before the list was read: chosen once it is
            self._read_items(self._loaded_and_chosen, hold_keys=True)
            return
        self._choose_highlighted()

    def _loaded_and_chosen(self, items: list[ServiceItem]) -> None:
        self._loaded(items)
        self._choose_highlighted()

    def _choose_highlighted(self) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is not None:
            self._choose(results.get_option_at_index(results.highlighted).id)

    @on(OptionList.OptionSelected, "#item-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        item = next((i for i in self.items or [] if str(i.id) == option_id), None)
        if item is not None:
            self.post_message(self.Chosen(item))
