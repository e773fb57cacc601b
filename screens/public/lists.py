"""The hall's three lists, each a column of titles (↑↓ to move, PgUp/PgDn to read
on) beside the whole of the one under the cursor: the station's policies
(惠农政策, found by typing pinyin initials), the decisions made public (村务公开)
and the service catalogue as a guide (办事指南)."""
from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static

from models.core.i18n import moment, t
from models.errands.catalogue import active_items
from models.errands.entities import ServiceItem
from models.public.board import public_policies, public_publications
from models.public.entities import Policy, Publication

from ..dbwork import run_db
from ..widgets.shown import shown
from .base import PublicScreen

SEARCH_LENGTH = 20


def labelled(lines: list[tuple[str, str]]) -> Text:
    """Label, then the value (data, shown inert) on its own lines, a blank line
    between: the detail of a row, spaced to be read standing."""
    text = Text()
    for index, (label, value) in enumerate(lines):
        if index:
            text.append("\n\n")
        text.append(label + "\n", style="bold")
        text.append_text(shown(value, multiline=True))
    return text


class ListScreen(PublicScreen):
    """A subclass says where its rows come from (`load`), a row's line in the
    list (`label`) and its whole (`describe`)."""

    CSS_PATH = "lists.tcss"
    NONE_KEY = ""
    BINDINGS = [
        Binding("pagedown", "read('down')", show=False, priority=True),
        Binding("pageup", "read('up')", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []

    def body(self) -> ComposeResult:
        yield from self.above()
        with Horizontal():
            yield OptionList(id="titles")
            with VerticalScroll(id="detail-box", can_focus=False):
                yield Static(id="detail")

    def above(self) -> ComposeResult:
        """What goes above the list (the policies' search line)."""
        return iter(())

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    def load(self) -> tuple:
        raise NotImplementedError

    def label(self, row) -> Text:
        raise NotImplementedError

    def describe(self, row) -> Text:
        raise NotImplementedError

    def reload(self) -> None:
        fn, *args = self.load()
        run_db(self, fn, *args, then=self._show, group="rows")

    def _show(self, rows: list) -> None:
        self.rows = rows
        titles = self.query_one(OptionList)
        titles.clear_options()
        titles.add_options([self.label(row) for row in rows])
        if rows:
            titles.highlighted = 0
        else:
            self.query_one("#detail", Static).update(Text(t(self.NONE_KEY), style="bold"))

    @on(OptionList.OptionHighlighted, "#titles")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if 0 <= event.option_index < len(self.rows):
            self.query_one("#detail", Static).update(self.describe(self.rows[event.option_index]))
            self.query_one("#detail-box").scroll_home(animate=False)

    def action_read(self, direction: str) -> None:
        box = self.query_one("#detail-box")
        (box.scroll_page_down if direction == "down" else box.scroll_page_up)(animate=False)


class PoliciesScreen(ListScreen):
    TITLE_KEY = "public.policies.title"
    NONE_KEY = "public.policies.none"

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""

    def above(self) -> ComposeResult:
        yield Static(t("public.policies.search", query=""), id="search")

    def load(self) -> tuple:
        return public_policies, self.actor.station_id, self.query_text

    def label(self, policy: Policy) -> Text:
        return shown(policy.title)

    def describe(self, policy: Policy) -> Text:
        text = shown(policy.title, "bold")
        text.append("\n\n")
        text.append_text(labelled([(t(f"public.policy.{name}"), getattr(policy, name))
                                   for name in ("qualifies", "amount", "bring", "apply_at")
                                   if getattr(policy, name)]))
        return text

    def on_key(self, event: events.Key) -> None:
        """Letters (and digits) search, Backspace takes the last one back."""
        typed = event.character or ""
        if event.key == "backspace":
            self.query_text = self.query_text[:-1]
        elif len(typed) == 1 and typed.isascii() and typed.isalnum():
            self.query_text = (self.query_text + typed.lower())[:SEARCH_LENGTH]
        else:
            return
        event.stop()
        self.query_one("#search", Static).update(
            t("public.policies.search", query=self.query_text))
        self.reload()


class PublicationsScreen(ListScreen):
    TITLE_KEY = "public.publications.title"
    NONE_KEY = "public.publications.none"

    def load(self) -> tuple:
        return public_publications, self.actor.station_id

    def label(self, publication: Publication) -> Text:
        text = Text(f"{publication.decided_on:%Y-%m-%d}  ")
        text.append_text(shown(publication.title))
        return text

    def describe(self, publication: Publication) -> Text:
        text = shown(publication.title, "bold")
        text.append("\n\n")
        text.append_text(labelled([
            (t("public.publication.decided_on"), moment(publication.decided_on)),
            (t("public.publication.decision"), publication.decision),
            (t("public.publication.result"),
             publication.result or t("public.publication.no_result"))]))
        return text


class GuideScreen(ListScreen):
    TITLE_KEY = "public.guide.title"
    NONE_KEY = "public.guide.none"

    def load(self) -> tuple:
        return active_items, self.actor.station_id

    def label(self, item: ServiceItem) -> Text:
        return shown(item.name)

    def describe(self, item: ServiceItem) -> Text:
        materials = "\n".join(name + (t("public.guide.original") if name in item.originals
                                      else "") for name in item.materials)
        limit = (t("public.guide.days", days=item.time_limit_days) if item.time_limit_days
                 else t("public.guide.same_day"))
        text = shown(item.name, "bold")
        if item.in_person:
            text.append("  " + t("public.guide.in_person"), style="bold")
        text.append("\n\n")
        text.append_text(labelled([(t("public.guide.materials"),
                                    materials or t("public.found.nothing")),
                                   (t("public.guide.limit"), limit)]))
        return text
