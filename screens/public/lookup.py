"""查询我的代办: the receipt number (digits only; shown large as it is typed), then
the last four digits of the phone registered with the errand, and the answer —
that errand's item, status in plain words, due date, what the station holds and
what to bring — or the one neutral "not found"."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Input, Static

from models.core.i18n import moment, t
from models.errands.public_lookup import (
    DIGITS,
    NUMBER_DIGITS,
    LookupAnswer,
    PublicErrand,
    look_up,
    receipt_number,
)

from ..dbwork import run_db
from ..widgets.fields import FieldInput
from ..widgets.shown import shown
from .base import PublicScreen


class DigitField(FieldInput):
    """A field that takes digits only. Enter is the screen's: it moves on (or looks
    up) at once, so digits typed right after it land in the next field."""

    def __init__(self, length: int, *, password: bool = False, id: str) -> None:
        super().__init__(restrict=r"[0-9]*", max_length=length, password=password, id=id,
                         select_on_focus=False)


class LookupScreen(PublicScreen):
    CSS_PATH = "lookup.tcss"
    TITLE_KEY = "public.lookup.title"
    KEYS_KEY = "public.keys.lookup"
    BINDINGS = [Binding("enter", "next", show=False, id="public.lookup.next")]

    def body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="entry"):
                yield Static(t("public.lookup.number"))
                yield DigitField(NUMBER_DIGITS, id="number")
                yield Digits("", id="number-big")
                yield Static(t("public.lookup.phone"))
                yield DigitField(DIGITS, password=True, id="phone")
                yield Static(t("public.lookup.hint"), classes="hint")
            yield Static(id="answer", classes="answer")

    def on_mount(self) -> None:
        self.query_one("#answer").display = False
        self.query_one("#number").focus()

    @on(Input.Changed, "#number")
    def _number_typed(self, event: Input.Changed) -> None:
        self.query_one("#number-big", Digits).update(receipt_number(event.value)
                                                     or event.value)

    def action_next(self) -> None:
        number, phone = self.query_one("#number", Input), self.query_one("#phone", Input)
        if self.focused is number:
            if number.value:
                self.set_focus(phone)
        elif not number.value:
            self.set_focus(number)
        else:
            run_db(self, look_up, number.value, phone.value, self.actor, self.app.limiter,
                   then=self._answer, group="lookup")

    def _answer(self, answer: LookupAnswer) -> None:
        for field in self.query(DigitField):
            field.value = ""  # the next villager starts afresh; the digits typed are gone
        self.query_one("#number").focus()
        if answer.paused:
            text = Text(t("public.paused", minutes=(answer.paused + 59) // 60),
                        style="bold")
        elif answer.errand is None:
            text = Text(t("public.not_found"), style="bold")
        else:
            text = errand_text(answer.errand)
        box = self.query_one("#answer", Static)
        box.update(text)
        box.display = True


def errand_text(errand: PublicErrand) -> Text:
    """The errand as the villager reads it: a label, then the value, line by line."""
    nothing = t("public.found.nothing")
    lines = [("number", errand.number), ("item", errand.item),
             ("status", t("public.found.status_words", explained=errand.explained,
                          status=errand.status)),
             ("due", moment(errand.due_date)),
             ("held", "、".join(errand.held) or nothing)]
    if not errand.closed:
        lines.append(("to_bring", "、".join(errand.to_bring) or nothing))
    text = Text()
    for index, (label, value) in enumerate(lines):
        if index:
            text.append("\n")
        text.append(t(f"public.found.{label}") + "\n", style="bold")
        text.append_text(shown(value))
    return text
