"""政策未宣讲: per tagged policy in force, the households (of a villager group, or
of the whole station) tagged for it that have never had it explained or
delivered — those with most tags first. Enter (or l) on a household logs a visit of it;
back from the visit the list is read again, so a policy ticked there drops off."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from models.core.i18n import t
from models.village.policy_delivery import GapHousehold, PolicyGap, policy_gaps

from .session import changes_data, station_read
from .visit import VisitScreen
from .widgets.shown import shown, tell
from .widgets.table_screen import TableScreen

Row = tuple[PolicyGap, GapHousehold | None]  # a policy's heading line, or one household


def gap_rows(gaps: list[PolicyGap]) -> list[Row]:
    return [row for gap in gaps for row in [(gap, None)] + [(gap, h) for h in gap.households]]


class PolicyGapsScreen(TableScreen):
    CSS_PATH = "policy_gaps.tcss"
    TITLE_KEY = "policy_delivery.gaps_title"
    COLUMNS = ("policy_delivery.col.policy", "policy_delivery.col.household")
    BINDINGS = [Binding("l", "log_visit", t("key.log_visit"), id="policy_gaps.log")]

    def __init__(self, group_id: int | None = None, scope: str = "") -> None:
        super().__init__()
        self.group_id = group_id
        self.scope = scope  # the group's name, or "" for the whole station

    def on_mount(self) -> None:  # after TableScreen's own (Textual calls both)
        if self.scope:
            self.sub_title = self.scope

    def load(self) -> tuple:
        return station_read(self, policy_gaps), self.group_id

    def _show(self, rows) -> None:
        super()._show(gap_rows(rows))
        if not rows:
            self.query_one("#row-detail").update(Text(t("policy_delivery.no_gaps"), "green"))

    def key(self, row: Row):
        gap, household = row
        return gap.policy.id, household.household_id if household else None

    def cells(self, row: Row) -> list:
        gap, household = row
        if household is None:
            return [shown(t("policy_delivery.gap_count", title=gap.policy.title,
                            count=gap.count), "bold"), Text()]
        return [Text(), shown(t("policy_delivery.gap_line", group=household.group,
                                number=household.number, head=household.head))]

    def describe(self, row: Row) -> Text:
        gap, _ = row
        text = shown(gap.policy.title, "bold")
        if gap.policy.qualifies:
            text.append("\n")
            text.append_text(shown(gap.policy.qualifies, "dim"))
        return text

    @on(DataTable.RowSelected, "#rows")  # Enter, after the keys typed before it
    @changes_data
    def action_log_visit(self) -> None:
        row = self.current()
        if row is None or row[1] is None:
            tell(self, t("visit.pick_household"))
            return
        self.app.push_screen(VisitScreen(row[1].household_id))
