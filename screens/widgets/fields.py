"""A column of labelled text fields with one problem line: the body of every form.

Enter moves to the next field and, from the last, asks the screen to save: the
screen binds Enter and calls `next_or_save`. The fields are `FieldInput`s, so keys
typed ahead over a slow link land in the field they were meant for.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, TextArea

from ..dbwork import problem_text
from .shown import shown


class KeysInOrder:
    """For a text widget: takes a burst of keys (a slow link delivers several in one
    write) in the order they were typed. Every text field of the desk has it.

    Textual hands each key to the widget focused when it arrives, but resolves a key
    the widget does not type (Backspace, Enter, Tab) only once it has bubbled back
    up to the app: by then the widget has typed the keys queued behind it, and focus
    may have moved on, so a Backspace lands late or in the next field. This widget
    resolves such keys itself, in its own order, and hands a key that reaches it
    after focus moved on to the widget now focused. A key that reaches it while the
    app holds keys (a key before it is still being dealt with) goes back to wait.
    """

    def types(self, event: events.Key) -> bool:
        """Whether the widget takes this key as text itself."""
        return event.is_printable

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if getattr(self.app, "holding_keys", False):
            # the desk is not ready for it (screens/keyhold.py): it waits in order
            event.stop()
            event.prevent_default()
            self.app.hand_back(event)
        elif focused is not self:
            event.stop()
            event.prevent_default()
            (focused or self.app.screen)._forward_event(events.Key(event.key, event.character))
        elif self.types(event):
            await super()._on_key(event)
        else:
            event.stop()
            event.prevent_default()
            await self.app._check_bindings(event.key)


class TypedInput(KeysInOrder, Input):
    """The desk's one-line text field."""


class TypedTextArea(KeysInOrder, TextArea):
    """The desk's text box of several lines: Enter starts a new line."""

    def types(self, event: events.Key) -> bool:
        return event.is_printable or event.key == "enter"


class FieldInput(TypedInput, inherit_bindings=False):
    """A field of a form: Enter is left to the screen's binding (next field, or
    save), which then runs in the field's order too."""

    BINDINGS = [binding for binding in Input.BINDINGS if binding.key != "enter"]


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    max_length: int = 60
    password: bool = False  # shown as dots: a PIN


class FieldForm(Vertical):
    DEFAULT_CSS = """
    FieldForm { height: auto; }
    FieldForm Grid { grid-size: 2; grid-columns: 14 1fr; grid-rows: 3; height: auto; }
    FieldForm Grid Label { padding-top: 1; }
    FieldForm .problem { color: $error; height: auto; width: 100%; }
    """

    def __init__(self, fields: list[Field], *, aliases: dict[str, str] | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.fields = fields
        self.aliases = aliases or {}  # a model's field name -> the form's

    def compose(self) -> ComposeResult:
        with Grid():
            for field in self.fields:
                yield Label(field.label)
                # select_on_focus off: after an error the cursor lands at the end,
                # so fixing one character does not wipe the field.
                yield FieldInput(shown(field.value).plain, id=f"field-{field.name}",
                            select_on_focus=False,
                            max_length=field.max_length, placeholder=field.placeholder,
                            password=field.password)
        yield Label("", classes="problem")

    def field(self, name: str) -> Input:
        return self.query_one(f"#field-{name}", Input)

    def values(self) -> dict[str, str]:
        return {f.name: self.field(f.name).value for f in self.fields}

    def set_values(self, values: dict[str, str]) -> None:
        """The values of this form's fields; others (a field hidden from this
        cadre) are left out."""
        names = {f.name for f in self.fields}
        for name, value in values.items():
            if name in names:
                self.field(name).value = shown(value).plain

    def next_or_save(self, save: Callable[[], None]) -> None:
        focused = self.screen.focused
        if focused is not None and focused.id == f"field-{self.fields[-1].name}":
            save()
        else:
            self.screen.focus_next()

    def show_problem(self, exc: Exception) -> None:
        """Say what is wrong and put the cursor in the field it is about."""
        self.query_one(".problem", Label).update(shown(problem_text(exc)))
        name = getattr(exc, "field", None)
        name = self.aliases.get(name, name)
        if any(f.name == name for f in self.fields):
            self.field(name).focus()
