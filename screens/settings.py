"""The station head's settings: names, the callback and nights rules, the shifts."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from models.core.i18n import t
from models.station.settings import (
    SettingsForm,
    settings_of,
    shift_line,
    update_settings,
)

from .dbwork import run_db
from .session import session_of
from .widgets.fields import Field, FieldForm
from .widgets.keybar import KeyBar
from .widgets.shown import tell


class SettingsScreen(Screen):
    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("enter", "next_field", show=False, id="settings.next"),
        Binding("escape", "back", t("key.back"), id="settings.back"),
        Binding("ctrl+s", "save", t("key.save"), id="settings.save"),
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
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = t("settings.title")
        if not session_of(self).is_head:
            tell(self, t("settings.admin_only"), "warning")
            self.app.pop_screen()
            return
        run_db(self, settings_of, session_of(self).station_id, then=self._loaded)

    async def _loaded(self, loaded) -> None:
        self.station, self.templates = loaded
        station = self.station
        fields = [Field("station_name", t("setup.station_name"), station.name),
                  Field("township", t("setup.township"), station.township),
                  Field("callback_days", t("settings.callback_days"),
                        str(station.callback_days), max_length=3),
                  Field("nights_required", t("settings.nights_required"),
                        str(station.nights_required), max_length=3),
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
        form = FieldForm(fields)
        await self.query_one("#settings-box").mount(form)  # its fields exist after this
        form.field("station_name").focus()

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

    def action_back(self) -> None:
        self.app.pop_screen()
