"""The reconnecting state: a band across the top of whatever screen is open while
the link to the township's server is down, the form below it as it was, to be
typed on. It takes the title line's place: laid over the title (or any widget) it
would have its Chinese characters that straddle the widgets' edges cut in half."""
from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.screen import Screen
from textual.widgets import Header, Static

from models.core.i18n import t


class LinkBanner(Static):
    DEFAULT_CSS = """
    LinkBanner {
        dock: top; width: 100%; height: auto; padding: 0 1;
        background: $error; color: $text;
    }
    """


def _text(state: str) -> Text:
    text = Text(state, style="bold")
    text.append("\n" + t("link.keep_typing"), style="not bold")
    return text


def show_link_banner(screen: Screen, state: str) -> None:
    """On this screen, saying `state`: mounted if not there yet."""
    banners = screen.query(LinkBanner)
    if banners:
        banners.first().update(_text(state))
    else:
        screen.query(Header).set(display=False)
        screen.mount(LinkBanner(_text(state)))


def update_link_banners(app: App, state: str) -> None:
    for screen in app.screen_stack:
        for banner in screen.query(LinkBanner):
            banner.update(_text(state))


def remove_link_banners(app: App) -> None:
    for screen in app.screen_stack:
        screen.query(LinkBanner).remove()
        screen.query(Header).set(display=True)
