"""Villager groups (station head): add, rename, renumber — a number is the
station's once."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from models.core.i18n import t
from models.station.groups import (
    GroupForm,
    GroupRow,
    add_group,
    group_rows,
    update_group,
)

from .session import session_of
from .widgets.fields import Field, FieldForm
from .widgets.form_dialog import FormDialog
from .widgets.table_screen import TableScreen


class GroupFormScreen(FormDialog):
    CSS_PATH = "groups.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("group_form.edit" if self.row else "group_form.new")
            yield FieldForm([Field("number", t("group.number"), max_length=3),
                             Field("name", t("group.name"), placeholder=t("group.name_hint"),
                                   max_length=40)])
            yield Static(t("resident_form.keys"), classes="hint")

    def fill(self, group) -> None:
        self.query_one(FieldForm).set_values({"number": str(group.number), "name": group.name})

    def action_confirm(self) -> None:
        form = GroupForm(**self.query_one(FieldForm).values())
        if self.row is None:
            self.save(add_group, form, session_of(self))
        else:
            self.save(update_group, self.row.id, self.row.version, form, session_of(self))


class GroupsScreen(TableScreen):
    CSS_PATH = "groups.tcss"
    TITLE_KEY = "groups.title"
    COLUMNS = ("group.number", "group.name", "groups.col.households", "groups.col.covered_by")
    BINDINGS = [
        Binding("f2", "add", t("key.add_group"), id="groups.add"),
        Binding("enter", "edit", t("key.edit"), priority=True, id="groups.edit"),
    ]

    def load(self) -> tuple:
        return group_rows, session_of(self).station_id

    def cells(self, row: GroupRow) -> list:
        return [str(row.group.number), Text(row.group.name), str(row.households),
                Text("、".join(row.covered_by))]

    def key(self, row: GroupRow) -> int:
        return row.group.id

    def describe(self, row: GroupRow) -> Text:
        return Text(t("groups.hint"), style="dim")

    def action_add(self) -> None:
        self.app.push_screen(GroupFormScreen())

    @on(DataTable.RowSelected, "#rows")
    def action_edit(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(GroupFormScreen(row.group))
