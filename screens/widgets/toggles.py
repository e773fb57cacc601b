"""Toggles whose state shows by shape, not only by colour: on a monochrome terminal
(or a captured screen) Textual's own draw the same mark either way."""
from textual.widgets import Checkbox, RadioButton, RadioSet


class Radio(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual's class attribute name)
        return "●" if self.value else " "


class Tick(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802
        return "✔" if self.value else " "


def pressed_value(radios: RadioSet, prefix: str) -> str:
    """What the pressed button of `radios` stands for: its id without `prefix`
    ("" when none is pressed)."""
    pressed = radios.pressed_button
    return pressed.id.removeprefix(prefix) if pressed is not None and pressed.id else ""
