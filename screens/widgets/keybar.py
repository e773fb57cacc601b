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
    shown = ""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1; width: 100%;
        background: $footer-background; color: $footer-foreground;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.show_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self.show_keys()

    def show_keys(self) -> None:
        line = Text()
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            line.append(f" {self.app.get_key_display(binding)} ", style="bold")
            line.append(f"{binding.description} ", style="dim" if not active.enabled else "")
        if line.plain != self.shown:  # focus moves often; the keys seldom change
            self.shown = line.plain
            self.update(line)
