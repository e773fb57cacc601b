"""The station's cadres (station head): add, edit, deactivate or take back, the
villager groups each covers and since when, and a deactivated cadre's open
errands to hand on."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import (
    DataTable,
    Label,
    RadioButton,
    RadioSet,
    Static,
)

from models.core.i18n import t
from models.core.session import STATION_ROLES, Role
from models.core.validation import mask_phone
from models.errands.entities import status_label
from models.station.cadres import (
    CadreForm,
    CadreRow,
    add_cadre,
    open_errands_of,
    set_cadre_active,
    team,
    update_cadre,
)
from models.station.pins import set_pin
from models.station.team import groups_of

from .dbwork import run_db
from .errand import ErrandScreen
from .errand_actions import ERRAND_BINDINGS, ErrandActions
from .session import session_of, station_read
from .widgets.dialogs import ChoiceScreen
from .widgets.fields import Field, FieldForm
from .widgets.form_dialog import FormDialog
from .widgets.shown import shown, tell
from .widgets.table_screen import TableScreen
from .widgets.toggles import Radio, Tick, pressed_value


class CadreFormScreen(FormDialog):
    CSS_PATH = "cadres.tcss"

    def __init__(self, cadre=None, groups=(), covered: list[int] = ()) -> None:
        super().__init__(cadre)
        self.groups, self.covered = list(groups), set(covered)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("cadre_form.edit" if self.row else "cadre_form.new")
            yield FieldForm([Field("name", t("cadre.name"), max_length=40),
                             Field("login", t("cadre.login"), placeholder=t("cadre.login_hint"),
                                   max_length=40),
                             Field("phone", t("cadre.phone"), placeholder=t("cadre.phone_hint"),
                                   max_length=24)])
            with RadioSet(id="role"):
                for role in STATION_ROLES:
                    yield Radio(t(f"role.{role}"), value=role is Role.DUTY, id=f"role-{role}")
            yield Tick(t("cadre.stays"), value=True, id="stays")
            yield Label(t("cadre.groups"))
            with Grid(id="groups"):
                for group in self.groups:
                    yield Tick(Content(group.name), group.id in self.covered,
                               id=f"group-{group.id}")
            yield Static(t("admin.form_keys"), classes="hint")

    def fill(self, cadre) -> None:
        self.query_one(FieldForm).set_values(
            {"name": cadre.name, "login": cadre.login or "", "phone": cadre.phone})
        self.query_one(f"#role-{cadre.role}", RadioButton).value = True
        self.query_one("#stays", Tick).value = cadre.stays_in_village

    def action_confirm(self) -> None:
        form = CadreForm(**self.query_one(FieldForm).values(),
                         role=pressed_value(self.query_one(RadioSet), "role-"),
                         stays_in_village=self.query_one("#stays", Tick).value,
                         group_ids=[g.id for g in self.groups
                                    if self.query_one(f"#group-{g.id}", Tick).value])
        if self.row is None:
            self.save(add_cadre, form, session_of(self))
        else:
            self.save(update_cadre, self.row.id, self.row.version, form, session_of(self))


class PinDialog(FormDialog):
    """The head sets (or, left empty, clears) a cadre's PIN for the shared login."""
    CSS_PATH = "cadres.tcss"

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = t("pin.for", name=shown(self.row.name).plain)
            yield FieldForm([Field("pin", t("pin.label"), placeholder=t("pin.hint"),
                                   max_length=8, password=True)])
            yield Static(t("admin.form_keys"), classes="hint")

    def fill(self, cadre) -> None:
        pass  # a PIN is never shown, only typed anew

    def action_confirm(self) -> None:
        self.save(set_pin, self.row.id, self.query_one(FieldForm).values()["pin"],
                  session_of(self))


def coverage_text(row: CadreRow) -> Text:
    text = Text()
    text.append(t("cadres.coverage"), style="bold")
    if not row.coverage:
        text.append(t("cadres.no_coverage"), style="dim")
    for cover in row.coverage:
        text.append("\n  " + cover.group.name + "  ")
        text.append(t("cadres.span", since=cover.since.isoformat(), until=cover.until.isoformat())
                    if cover.until else t("cadres.since", since=cover.since.isoformat()))
    return text


