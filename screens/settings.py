"""The station head's settings: names, the callback and nights rules, the shifts.

Ctrl+N adds a shift of the day (a 24-hour "值班 08:00-08:00" or another); Ctrl+R
removes the one whose field has the cursor, after saying how many shifts still to
come go with it. What was typed in the form meanwhile stays."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from models.core.i18n import t
from models.station.settings import (
    SettingsForm,
    add_shift_template,
    nights_field,
    remove_shift_template,
    settings_of,
    shift_line,
    shifts_to_drop,
    update_settings,
)

from .dbwork import run_db
from .session import session_of, station_read
from .widgets.dialogs import ChoiceScreen, PromptScreen
from .widgets.fields import Field, FieldForm
from .widgets.keybar import KeyBar
from .widgets.shown import tell


class SettingsScreen(Screen):
    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("enter", "next_field", show=False, id="settings.next"),
        Binding("escape", "back", t("key.back"), id="settings.back"),
        Binding("ctrl+s", "save", t("key.save"), id="settings.save"),
        Binding("ctrl+n", "add_shift", t("settings.key.add_shift"), id="settings.add_shift"),
        Binding("ctrl+r", "remove_shift", t("settings.key.remove_shift"),
                id="settings.remove_shift"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.station = None
        self.templates = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="settings-box") as box:
            box.border_title = t("settings.title")
            yield Static(t("settings.intro"))
            yield Static(t("settings.shifts_hint"), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("settings.title")
        if not session_of(self).is_head:
            tell(self, t("settings.admin_only"), "warning")
            self.app.pop_screen()
            return
        self.load()

    def load(self) -> None:
        run_db(self, settings_of, session_of(self).station_id, then=self._loaded,
               group="load")

    async def _loaded(self, loaded) -> None:
        typed = self.query_one(FieldForm).values() if self.query(FieldForm) else {}
        focused = self.focused.id if self.focused is not None else None
        self.station, self.templates = loaded
        station = self.station
        fields = [Field("station_name", t("setup.station_name"), station.name),
                  Field("township", t("setup.township"), station.township),
                  Field("callback_days", t("settings.callback_days"),
                        str(station.callback_days), max_length=3),
                  Field("nights_required", t("settings.nights_required"),
                        nights_field(station), t("settings.nights_hint"), max_length=8),
                  Field("shared_login", t("settings.shared_login"),
                        station.shared_login or "", t("settings.shared_login_hint"),
                        max_length=33),
                  Field("duty_phone", t("settings.duty_phone"), station.duty_phone,
                        t("settings.duty_phone_hint"), max_length=20),
                  Field("opening_hours", t("settings.opening_hours"),
                        station.opening_hours, t("settings.opening_hours_hint"),
                        max_length=60)]
        fields += [Field(f"shift_{tp.id}", t("settings.shift", number=index + 1),
                         shift_line(tp), max_length=40)
                   for index, tp in enumerate(self.templates)]
        await self.query(FieldForm).remove()
        form = FieldForm(fields)
        await self.query_one("#settings-box").mount(form)  # its fields exist after this
        form.set_values(typed)  # a shift added or removed: what was typed stays
        names = [f"field-{field.name}" for field in fields]
        self.query_one(f"#{focused}" if focused in names else "#field-station_name").focus()

    def action_next_field(self) -> None:
        if self.query(FieldForm):
            self.query_one(FieldForm).next_or_save(self.action_save)

    def action_save(self) -> None:
        if not self.query(FieldForm):
            return
        values = self.query_one(FieldForm).values()
        form = SettingsForm(values["station_name"], values["township"],
                            values["callback_days"], values["nights_required"],
                            {tp.id: values[f"shift_{tp.id}"] for tp in self.templates},
                            values["shared_login"], values["duty_phone"],
                            values["opening_hours"])
        run_db(self, update_settings, self.station.id, self.station.version, form,
               session_of(self), then=self._saved,
               failed=self.query_one(FieldForm).show_problem, group="save")

    def _saved(self, station) -> None:
        tell(self, t("settings.saved"))
        self.app.pop_screen()

    def action_add_shift(self) -> None:
        def given(line: str | None) -> None:
            if line and line.strip():
                run_db(self, add_shift_template, self.station.id, line, session_of(self),
                       then=lambda template: self._changed(
                           t("settings.shift_added", name=template.name)),
                       failed=self.query_one(FieldForm).show_problem, group="shift")
        self.app.push_screen(PromptScreen(t("settings.add_shift_title"),
                                          t("settings.add_shift_placeholder")), given)

    def action_remove_shift(self) -> None:
        focused = self.focused.id if self.focused is not None else ""
        template = next((tp for tp in self.templates
                         if focused == f"field-shift_{tp.id}"), None)
        if template is None:
            tell(self, t("settings.pick_shift"), "warning")
            return

        def chosen(choice: str | None) -> None:
            if choice == "yes":
                run_db(self, remove_shift_template, template.id, session_of(self),
                       then=lambda count: self._changed(
                           t("settings.shift_removed", count=count)),
                       failed=self.query_one(FieldForm).show_problem, group="shift")

        def ask(count: int) -> None:
            self.app.push_screen(ChoiceScreen(
                t("settings.key.remove_shift"),
                [("no", t("settings.remove_shift_no")),
                 ("yes", t("settings.remove_shift_yes"))],
                hint=t("settings.remove_shift_confirm", name=template.name, count=count)),
                chosen)
        run_db(self, station_read(self, shifts_to_drop), template.id, then=ask, group="shift",
               hold_keys=True)

    def _changed(self, message: str) -> None:
        tell(self, message)
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
