"""One dispute: its facts and parties, the mediation sessions, what was reported to
the township, and its whole history; keys to mediate, move it on and edit it."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from models.core.i18n import moment, t
from models.village.dispute_lists import DisputeDetail, dispute_detail
from models.village.disputes import OPEN, DisputeMove, move_asks, move_dispute
from models.village.entities import DisputeStatus, Risk

from .dbwork import run_db
from .dispute_forms import (
    DisputeFormScreen,
    DisputeMoveDialog,
    EscalationResultDialog,
    SessionDialog,
)
from .event_words import history_text
from .session import RoleKeys, changes_data, session_of, station_read
from .widgets.dialogs import ChoiceScreen
from .widgets.keybar import KeyBar
from .widgets.shown import shown, tell

STAND_OUT = "bold red"


def _lines(text: Text, rows: list[tuple[str, object]]) -> None:
    """`label：value` lines of stored text, the empty ones left out."""
    for label, value in rows:
        value = shown(value, multiline=True) if not isinstance(value, Text) else value
        if value:
            text.append(f"{label}：", style="bold")
            text.append(value)
            text.append("\n")


def facts_text(detail: DisputeDetail, today: dt.date) -> Text:
    dispute = detail.dispute
    text = shown(dispute.number, "bold")
    text.append("  ")
    text.append(t(f"dispute.status.{dispute.status}"), style="bold reverse")
    if dispute.risk == Risk.HIGH:
        text.append("  " + t("dispute.high_risk"), style=STAND_OUT)
    text.append("\n")
    review = Text(dispute.review_due.isoformat())
    if dispute.status in OPEN and dispute.review_due < today:
        review.append("  " + t("dispute.overdue_days", days=(today - dispute.review_due).days),
                      style=STAND_OUT)
    visit = detail.visit
    _lines(text, [
        (t("dispute.title_label"), dispute.title),
        (t("dispute.parties"), "、".join(detail.parties)),
        (t("dispute.kind_label"), t(f"dispute.kind.{dispute.kind}")),
        (t("dispute.risk_label"), t(f"dispute.risk.{dispute.risk}")),
        (t("dispute.found_on"), dispute.found_on.isoformat()),
        (t("dispute.review_due"), review if dispute.status in OPEN else ""),
        (t("dispute.owner"), detail.owner),
        (t("dispute.visit"), t("dispute.visit_value", when=moment(visit.visited_at),
                               household=visit.household.number) if visit else ""),
        (t("dispute.summary"), dispute.summary),
        (t("dispute.agreement"), dispute.agreement),
    ])
    text.rstrip()
    return text


def entries_text(entries, empty_key: str) -> Text:
    """Dated entries (a session, a report): the day and a heading, then labelled
    lines; `entries` as (day, heading parts, [(label, value)])."""
    text = Text()
    if not entries:
        text.append(t(empty_key), style="dim")
    for day, heading, rows in entries:
        text.append(moment(day), style="bold")
        for part in heading:
            text.append("  ")
            text.append_text(part)
        text.append("\n")
        _lines(text, rows)
    text.rstrip()
    return text


def sessions_text(detail: DisputeDetail) -> Text:
    return entries_text([
        (s.held_on, [shown(s.place), shown(detail.cadres.get(s.cadre_id, ""), "dim")],
         [(t("dispute.participants"), s.participants), (t("dispute.agreed"), s.agreed)])
        for s in detail.sessions], "dispute.no_sessions")


def escalations_text(detail: DisputeDetail) -> Text:
    return entries_text([
        (e.escalated_on, [shown(e.to_whom)],
         [(t("dispute.result"), e.result or Text(t("dispute.no_result"), style="yellow"))])
        for e in detail.escalations], "dispute.no_escalations")


class DisputeScreen(RoleKeys, Screen):
    CSS_PATH = "dispute.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="dispute.back"),
        Binding("s", "hold_session", t("key.hold_session"), id="dispute.session"),
        Binding("a", "move", t("key.move_dispute"), id="dispute.move"),
        Binding("e", "edit", t("key.edit"), id="dispute.edit"),
        Binding("r", "escalation_result", t("key.escalation_result"), id="dispute.result"),
    ]

    def __init__(self, dispute_id: int) -> None:
        super().__init__()
        self.dispute_id = dispute_id
        self.detail: DisputeDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with VerticalScroll(id="facts-box", classes="box"):
                yield Static(t("loading"), id="facts")
            with Vertical(id="side"):
                with VerticalScroll(id="sessions-box", classes="box"):
                    yield Static(id="sessions")
                with VerticalScroll(id="escalations-box", classes="box"):
                    yield Static(id="escalations")
                with VerticalScroll(id="history-box", classes="box"):
                    yield Static(id="history")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("dispute.title")
        for box, key in (("facts", "facts"), ("sessions", "sessions_box"),
                         ("escalations", "escalations_box"), ("history", "history_box")):
            self.query_one(f"#{box}-box").border_title = t(f"dispute.{key}")
        self.reload()

    def reload(self) -> None:
        run_db(self, station_read(self, dispute_detail), self.dispute_id, then=self._show,
               group="detail")

    on_data_changed = reload

    def _show(self, detail: DisputeDetail) -> None:
        self.detail = detail
        self.query_one("#facts", Static).update(facts_text(detail, dt.date.today()))
        self.query_one("#sessions", Static).update(sessions_text(detail))
        self.query_one("#escalations", Static).update(escalations_text(detail))
        self.query_one("#history", Static).update(history_text(detail.events, detail.cadres))
        self.query_one("#history-box", VerticalScroll).scroll_end(animate=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        """Keys for what the dispute allows now; the others stay listed, dimmed."""
        offered, detail = super().check_action(action, parameters), self.detail
        if not offered or detail is None or action not in ("hold_session",
                                                          "escalation_result", "move"):
            return offered
        if action == "hold_session":
            return detail.dispute.status in OPEN or None
        if action == "move":
            return bool(detail.moves) or None
        return self._awaiting() is not None or None

    def _awaiting(self):
        """The report to the township still without its result, if any."""
        if self.detail is None or self.detail.dispute.status != DisputeStatus.ESCALATED:
            return None
        return next((e for e in reversed(self.detail.escalations) if not e.result), None)

    def _after(self, saved_id: int | None) -> None:
        if saved_id is not None:
            self.reload()

    @changes_data
    def action_hold_session(self) -> None:
        if self.detail is not None:
            self.app.push_screen(SessionDialog(self.detail), self._after)

    @changes_data
    def action_move(self) -> None:
        detail = self.detail
        if detail is None:
            return

        def chosen(to: str | None) -> None:
            if to is None:
                return
            if move_asks(detail.dispute, to):
                self.app.push_screen(DisputeMoveDialog(detail, to), self._after)
            else:  # nothing to ask: moved at once
                run_db(self, move_dispute, detail.dispute.id, detail.dispute.version,
                       DisputeMove(to), session_of(self), then=lambda saved: (
                           tell(self, t("dispute.moved", status=t(f"dispute.status.{to}"))),
                           self.reload()), group="save")
        self.app.push_screen(ChoiceScreen(
            t("dispute_move.choose"),
            [(to, t(f"dispute.status.{to}")) for to in detail.moves]), chosen)

    @changes_data
    def action_edit(self) -> None:
        if self.detail is not None:
            self.app.push_screen(DisputeFormScreen(self.detail), self._after)

    @changes_data
    def action_escalation_result(self) -> None:
        escalation = self._awaiting()
        if escalation is None:
            tell(self, t("dispute.nothing_to_report"))
            return
        self.app.push_screen(EscalationResultDialog(escalation), self._after)

    def action_back(self) -> None:
        self.app.pop_screen()
