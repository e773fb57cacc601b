"""Moving an errand on (办理) and calling the villager back (回访).

Only the legal next steps are offered; what a step needs (a reason, an appointment,
the originals) the lifecycle says, and it is asked for right there. A refusal — a
missing reason, someone else's newer save — is shown in the dialog and nothing is
changed.
"""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, OptionList, RadioSet
from textual.widgets.option_list import Option

from models.core.history import StaleEdit
from models.core.i18n import t
from models.core.validation import ValidationError, parse_when
from models.errands.entities import Errand, Satisfaction, Status, status_label
from models.errands.lifecycle import (
    Move,
    MoveNeeds,
    advance,
    move_needs,
    record_callback,
)
from models.errands.records import ErrandDetail
from models.people.residents import reveal_identity

from .dbwork import problem_text, run_db
from .session import session_of
from .widgets.dialogs import Dialog
from .widgets.fields import TypedInput
from .widgets.shown import shown, tell
from .widgets.toggles import Radio, Tick


def errand_heading(detail: ErrandDetail) -> Text:
    errand = detail.errand
    text = shown(errand.number, "bold")
    text.append("  ")
    text.append(shown(detail.resident.name))
    text.append("  ")
    text.append(shown(detail.item.name))
    text.append(f"  {t('mode.' + errand.mode)}  ")
    text.append(status_label(errand.status, errand.mode), style="bold")
    return text


class MoveScreen(Dialog[Errand | None]):
    """Dismissed with the errand as saved, or None."""

    CSS_PATH = "move.tcss"

    def __init__(self, detail: ErrandDetail) -> None:
        super().__init__()
        self.detail = detail
        self.target: str | None = None
        self.needs = MoveNeeds()

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("move.title")
            yield Label(errand_heading(self.detail))
            # The legal next steps first; the others follow, dimmed — choosing one
            # is refused with the reason and the steps that are possible.
            others = [s for s in Status if s not in self.detail.moves
                      and s != self.detail.errand.status]
            mode = self.detail.errand.mode
            yield OptionList(*(Option(status_label(to, mode), id=to)
                               for to in self.detail.moves),
                             None,
                             *(Option(Text(status_label(to, mode), style="dim"), id=to)
                               for to in others), id="moves")
            yield TypedInput(placeholder=t("move.reason"), id="reason", classes="field")
            yield TypedInput(placeholder=t("move.when"), id="when", classes="field")
            yield TypedInput(placeholder=t("move.place"), id="place", classes="field")
            yield Tick(t("move.originals_back"), id="originals", classes="field")
            yield TypedInput(placeholder=t("move.custody_note"), id="custody-note",
                             classes="field")
            yield Tick("", id="missing-ok", classes="field")
            yield Label(t("move.hint"), classes="hint")
            yield Label("" if self.detail.moves else t("move.none"), id="move-problem")

    @on(OptionList.OptionSelected, "#moves")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.target = event.option.id
        needs = self.needs = move_needs(self.detail.errand, self.target,
                                        self.detail.originals_out, self.detail.missing)
        if needs.originals:
            self.query_one("#originals", Checkbox).label = shown(t(
                "move.originals_back_named", names="、".join(needs.originals)))
        if needs.missing:
            self.query_one("#missing-ok", Checkbox).label = shown(t(
                "move.missing_ok", names="、".join(needs.missing)))
        fields = {  # in the order they are asked
            "reason": needs.reason,
            "when": needs.appointment,
            "place": needs.appointment,
            "originals": bool(needs.originals),
            "custody-note": bool(needs.originals),
            "missing-ok": bool(needs.missing),
        }
        for name, asked in fields.items():
            self.query_one(f"#{name}").set_class(asked, "-shown")
        first = next((name for name, asked in fields.items() if asked), None)
        if first is None:
            self.action_confirm()  # nothing more to ask
        else:
            self.query_one(f"#{first}").focus()

    @on(Input.Submitted, ".field")
    def _field_done(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        if self.target is None:
            return
        problem = self.query_one("#move-problem", Label)
        try:
            when_text = self.query_one("#when", Input).value
            move = Move(self.target,
                        reason=self.query_one("#reason", Input).value,
                        appointment_at=parse_when(when_text) if self.needs.appointment
                        else None,
                        place=self.query_one("#place", Input).value,
                        originals_returned=self.query_one("#originals", Checkbox).value,
                        custody_note=self.query_one("#custody-note", Input).value,
                        missing_ok=self.query_one("#missing-ok", Checkbox).value)
        except ValidationError as exc:
            problem.update(shown(str(exc)))
            return
        errand = self.detail.errand
        run_db(self, advance, errand.id, errand.version, move, session_of(self),
               then=self.dismiss, failed=self._refused, group="save", hold_keys=True)

    def _refused(self, exc: Exception) -> None:
        self.query_one("#move-problem", Label).update(shown(problem_text(exc)))
        if isinstance(exc, StaleEdit):
            self.dismiss(None)  # the screen behind shows the fresh errand
            tell(self, problem_text(exc), "warning")


class CallbackScreen(Dialog[Errand | None]):
    """回访: reached or not, how satisfied, what they said. The villager's phone is
    shown in full — calling is what the dialog is for — and the model records that
    this cadre saw it, for this errand."""

    CSS_PATH = "move.tcss"

    def __init__(self, detail: ErrandDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("callback.title")
            yield Label(errand_heading(self.detail))
            yield Label(t("loading"), id="callback-phone")
            with RadioSet(id="reached"):
                yield Radio(t("callback.reached"), value=True, id="yes")
                yield Radio(t("callback.not_reached"), id="no")
            with RadioSet(id="satisfaction"):
                for level in Satisfaction:
                    yield Radio(level, id=level.name)
            yield TypedInput(placeholder=t("callback.comment"), id="comment", max_length=500)
            yield Label(t("callback.keys"), classes="hint")
            yield Label("", id="callback-problem")

    def on_mount(self) -> None:
        run_db(self, reveal_identity, self.detail.resident.id, session_of(self),
               ("phone",), self.detail.errand.id, then=self._show_phone,
               group="phone")

    def _show_phone(self, numbers: tuple[str, str]) -> None:
        phone = Text(t("callback.phone"), style="bold")
        phone.append(shown(numbers[1] or t("callback.no_phone"), "bold yellow"))
        self.query_one("#callback-phone", Label).update(phone)

    @on(Input.Submitted, "#comment")
    def _comment_done(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        reached = self.query_one("#reached", RadioSet).pressed_button
        level = self.query_one("#satisfaction", RadioSet).pressed_button
        errand = self.detail.errand
        call = partial(record_callback, errand.id, errand.version, session_of(self),
                       reached=reached is not None and reached.id == "yes",
                       satisfaction=Satisfaction[level.id] if level else "",
                       comment=self.query_one("#comment", Input).value)
        run_db(self, call, then=self.dismiss, failed=self._refused, group="save",
               hold_keys=True)

    def _refused(self, exc: Exception) -> None:
        self.query_one("#callback-problem", Label).update(shown(problem_text(exc)))
