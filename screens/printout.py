"""Printable pages handed to the cadre, from every screen that prints.

In a terminal (SSH) the page is written among the desk's printouts and its path is
said: the machine's browser opens it to print. In a browser (`kiosk serve`) a path
on the server is no use to the cadre: the page goes to their browser instead, which
textual-serve opens in a new tab, ready to print.
"""
from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

from textual.dom import DOMNode

from models.core.i18n import t
from models.errands.printing import Printout, write_printout

from .dbwork import run_db
from .widgets.shown import tell

SHOWN_FOR = 30  # seconds: long enough to read a path off the screen


def print_page(node: DOMNode, make: Callable[..., Printout], *args) -> None:
    """Make the page (`make(*args)`, on a worker) and hand it to the cadre."""
    if node.app.is_web:
        run_db(node, make, *args, then=lambda page: open_in_browser(node, page),
               group="print")
    else:
        def written(*made_of) -> Path:
            return write_printout(make(*made_of))
        run_db(node, written, *args, then=lambda path: told_written(node, path),
               group="print")


def open_in_browser(node: DOMNode, page: Printout) -> None:
    node.app.deliver_text(StringIO(page.html), save_filename=page.file_name,
                          open_method="browser", encoding="utf-8", mime_type="text/html")
    tell(node, t("print.opened"), timeout=SHOWN_FOR)


def told_written(node: DOMNode, path: Path) -> None:
    tell(node, t("print.written", path=str(path)), timeout=SHOWN_FOR)
