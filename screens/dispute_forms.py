"""The forms of a dispute: recording or editing one (its parties found with the
person search, or an outsider by name), a mediation session, a move that asks
for something (the agreement, to whom it went, a reason), the township's result.

Each is a `FormDialog`: a refusal shows in the form, nothing is saved; dates are
typed as cadres write them and read by the model (`read_day`).
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from models.core.i18n import t
from models.village.dispute_lists import DisputeDetail, resident_name
from models.village.disputes import (
    DisputeForm,
    DisputeMove,
    PartyForm,
    SessionForm,
    dispute_from_visit,
    edit_dispute,
    hold_session,
    move_asks,
    move_dispute,
    read_day,
    record_dispute,
    record_escalation_result,
)
from models.village.entities import DisputeKind, Risk

from .dbwork import run_db
from .session import session_of, station_read
from .widgets.dialogs import Dialog
from .widgets.fields import Field, FieldForm, TypedInput
from .widgets.form_dialog import FormDialog
from .widgets.person_search import PersonSearch
from .widgets.shown import shown
from .widgets.toggles import Radio, pressed_value


class PartyDialog(Dialog[tuple[PartyForm, str] | None]):
    """A party: a resident found by the person search, or an outsider by name.
    Dismissed with the party and the name to show, or None."""

    CSS_PATH = "dispute_forms.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("party.title")
            yield PersonSearch()
            yield TypedInput(placeholder=t("party.outsider"), id="outsider", max_length=40)
            yield Label(t("party.hint"), classes="hint")

    @on(PersonSearch.Chosen)
    def _resident(self, event: PersonSearch.Chosen) -> None:
        run_db(self, station_read(self, resident_name), event.resident_id,
               then=lambda name: self.dismiss((PartyForm(event.resident_id), name)),
               hold_keys=True)

    @on(Input.Submitted, "#outsider")
    def _outsider(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss((PartyForm(name=event.value), event.value))


def _radios(name: str, values, chosen: str) -> RadioSet:
    return RadioSet(*(Radio(t(f"dispute.{name}.{value}"), value=value == chosen,
                            id=f"{name}-{value}") for value in values), id=name)


class DisputeFormScreen(FormDialog):
    """A new dispute (from a visit when `visit_id` is given), or the dispute of
    `detail` corrected."""

    CSS_PATH = "dispute_forms.tcss"
    BINDINGS = [
        Binding("f3", "add_party", t("key.add_party"), id="dispute_form.add_party"),
        Binding("f4", "drop_party", t("key.drop_party"), id="dispute_form.drop_party"),
    ]

    def __init__(self, detail: DisputeDetail | None = None, visit_id: int | None = None
                 ) -> None:
        super().__init__(detail.dispute if detail else None)
        self.visit_id = visit_id
        self.parties: list[tuple[PartyForm, str]] = (
            list(zip(detail.party_forms, detail.parties)) if detail else [])

    def compose(self) -> ComposeResult:
        title = ("dispute_form.edit" if self.row else
                 "dispute_form.from_visit" if self.visit_id else "dispute_form.new")
        with Vertical() as box:
            box.border_title = t(title)
            yield Static(id="parties")
            yield Label(t("dispute_form.parties_hint"), classes="hint")
            yield FieldForm([
                Field("title", t("dispute.title_label"), max_length=60,
                      placeholder=t("dispute_form.hint.title")),
                Field("found_on", t("dispute.found_on"), max_length=12,
                      placeholder=t("dispute_form.hint.found_on")),
                Field("review_due", t("dispute.review_due"), max_length=12,
                      placeholder=t("dispute_form.hint.review_due")),
                Field("summary", t("dispute.summary"), max_length=2000,
                      placeholder=t("dispute_form.hint.summary"))])
            yield Label(t("dispute.kind_label"))
            yield _radios("kind", DisputeKind, DisputeKind.LAND)
            yield Label(t("dispute.risk_label"))
            yield _radios("risk", Risk, Risk.MEDIUM)
            yield Static(t("admin.form_keys"), classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_parties()

    def fill(self, dispute) -> None:
        self.query_one(FieldForm).set_values({
            "title": dispute.title, "found_on": dispute.found_on.isoformat(),
            "review_due": dispute.review_due.isoformat(), "summary": dispute.summary})
        for name in ("kind", "risk"):
            self.query_one(f"#{name}-{getattr(dispute, name)}", RadioButton).value = True

    def _show_parties(self) -> None:
        text = Text(t("dispute.parties") + "：", style="bold")
        if self.parties:
            text.append_text(shown("、".join(name for _, name in self.parties)))
        else:
            text.append(t("dispute_form.no_parties"), style="dim")
        self.query_one("#parties", Static).update(text)

    def action_add_party(self) -> None:
        def add(party: tuple[PartyForm, str] | None) -> None:
            if party is not None and party[0] not in [p for p, _ in self.parties]:
                self.parties.append(party)
                self._show_parties()
        self.app.push_screen(PartyDialog(), add)

    def action_drop_party(self) -> None:
        if self.parties:
            self.parties.pop()
            self._show_parties()

    def action_confirm(self) -> None:
        values = self.query_one(FieldForm).values()
        kind = pressed_value(self.query_one("#kind", RadioSet), "kind-")
        risk = pressed_value(self.query_one("#risk", RadioSet), "risk-")
        parties = [party for party, _ in self.parties]
        row, visit_id, actor = self.row, self.visit_id, session_of(self)

        def save():
            form = DisputeForm(values["title"], kind, risk, parties, values["summary"],
                               read_day("found_on", values["found_on"], "dispute.found_on"),
                               read_day("review_due", values["review_due"],
                                        "dispute.review_due"))
            if row is not None:
                return edit_dispute(row.id, row.version, form, actor)
            if visit_id is not None:
                return dispute_from_visit(visit_id, form, actor)
            return record_dispute(form, actor)
        self.save(save)


class SessionDialog(FormDialog):
    """A mediation session held on the dispute of `detail`."""

    CSS_PATH = "dispute_forms.tcss"

    def __init__(self, detail: DisputeDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("session_form.title")
            yield Label(shown(f"{self.detail.dispute.number}  {self.detail.dispute.title}"))
            yield FieldForm([
                Field(name, t(f"dispute.{name}"), max_length=length,
                      placeholder=t(f"session_form.hint.{name}"))
                for name, length in (("held_on", 12), ("place", 60), ("participants", 200),
                                     ("agreed", 2000), ("next_review", 12))])
            yield Static(t("admin.form_keys"), classes="hint")

    def action_confirm(self) -> None:
        values = self.query_one(FieldForm).values()
        dispute_id, actor = self.detail.dispute.id, session_of(self)

        def save():
            held_on = read_day("held_on", values["held_on"], "dispute.held_on")
            form = SessionForm(held_on, values["place"], values["participants"],
                               values["agreed"],
                               read_day("next_review", values["next_review"],
                                        "dispute.next_review"))
            return hold_session(dispute_id, form, actor)
        self.save(save)


class DisputeMoveDialog(FormDialog):
    """Moving the dispute of `detail` to `to`, asking what the model says the move
    needs."""

    CSS_PATH = "dispute_forms.tcss"

    def __init__(self, detail: DisputeDetail, to: str) -> None:
        super().__init__()
        self.detail, self.to = detail, to
        self.asks = move_asks(detail.dispute, to)

    def compose(self) -> ComposeResult:
        hints = {"escalated_on": t("dispute_move.hint.escalated_on")}
        lengths = {"agreement": 2000, "to_whom": 60, "escalated_on": 12, "reason": 200}
        with Vertical() as box:
            box.border_title = t("dispute_move.title", status=t(f"dispute.status.{self.to}"))
            yield Label(shown(f"{self.detail.dispute.number}  {self.detail.dispute.title}"))
            yield FieldForm([Field(name, t(f"dispute.{name}"), max_length=lengths[name],
                                   placeholder=hints.get(name, ""))
                             for name in self.asks])
            yield Static(t("admin.form_keys"), classes="hint")

    def action_confirm(self) -> None:
        values = self.query_one(FieldForm).values()
        dispute, to, actor = self.detail.dispute, self.to, session_of(self)

        def save():
            when = read_day("escalated_on", values.get("escalated_on", ""),
                            "dispute.escalated_on")
            move = DisputeMove(to, values.get("agreement", ""), values.get("to_whom", ""),
                               when, values.get("reason", ""))
            return move_dispute(dispute.id, dispute.version, move, actor)
        self.save(save)


class EscalationResultDialog(FormDialog):
    """What the township did with a dispute the station reported."""

    CSS_PATH = "dispute_forms.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("result_form.title")
            yield Label(shown(self.row.to_whom))
            yield FieldForm([Field("result", t("dispute.result"), max_length=2000)])
            yield Static(t("admin.form_keys"), classes="hint")

    def fill(self, escalation) -> None:
        self.query_one(FieldForm).set_values({"result": escalation.result})

    def action_confirm(self) -> None:
        self.save(record_escalation_result, self.row.id, self.row.version,
                  self.query_one(FieldForm).values()["result"], session_of(self))
