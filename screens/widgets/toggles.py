"""Toggles whose state shows by shape, not only by colour: on a monochrome terminal
(or a captured screen) Textual's own draw the same mark either way."""
from textual.widgets import Checkbox, RadioButton


class Radio(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual's class attribute name)
        return "●" if self.value else " "


class Tick(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802
        return "✔" if self.value else " "
