"""Free text as the desk stores and shows it: inert and trimmed.

Whatever a cadre types or pastes, or an older version or another tool wrote, is
data: no terminal control sequence (ESC ] 52 writes the viewer's clipboard,
ESC ] 0 retitles the window), no invisible bidi override or zero-width character,
no NUL or lone surrogate (PostgreSQL and UTF-8 refuse them). Text columns clean
what they store (`TextColumn`, `NotesColumn`); screens show stored text through
`inert()` too, so rows written before this rule are safe as well.
"""
from __future__ import annotations

import unicodedata

from peewee import SQL, CharField, NodeList, TextField, Value

# Control, format (zero-width, bidi override), surrogate and line/paragraph
# separator characters: invisible, and they break search and display.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"})
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n",
                              "\x85": "\n", "\t": " "})


def _kept(char: str, multiline: bool) -> bool:
    if char == "\n":
        return multiline
    return unicodedata.category(char) not in FORBIDDEN_CATEGORIES


def inert(value: object, multiline: bool = False) -> str:
    """`value` as plain text: controls and invisible formatting removed, line breaks
    kept only where the field is multi-line (else they become spaces), trimmed."""
    text = "" if value is None else str(value)
    if text.isprintable():  # no control, format or separator character at all:
        return text.strip()  # the common case, without a per-character look
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    if not multiline:
        text = text.replace("\n", " ")
    return "".join(c for c in text if _kept(c, multiline)).strip()


def inert_data(value):
    """JSON-shaped data (event details, material lists) with every string inert."""
    if isinstance(value, str):
        return inert(value, multiline=True)
    if isinstance(value, list):
        return [inert_data(v) for v in value]
    if isinstance(value, dict):
        return {inert(k): inert_data(v) for k, v in value.items()}
    return value


class TextColumn(CharField):
    """A one-line text column: names, addresses, places, reasons."""

    def db_value(self, value):
        return super().db_value(None if value is None else inert(value))


class NotesColumn(TextField):
    """A multi-line text column: notes, handover notes."""

    def db_value(self, value):
        return super().db_value(None if value is None else inert(value, multiline=True))


def contains(column, text: str):
    """`column` contains `text`, literally (no wildcards from the user, and no
    field converter: a JSON column would quote the pattern); ILIKE on PostgreSQL,
    LIKE (case-blind for Latin letters) on SQLite."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column ** NodeList((Value(f"%{escaped}%", converter=False), SQL("ESCAPE"),
                               Value("\\", converter=False)))
