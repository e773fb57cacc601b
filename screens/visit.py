"""Logging a visit (民情访问记录): the household (passed from the board, or found by
name, pinyin, initials or household number), when, who was met, which of the five
duties it served, what was found and the needs raised, when to come back. Beside
it, the household's file: its tags and rule, its last visits, its open errands.

Saved, the visit stays on screen: Ctrl+S again corrects it, and **e** turns its
need into an errand — intake opens with the person and the need filled in, and
the errand it saves is linked to the visit.
"""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, RadioSet, Static

from models.core.i18n import moment, t
from models.core.validation import ValidationError
from models.errands.entities import status_label
from models.village.entities import Delivery, Duty, Visit
from models.village.household_file import HouseholdFile, household_file, resident_household_file
from models.village.policy_delivery import POLICY_DUTIES, PolicyLine
from models.village.visits import (
    VisitForm,
    edit_visit,
    follow_up_day,
    log_visit,
    visit_need,
    visit_time,
)

from .dbwork import problem_text, run_db
from .intake import IntakeScreen
from .session import session_of, station_read
from .widgets.fields import Field, FieldForm, FieldInput, KeysInOrder, TypedTextArea
from .widgets.keybar import KeyBar
from .widgets.person_search import PersonSearch
from .widgets.shown import shown, tell
from .widgets.toggles import Radio, Tick

NOBODY = "met-nobody"


class DutyTick(KeysInOrder, Tick):
    """A duty's tick that takes a burst in order: the words typed after Tab go to
    the box Tab moved to, not to the tick they reached first."""

    def types(self, event) -> bool:
        return False


class MetRadios(KeysInOrder, RadioSet):
    """Whom of the household was met, taking a burst in order as the ticks do."""

    def types(self, event) -> bool:
        return False


def household_section(file: HouseholdFile) -> Text:
    household, head = file.household, file.head
    text = Text()
    text.append_text(shown(t("visit.household_line", number=household.number,
                             group=household.group.name, head=head.name if head else "—"),
                           "bold"))
    if file.tags:
        text.append("\n" + "、".join(t(f"tag.{tag}") for tag in file.tags), style="yellow")
    text.append("\n" + t("visit.rule_line", visits=file.rule.visits,
                         per_days=file.rule.per_days), style="dim")
    return text


def visits_section(file: HouseholdFile) -> Text:
    text = Text()
    for visit in file.last_visits:
        text.append(moment(visit.visited_at) + "  ", style="dim")
        text.append_text(shown(visit.cadre.name))
        text.append("  " + "、".join(t(f"five_duty.{duty}") for duty in visit.duties))
        if visit.needs:
            text.append("\n  ")
            text.append_text(shown(visit.needs, "yellow"))
        text.append("\n")
    return text


def errands_section(errands) -> Text:
    text = Text()
    for errand in errands:
        text.append_text(shown(errand.number, "bold"))
        text.append("  ")
        text.append_text(shown(f"{errand.resident.name} {errand.item.name}"))
        text.append(f"  {status_label(errand.status, errand.mode)}  ", style="dim")
        text.append(t("errand.due") + " " + moment(errand.due_date) + "\n", style="dim")
    return text


def disputes_section(disputes) -> Text:
    text = Text()
    for dispute in disputes:
        text.append(dispute.number + " ", style="bold")
        text.append_text(shown(dispute.title))
        text.append(" " + t("visit.side.dispute_risk", risk=t(f"dispute.risk.{dispute.risk}"))
                    + "\n", style="bold red" if dispute.risk == "high" else "dim")
    return text


def untold_section(lines: list[PolicyLine]) -> Text:
    text = Text()
    for line in lines:
        text.append("★ " if line.tagged_for else "  ", style="yellow")
        text.append_text(shown(line.policy.title))
        text.append("\n")
    return text


def policy_title(line: PolicyLine) -> Text:
    """A policy beside its ticks: ★ when it is meant for this kind of household."""
    text = Text("★ " if line.tagged_for else "  ", style="yellow")
    text.append_text(shown(line.policy.title, "" if line.qualifies else "dim"))
    return text


def side_sections(file: HouseholdFile) -> list[tuple[str, Text]]:
    """What stands beside the visit, in order: one entry per kind of record."""
    sections = [(t("visit.side.last_visits"), visits_section(file)),
                (t("policy_delivery.side"), untold_section(file.policies_untold)),
                (t("visit.side.open_errands"), errands_section(file.open_errands)),
                (t("visit.side.open_disputes"), disputes_section(file.open_disputes))]
    if file.visit_errands:
        sections.append((t("visit.side.errands_of_visit"), errands_section(file.visit_errands)))
    return sections


