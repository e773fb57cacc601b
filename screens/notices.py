"""政策与村务公开 (station head): the policies and the village meeting's decisions
the hall's public screen shows — add, change, withdraw from the hall or put back.
One screen serves both lists (**v** goes to the other)."""
from __future__ import annotations

from dataclasses import asdict

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label, RadioButton, RadioSet, Static

from models.core.i18n import moment, t
from models.public.board import (
    PolicyForm,
    PublicationForm,
    add_notice,
    notices_of,
    policy_form,
    publication_form,
    set_notice_active,
    update_notice,
)
from models.village.entities import Tag

from .dbwork import run_db
from .session import session_of
from .widgets.fields import Field, FieldForm
from .widgets.form_dialog import FormDialog
from .widgets.shown import shown, tell
from .widgets.table_screen import TableScreen
from .widgets.toggles import Radio, pressed_value

# the text fields of each kind's form, with their longest
FIELDS = {"policy": {"title": 60, "qualifies": 300, "bring": 300, "apply_at": 60,
                     "amount": 80},
          "publication": {"title": 60, "decided_on": 10, "decision": 1000, "result": 1000}}
HINTS = {"publication": {"decided_on": "publication_form.hint.decided_on",
                         "result": "publication_form.hint.result"}}
OTHER = {"policy": "publication", "publication": "policy"}
# what the lines under the table say of the row under the cursor
DETAIL = {"policy": ("qualifies", "amount", "bring", "apply_at"),
          "publication": ("decision", "result")}


def tag_word(tag: str) -> str:
    return t(f"tag.{tag}") if tag else t("notices.everyone")


class NoticeFormScreen(FormDialog):
    CSS_PATH = "notices.tcss"

    def __init__(self, entity: str, row=None) -> None:
        super().__init__(row)
        self.entity = entity

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t(f"{self.entity}_form.{'edit' if self.row else 'new'}")
            hints = HINTS.get(self.entity, {})
            yield FieldForm([Field(name, t(f"{self.entity}.{name}"), max_length=length,
                                   placeholder=t(hints[name]) if name in hints else "")
                             for name, length in FIELDS[self.entity].items()])
            if self.entity == "policy":
                yield Label(t("policy.tag"))
                with RadioSet(id="tag"):
                    yield Radio(t("notices.everyone"), value=True, id="tag-")
                    for tag in Tag:
                        yield Radio(tag_word(tag), id=f"tag-{tag}")
            yield Static(t("admin.form_keys"), classes="hint")

    def fill(self, row) -> None:
        form = policy_form(row) if self.entity == "policy" else publication_form(row)
        self.query_one(FieldForm).set_values(asdict(form))
        if self.entity == "policy":
            self.query_one(f"#tag-{row.tag}", RadioButton).value = True

    def action_confirm(self) -> None:
        values = self.query_one(FieldForm).values()
        if self.entity == "policy":
            form = PolicyForm(**values, tag=pressed_value(self.query_one(RadioSet), "tag-"))
        else:
            form = PublicationForm(**values)
        if self.row is None:
            self.save(add_notice, form, session_of(self))
        else:
            self.save(update_notice, self.row.id, self.row.version, form, session_of(self))


class NoticesScreen(TableScreen):
    CSS_PATH = "notices.tcss"
    BINDINGS = [
        Binding("f2", "add", t("key.add_notice"), id="notices.add"),
        Binding("enter", "edit", t("key.edit"), priority=True, id="notices.edit"),
        Binding("x", "toggle_active", t("key.withdraw"), id="notices.withdraw"),
        Binding("v", "other", t("key.other_notices"), id="notices.other"),
    ]

    def __init__(self, entity: str = "policy") -> None:
        super().__init__()
        self.entity = entity
        self.TITLE_KEY = f"notices.{entity}.title"
        self.COLUMNS = (("notices.col.title", "notices.col.tag", "notices.col.state")
                        if entity == "policy" else
                        ("notices.col.decided_on", "notices.col.title", "notices.col.state"))

    def load(self) -> tuple:
        return notices_of, self.entity, session_of(self).station_id

    def cells(self, row) -> list:
        style = "" if row.active else "dim"
        state = Text(t("notices.shown" if row.active else "notices.withdrawn"), style=style)
        if self.entity == "policy":
            return [shown(row.title, style), Text(tag_word(row.tag), style=style), state]
        return [Text(f"{row.decided_on:%Y-%m-%d}", style=style), shown(row.title, style),
                state]

    def describe(self, row) -> Text:
        text = Text()
        if self.entity == "publication":
            text.append(t("publication.decided_on") + "：", style="bold")
            text.append(moment(row.decided_on) + "\n")
        for index, name in enumerate(DETAIL[self.entity]):
            if index:
                text.append("\n")
            text.append(t(f"{self.entity}.{name}") + "：", style="bold")
            text.append_text(shown(getattr(row, name)))
        return text

    def action_add(self) -> None:
        self.app.push_screen(NoticeFormScreen(self.entity))

    @on(DataTable.RowSelected, "#rows")
    def action_edit(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(NoticeFormScreen(self.entity, row))

    def action_toggle_active(self) -> None:
        row = self.current()
        if row is not None:
            run_db(self, set_notice_active, self.entity, row.id, row.version, not row.active,
                   session_of(self), then=self._toggled, group="save")

    def _toggled(self, row) -> None:
        self.reload()
        tell(self, t("notices.shown_now" if row.active else "notices.withdrawn_now",
                     title=row.title))

    def action_other(self) -> None:
        self.app.switch_screen(NoticesScreen(OTHER[self.entity]))
