"""The two boxes of the coverage board: a household's tags, and the station's visit
rules (the head's)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Label, Static

from models.core.i18n import t
from models.village.entities import EVERY_HOUSEHOLD, Tag
from models.village.visits import set_household_tags, set_visit_rules, visit_rules

from .dbwork import problem_text, run_db
from .session import session_of
from .widgets.dialogs import Dialog
from .widgets.fields import Field, FieldForm
from .widgets.form_dialog import FormDialog
from .widgets.shown import shown, tell
from .widgets.toggles import Tick


class TagsDialog(Dialog[bool | None]):
    """Tick what marks the household out (低保户, 独居老人 …); dismissed with True
    once saved."""
    CSS_PATH = "coverage.tcss"

    def __init__(self, household_id: int, number: str, tags) -> None:
        super().__init__()
        self.household_id, self.number, self.tags = household_id, number, set(tags)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = shown(t("tags.title", number=self.number))
            with Grid(id="tags"):
                for tag in Tag:
                    yield Tick(t(f"tag.{tag}"), tag in self.tags, id=f"tag-{tag}")
            yield Label("", classes="problem")
            yield Static(t("tags.hint"), classes="hint")

    def action_confirm(self) -> None:
        chosen = [tag.value for tag in Tag if self.query_one(f"#tag-{tag}", Tick).value]
        run_db(self, set_household_tags, self.household_id, chosen, session_of(self),
               then=lambda _: self.dismiss(True), failed=self._refused, group="save")

    def _refused(self, exc: Exception) -> None:
        self.query_one(".problem", Label).update(shown(problem_text(exc)))


def rule_text(rule) -> str:
    return f"{rule.visits}/{rule.per_days}" if rule else ""


class RulesDialog(FormDialog):
    """At least so many visits every so many days, for every household and for
    each kind; dismissed with True once saved."""
    CSS_PATH = "coverage.tcss"

    def compose(self) -> ComposeResult:
        fields = [Field(tag or "every", t(f"tag.{tag}") if tag else t("rules.every"),
                        placeholder="" if tag else "2/7", max_length=9)
                  for tag in (EVERY_HOUSEHOLD, *Tag)]
        with Vertical() as box:
            box.border_title = t("rules.title")
            yield Static(t("rules.hint"), classes="hint")
            yield FieldForm(fields)
            yield Static(t("admin.form_keys"), classes="hint")

    def on_mount(self) -> None:
        run_db(self, visit_rules, session_of(self).station_id, then=self.fill, group="rules")

    def fill(self, rules) -> None:
        self.query_one(FieldForm).set_values(
            {tag or "every": rule_text(rules.get(tag)) for tag in (EVERY_HOUSEHOLD, *Tag)})

    def action_confirm(self) -> None:
        values = self.query_one(FieldForm).values()
        written = {tag: values[tag or "every"] for tag in (EVERY_HOUSEHOLD, *Tag)}
        run_db(self, set_visit_rules, written, session_of(self), then=self._rules_saved,
               failed=self._refused, group="save")

    def _rules_saved(self, _rules) -> None:
        tell(self, t("rules.saved"))
        self.dismiss(True)