class CadresScreen(TableScreen):
    CSS_PATH = "cadres.tcss"
    TITLE_KEY = "cadres.title"
    COLUMNS = ("cadre.name", "cadre.login", "cadre.phone", "cadre.role", "cadres.col.stays",
               "cadres.col.groups", "cadres.col.open", "cadres.col.state")
    BINDINGS = [
        Binding("f2", "add", t("key.add_cadre"), id="cadres.add"),
        Binding("enter", "edit", t("key.edit"), priority=True, id="cadres.edit"),
        Binding("x", "toggle_active", t("key.deactivate"), id="cadres.deactivate"),
        Binding("o", "open_errands", t("key.open_errands"), id="cadres.errands"),
        Binding("p", "set_pin", t("key.set_pin"), id="cadres.pin"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.groups = []

    def load(self) -> tuple:
        return (lambda station_id: (team(station_id), groups_of(station_id)),
                session_of(self).station_id)

    def _show(self, loaded) -> None:
        rows, self.groups = loaded
        super()._show(rows)

    def cells(self, row: CadreRow) -> list:
        cadre = row.cadre
        style = "" if cadre.active else "dim"
        return [Text(cadre.name, style=style), Text(cadre.login or "", style=style),
                mask_phone(cadre.phone), t(f"role.{cadre.role}"),
                t("cadres.stays") if cadre.stays_in_village else "",
                Text("、".join(str(g.number) for g in row.groups)),
                str(row.open_errands) if row.open_errands else "",
                t("cadres.active" if cadre.active else "cadres.inactive")]

    def key(self, row: CadreRow) -> int:
        return row.cadre.id

    describe = staticmethod(coverage_text)

    def action_add(self) -> None:
        self.app.push_screen(CadreFormScreen(groups=self.groups))

    @on(DataTable.RowSelected, "#rows")
    def action_edit(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(CadreFormScreen(row.cadre, self.groups,
                                                 [g.id for g in row.groups]))

    def action_set_pin(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(PinDialog(row.cadre))

    def action_toggle_active(self) -> None:
        row = self.current()
        if row is None:
            return
        cadre, active = row.cadre, not row.cadre.active

        def decide(choice: str | None) -> None:
            if choice == "yes":
                run_db(self, set_cadre_active, cadre.id, cadre.version, active,
                       session_of(self), then=lambda saved: self._toggled(saved, row),
                       group="save")
        self.app.push_screen(ChoiceScreen(
            t("cadres.confirm_activate" if active else "cadres.confirm_deactivate",
              name=cadre.name),
            [("yes", t("cadres.activate" if active else "cadres.deactivate")),
             ("no", t("key.cancel"))],
            hint="" if active else t("cadres.deactivate_hint")), decide)

    def _toggled(self, cadre, row: CadreRow) -> None:
        self.reload()
        tell(self, t("cadres.activated" if cadre.active else "cadres.deactivated",
                          name=cadre.name))
        if not cadre.active and row.open_errands:
            self.app.push_screen(CadreErrandsScreen(cadre.id, cadre.name))

    def action_open_errands(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(CadreErrandsScreen(row.cadre.id, row.cadre.name))


class CadreErrandsScreen(ErrandActions, TableScreen):
    """A cadre's open errands, to hand each to another cadre (o) — after a
    deactivation, or when someone is away."""

    CSS_PATH = "cadres.tcss"
    TITLE_KEY = "cadre_errands.title"
    COLUMNS = ("errand.number", "errand.person", "errand.item", "errand.status", "errand.due")
    BINDINGS = [Binding("enter", "open", t("key.open"), priority=True, id="cadre_errands.open"),
                *ERRAND_BINDINGS]

    def __init__(self, cadre_id: int, name: str) -> None:
        super().__init__()
        self.cadre_id, self.cadre_name = cadre_id, name

    def load(self) -> tuple:
        return station_read(self, open_errands_of), self.cadre_id

    def cells(self, errand) -> list:
        return [errand.number, Text(errand.resident.name), Text(errand.item.name),
                status_label(errand.status, errand.mode), errand.due_date.isoformat()]

    def _show(self, rows: list) -> None:
        super()._show(rows)
        self.sub_title = t("cadre_errands.count", name=self.cadre_name, count=len(rows))

    def current_errand_id(self) -> int | None:
        errand = self.current()
        return errand.id if errand else None

    def errand_changed(self) -> None:
        self.reload()

    @on(DataTable.RowSelected, "#rows")
    def action_open(self) -> None:
        errand_id = self.current_errand_id()
        if errand_id is not None:
            self.app.push_screen(ErrandScreen(errand_id))
