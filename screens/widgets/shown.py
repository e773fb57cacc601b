"""Stored text on the screen: the one way data reaches the terminal.

Whatever a row holds — a name, a note, a material, an event's detail, a message
worded around them — is shown through `shown()`: plain text (never markup, so
`[/bar]` is four characters, not a crash) with every control character dropped
(ESC ] 52 would write the viewer's clipboard, ESC ] 0 retitle the window, one
unterminated sequence blank the rest of a panel). Rows saved by an older version
or another tool are cleaned here too, not only what the text columns store now.

Textual reads a `str` as markup in a Static, Label, DataTable cell, Option,
toggle label or border title, and writes an Input's value as it is: give them
`shown(...)`, or `shown(...).plain` where only a str is taken. Notifications go
through `tell()`.
"""
from __future__ import annotations

from rich.text import Text
from textual.dom import DOMNode

from models.core.text import inert


def shown(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """`value` (None shows as nothing) as inert text in `style`; line breaks kept
    only where the place shows several lines."""
    return Text(inert(value, multiline=multiline), style=style)


def tell(node: DOMNode, message: str, severity: str = "information",
         timeout: float | None = None) -> None:
    """A notification, which may carry data (a name, what a cadre typed)."""
    node.app.notify(shown(message, multiline=True).plain, severity=severity,
                    timeout=timeout, markup=False)
