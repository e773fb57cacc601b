"""The service catalogue (station head): items with their materials and originals,
time limit, default and allowed ways of handling, in person or not; retire an item
(its errands stay) or take it back."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    DataTable,
    Label,
    RadioButton,
    RadioSet,
    Static,
)

from models.core.i18n import t
from models.errands.catalogue import ways_text
from models.errands.catalogue_admin import (
    ItemForm,
    add_item,
    catalogue_of,
    form_of,
    materials_line,
    set_item_active,
    update_item,
)
from models.errands.entities import MODES, ServiceItem

from .dbwork import run_db
from .session import session_of
from .table_import import ImportScreen
from .widgets.fields import Field, FieldForm
from .widgets.form_dialog import FormDialog
from .widgets.item_picker import time_limit
from .widgets.shown import tell
from .widgets.table_screen import TableScreen
from .widgets.toggles import Radio, Tick, pressed_value

TEXT_FIELDS = {"category": 30, "name": 60, "time_limit_days": 3, "materials": 600}


class ItemFormScreen(FormDialog):
    CSS_PATH = "catalogue.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("item_form.edit" if self.row else "item_form.new")
            yield FieldForm([Field(name, t(f"item.{name}"), placeholder=t(f"item_form.hint.{name}"),
                                   max_length=length) for name, length in TEXT_FIELDS.items()])
            yield Label(t("item.allowed_modes"))
            with Horizontal(id="allowed_modes"):
                for mode in MODES:
                    yield Tick(t(f"mode.{mode}"), True, id=f"way-{mode}")
            yield Label(t("item.default_mode"))
            with RadioSet(id="default_mode"):
                for mode in MODES:
                    yield Radio(t(f"mode.{mode}"), value=mode == "carried", id=f"default-{mode}")
            yield Tick(t("item.in_person"), id="in_person")
            yield Static(t("admin.form_keys"), classes="hint")

    def fill(self, item: ServiceItem) -> None:
        form = form_of(item)
        self.query_one(FieldForm).set_values({name: getattr(form, name) for name in TEXT_FIELDS})
        for mode in MODES:
            self.query_one(f"#way-{mode}", Tick).value = mode in form.allowed_modes
        self.query_one(f"#default-{form.default_mode}", RadioButton).value = True
        self.query_one("#in_person", Tick).value = form.in_person

    def action_confirm(self) -> None:
        form = ItemForm(**self.query_one(FieldForm).values(),
                        default_mode=pressed_value(self.query_one(RadioSet), "default-"),
                        allowed_modes=[mode for mode in MODES
                                       if self.query_one(f"#way-{mode}", Tick).value],
                        in_person=self.query_one("#in_person", Tick).value)
        if self.row is None:
            self.save(add_item, form, session_of(self))
        else:
            self.save(update_item, self.row.id, self.row.version, form, session_of(self))


class CatalogueScreen(TableScreen):
    CSS_PATH = "catalogue.tcss"
    TITLE_KEY = "catalogue.title"
    COLUMNS = ("item.category", "item.name", "catalogue.col.limit", "catalogue.col.ways",
               "catalogue.col.state")
    BINDINGS = [
        Binding("f2", "add", t("key.add_item"), id="catalogue.add"),
        Binding("enter", "edit", t("key.edit"), priority=True, id="catalogue.edit"),
        Binding("x", "toggle_active", t("key.retire"), id="catalogue.retire"),
        Binding("i", "import_catalogue", t("key.import_catalogue"), id="catalogue.import"),
    ]

    def load(self) -> tuple:
        return catalogue_of, session_of(self).station_id

    def cells(self, item: ServiceItem) -> list:
        style = "" if item.active else "dim"
        return [Text(item.category, style=style), Text(item.name, style=style),
                time_limit(item), Text(ways_text(item)),
                t("catalogue.active" if item.active else "catalogue.retired")]

    def describe(self, item: ServiceItem) -> Text:
        text = Text()
        text.append(t("catalogue.default_mode"), style="bold")
        text.append(t(f"mode.{item.default_mode}"))
        if item.in_person:
            text.append("  " + t("catalogue.in_person"), style="bold")
        text.append("\n" + t("catalogue.materials"), style="bold")
        text.append(materials_line(item) or t("receipt.nothing"))
        text.append("\n" + t("catalogue.materials_hint"), style="dim")
        return text

    def action_add(self) -> None:
        self.app.push_screen(ItemFormScreen())

    @on(DataTable.RowSelected, "#rows")
    def action_edit(self) -> None:
        item = self.current()
        if item is not None:
            self.app.push_screen(ItemFormScreen(item))

    def action_import_catalogue(self) -> None:
        self.app.push_screen(ImportScreen("catalogue"))

    def action_toggle_active(self) -> None:
        item = self.current()
        if item is not None:
            run_db(self, set_item_active, item.id, item.version, not item.active,
                   session_of(self), then=self._toggled, group="save")

    def _toggled(self, item: ServiceItem) -> None:
        self.reload()
        tell(self, t("catalogue.activated" if item.active else "catalogue.retired_now",
                          name=item.name))
