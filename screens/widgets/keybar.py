"""The key line at the bottom of every screen.

Textual's Footer builds one widget per key and rebuilds them all whenever focus
moves; on the village machine that was most of the time it took to open the
queue (~250 ms of ~440). One line of text shows the same keys for the cost of a
label, and sends less over a slow link.
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    """The keys of the screen, one line, or as many as a narrow terminal needs: a
    key and what it does are never split, and none is cut off."""
    shown = ""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: auto; width: 100%;
        background: $footer-background; color: $footer-foreground;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[Text] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.show_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._lay_out()

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self.show_keys()

    def show_keys(self) -> None:
        self.keys = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = Text(f" {self.app.get_key_display(binding)} ", style="bold")
            key.append(f"{binding.description} ", style="dim" if not active.enabled else "")
            self.keys.append(key)
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.size.width or self.app.size.width
        lines = [Text()]
        for key in self.keys:
            if lines[-1].cell_len and lines[-1].cell_len + key.cell_len > width:
                lines.append(Text())
            lines[-1].append_text(key)
        text = Text("\n").join(lines)
        if text.plain != self.shown:  # focus moves often; the keys seldom change
            self.shown = text.plain
            self.update(text)