def side_text(file: HouseholdFile) -> Text:
    text = Text()
    for title, body in side_sections(file):
        text.append(("\n" if text else "") + title + "\n", style="bold underline")
        text.append_text(body if body else Text(t("visit.side.none"), style="dim"))
        text.rstrip()
        text.append("\n")
    return text


class VisitScreen(Screen):
    CSS_PATH = "visit.tcss"
    BINDINGS = [
        Binding("escape", "back", t("key.back"), id="visit.back"),
        Binding("ctrl+s", "save", t("key.save"), id="visit.save"),
        Binding("e", "to_errand", t("key.to_errand"), id="visit.errand"),
        Binding("j", "to_dispute", t("key.to_dispute"), id="visit.dispute"),
        Binding("f3", "find_household", t("key.find_person"), id="visit.find"),
        Binding("enter", "next_field", show=False, id="visit.next"),
    ]

    def __init__(self, household_id: int | None = None) -> None:
        super().__init__()
        self.household_id = household_id
        self.file: HouseholdFile | None = None
        self.visit: Visit | None = None  # once saved

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with VerticalScroll(id="visit-form"):
                yield Static(id="visit-household")
                yield PersonSearch()
                yield FieldForm([
                    Field("visited_at", t("visit.when"), placeholder=t("visit.when_hint"),
                          max_length=20),
                    Field("follow_up_due", t("visit.follow_up"),
                          placeholder=t("visit.follow_up_hint"), max_length=20),
                    Field("met", t("visit.met_other"), max_length=120)])
                yield Label(t("visit.met_member"), classes="label")
                yield MetRadios(id="met-resident")
                yield Label(t("visit.duties"), classes="label")
                with Grid(id="duties"):
                    for duty in Duty:
                        yield DutyTick(t(f"five_duty.{duty}"), id=f"duty-{duty}")
                yield Label(t("policy_delivery.label"), classes="label", id="policies-label")
                yield Grid(id="policies")
                yield Label(t("visit.found"), classes="label")
                yield TypedTextArea(id="found")
                yield Label(t("visit.needs"), classes="label")
                yield TypedTextArea(id="needs")
                yield Label("", id="visit-problem")
                yield Static(t("visit.form_keys"), classes="hint")
            with VerticalScroll(id="visit-side"):
                yield Static(id="side")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("visit.title")
        self.query_one(FieldForm).set_values(
            {"visited_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M")})
        if self.household_id is not None:
            self.query_one(PersonSearch).display = False
            self.load_file()
        else:
            self.query_one("#visit-household", Static).update(Text(t("visit.find"), "bold"))
            self.query_one(PersonSearch).focus_query()

    # — the household —
    def load_file(self) -> None:
        run_db(self, station_read(self, household_file), self.household_id,
               self.visit.id if self.visit else None, then=self._file_loaded, group="file")

    def on_person_search_chosen(self, event: PersonSearch.Chosen) -> None:
        run_db(self, station_read(self, resident_household_file), event.resident_id,
               then=self._found, group="file")

    def _found(self, file: HouseholdFile | None) -> None:
        if file is None:
            self.problem(t("visit.no_household"))
            return
        self.household_id = file.household.id
        self.query_one(PersonSearch).display = False
        self._file_loaded(file)

    def _file_loaded(self, file: HouseholdFile) -> None:
        first = self.file is None or self.file.household.id != file.household.id
        self.file = file
        self.query_one("#visit-household", Static).update(household_section(file))
        self.query_one("#side", Static).update(side_text(file))
        if first:
            self._members(file)
            self._policies(file)
            self.query_one(FieldForm).field("visited_at").focus()

    def _policies(self, file: HouseholdFile) -> None:
        """A tick for explained and one for delivered beside each policy in force,
        the household's own first; shown while a policy duty is ticked."""
        grid = self.query_one("#policies", Grid)
        grid.remove_children()
        widgets = []
        for line in file.policies:
            for kind in Delivery:
                tick = DutyTick(t(f"policy_delivery.kind.{kind}"),
                                id=f"policy-{kind}-{line.policy.id}")
                tick.value = line.on_visit == kind
                widgets.append(tick)
            widgets.append(Static(policy_title(line)))
        grid.mount_all(widgets)
        self._show_policies()

    def _show_policies(self) -> None:
        shown_now = any(self.query_one(f"#duty-{duty}", Tick).value for duty in POLICY_DUTIES) \
            and bool(self.file and self.file.policies)
        self.query_one("#policies").display = shown_now
        self.query_one("#policies-label").display = shown_now

    def on_checkbox_changed(self, event: Tick.Changed) -> None:
        """A policy is explained or delivered on a visit, not both; the list of
        policies shows while a policy duty is ticked."""
        name = event.checkbox.id or ""
        if name.startswith("duty-"):
            self._show_policies()
        elif name.startswith("policy-") and event.value:
            kind, policy_id = name.removeprefix("policy-").split("-")
            for other in Delivery:
                if other != kind:
                    self.query_one(f"#policy-{other}-{policy_id}", Tick).value = False

    def _ticked_policies(self) -> list[tuple[int, str]]:
        """(policy id, kind) as ticked; none while no policy duty is ticked."""
        if not self.query_one("#policies").display:
            return []
        ticked = (tick.id.removeprefix("policy-").split("-")
                  for tick in self.query("#policies Tick") if tick.value)
        return [(int(policy_id), kind) for kind, policy_id in ticked]

    def _members(self, file: HouseholdFile) -> None:
        """Whom of the household the cadre met: the head pressed to begin with."""
        radios = self.query_one("#met-resident", RadioSet)
        radios.remove_children()
        buttons = [Radio(shown(f"{m.name} {m.relation}".strip()), id=f"met-{m.id}")
                   for m in file.members]
        buttons.append(Radio(t("visit.met_nobody"), id=NOBODY))
        buttons[0].value = True
        radios.mount_all(buttons)

    def action_find_household(self) -> None:
        if self.visit is None:  # a saved visit keeps its household
            search = self.query_one(PersonSearch)
            search.display = True
            search.focus_query()

    # — the form —
    def check_action(self, action: str, parameters) -> bool | None:
        if action == "next_field":
            return isinstance(self.focused, FieldInput)
        if action == "to_errand":
            return self.visit is not None and bool(self.visit.needs)
        if action == "to_dispute":  # a dispute found on the visit: once it is saved
            return self.visit is not None
        return True

    def action_next_field(self) -> None:
        self.focus_next()

    def problem(self, message: str) -> None:
        """What is wrong, in one line under the form."""
        self.query_one("#visit-problem", Label).update(shown(message, "bold red"))

    def _form(self) -> VisitForm:
        values = self.query_one(FieldForm).values()
        pressed = self.query_one("#met-resident", RadioSet).pressed_button
        met = int(pressed.id.removeprefix("met-")) if pressed and pressed.id != NOBODY \
            else None
        return VisitForm(
            household_id=self.household_id, visited_at=visit_time(values["visited_at"]),
            duties=[duty.value for duty in Duty
                    if self.query_one(f"#duty-{duty}", Tick).value],
            met_resident_id=met, met=values["met"],
            found=self.query_one("#found", TypedTextArea).text,
            needs=self.query_one("#needs", TypedTextArea).text,
            follow_up_due=follow_up_day(values["follow_up_due"]),
            policies=self._ticked_policies())

    def action_save(self) -> None:
        if self.household_id is None:
            self.problem(t("visit.pick_household"))
            return
        try:
            form = self._form()
        except ValidationError as exc:
            self._refused(exc)
            return
        session = session_of(self)
        if self.visit is None:
            run_db(self, log_visit, form, session, then=self._saved, failed=self._refused,
                   group="save", exclusive=False)
        else:
            run_db(self, edit_visit, self.visit.id, self.visit.version, form, session,
                   then=self._saved, failed=self._refused, group="save", exclusive=False)

    def _refused(self, exc: Exception) -> None:
        """Say what is wrong and put the cursor where it is."""
        self.problem(problem_text(exc))
        name = getattr(exc, "field", None)
        if any(field.name == name for field in self.query_one(FieldForm).fields):
            self.query_one(FieldForm).field(name).focus()
        elif name in ("found", "needs"):
            self.query_one(f"#{name}").focus()
        elif name == "duties":
            self.query_one(DutyTick).focus()
        elif name == "policies":
            self.query_one("#duty-policy").focus()

    def _saved(self, visit: Visit) -> None:
        self.visit = visit
        message = t("visit.saved_need" if visit.needs else "visit.saved")
        self.query_one("#visit-problem", Label).update(Text(message, style="bold green"))
        tell(self, message)
        self.refresh_bindings()
        self.query_one("#visit-side").focus()  # off the text boxes: e is a key again
        self.load_file()

    # — a need becomes an errand —
    def action_to_errand(self) -> None:
        """(Offered once a visit with a need is saved: check_action.)"""
        run_db(self, station_read(self, visit_need), self.visit.id, then=self._open_intake,
               group="need")

    def _open_intake(self, need) -> None:
        self.app.push_screen(IntakeScreen(need=need), lambda _: self.load_file())

    # — a dispute found on the visit —
    def action_to_dispute(self) -> None:
        from .dispute_forms import DisputeFormScreen
        self.app.push_screen(DisputeFormScreen(visit_id=self.visit.id),
                             lambda _: self.load_file())

    def on_data_changed(self) -> None:
        if self.household_id is not None:
            self.load_file()

    def action_back(self) -> None:
        self.app.pop_screen()
