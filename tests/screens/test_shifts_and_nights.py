"""Issue 10's roster and nights by keys: a one-shift-a-day station made in settings
and its month generated, "stayed tonight" before 18:00, the head's night
correction and a missed shift's reason."""
import datetime as dt

import pytest
from textual.widgets import DataTable

from models.core.entities import Cadre, Event
from models.core.i18n import t
from models.duty.entities import NightStay, Shift, ShiftTemplate
from models.duty.hours import month_days, next_month, templates_of
from models.duty.nights import correct_night
from models.station.settings import SettingsForm, add_shift_template, update_settings
from screens.event_words import describe_event
from screens.duty import DutySummaryScreen
from screens.home import HomeScreen
from screens.roster import RosterPreviewScreen, RosterScreen
from screens.settings import SettingsScreen
from screens.widgets.dialogs import ChoiceScreen, PromptScreen

from .conftest import screen_text, settle

TODAY = dt.date.today()
NEXT_YEAR, NEXT_MONTH = next_month(TODAY.year, TODAY.month)


@pytest.fixture
def crew(station, admin):
    return [admin] + [Cadre.create(station=station, name=name, login=f"c{n}")
                      for n, name in enumerate(("李明", "张伟", "[b]赵[/b]"))]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_new_station_makes_its_day_one_24_hour_shift_and_generates(app, station,
                                                                           crew, size):
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"值班 08:00-08:00", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        duty = ShiftTemplate.get(ShiftTemplate.name == "值班")
        assert app.screen.query_one(f"#field-shift_{duty.id}").value == "值班 08:00-08:00"
        app.screen.query_one("#field-station_name").focus()
        await pilot.press("ctrl+r")  # not on a shift: nothing to remove
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        for name in ("日班", "夜班"):
            template = ShiftTemplate.get(ShiftTemplate.name == name)
            app.screen.query_one(f"#field-shift_{template.id}").focus()
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            assert t("settings.remove_shift_confirm", name=name, count=0) in screen_text(app)
            await pilot.press("down", "enter")  # 删除
            await settle(pilot)
            assert isinstance(app.screen, SettingsScreen)
        assert [tp.id for tp in templates_of(station.id)] == [duty.id]
        only = app.screen.query_one(f"#field-shift_{duty.id}")
        only.focus()
        await pilot.press("ctrl+r", "down", "enter")  # the last one stays
        await settle(pilot)
        assert t("settings.last_shift") in screen_text(app)
        assert [tp.id for tp in templates_of(station.id)] == [duty.id]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        await pilot.press("w", "right_square_bracket")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, RosterPreviewScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        days = month_days(NEXT_YEAR, NEXT_MONTH)
        shifts = list(Shift.select().where(Shift.day.between(days[0], days[-1]))
                      .order_by(Shift.day))
        assert [s.day for s in shifts] == days and all(s.template_id == duty.id
                                                       for s in shifts)
        assert None not in [s.cadre_id for s in shifts]
        assert all(a.cadre_id != b.cadre_id for a, b in zip(shifts, shifts[1:]))
        assert all(s.ends_at - s.starts_at == dt.timedelta(hours=24) for s in shifts)
        grid = app.screen.query_one(DataTable)
        assert len(grid.columns) == 4 + 1 + 1  # the fixed columns, 值班, leave
        assert t("roster.no_gaps") in screen_text(app)


async def test_stayed_tonight_only_from_six_in_the_evening(app, station, admin,
                                                          monkeypatch):
    import models.duty.hours as hours
    clock = {"now": dt.datetime.combine(TODAY, dt.time(17, 30))}
    monkeypatch.setattr(hours, "_now", lambda: clock["now"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert NightStay.select().count() == 0
        assert t("duty.night_too_early", starts="18:00") in [
            n.message for n in app._notifications]
        clock["now"] = dt.datetime.combine(TODAY, dt.time(20, 5))
        await pilot.press("n")
        await settle(pilot)
    night = NightStay.get()
    assert (night.cadre_id, night.night, night.source) == (admin.id, TODAY, "mark")


async def test_the_head_corrects_a_night_in_the_month_summary(app, station, admin, crew):
    yesterday = TODAY - dt.timedelta(days=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(DutySummaryScreen(yesterday.year, yesterday.month))
        await settle(pilot)
        assert t("duty.note.none") in screen_text(app)
        await pilot.press("down")  # 李明
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # 补记一晚
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*f"{yesterday:%m-%d}", "enter")  # no reason: refused
        await settle(pilot)
        assert NightStay.select().count() == 0
        await pilot.press("c", "enter")
        await settle(pilot)
        await pilot.press(*f"{yesterday:%m-%d} 在村调解纠纷", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DutySummaryScreen)
        assert t("duty.note.added", name="李明", night=f"{yesterday:%m-%d}",
                 reason="在村调解纠纷") in screen_text(app)
    night = NightStay.get()
    assert (night.cadre_id, night.source, night.reason) == (crew[1].id, "correction",
                                                            "在村调解纠纷")
    assert Event.get((Event.entity == "night") & (Event.action == "correct")).actor_id \
        == admin.id


async def test_the_head_records_why_a_shift_was_missed(app, station, crew):
    started = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=2)
    template = templates_of(station.id)[0]
    shift = Shift.create(station=station, template=template, day=started.date(),
                         starts_at=started, ends_at=started + dt.timedelta(hours=12),
                         cadre=crew[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(RosterScreen(started.year, started.month))
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        table.move_cursor(row=started.day - 1, column=4, animate=False)
        await settle(pilot)
        assert t("roster.missed_unexplained", day=f"{started:%m-%d}", shift=template.name,
                 name="李明") in screen_text(app)
        assert "李明" + t("roster.missed_mark") in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"去镇里开会", "enter")
        await settle(pilot)
        assert t("roster.missed_status", day=f"{started:%m-%d}", shift=template.name,
                 name="李明", reason="去镇里开会") in screen_text(app)
    assert Shift.get_by_id(shift.id).missed_reason == "去镇里开会"


def test_the_audit_words_the_new_events(station, head_session, crew):
    add_shift_template(station.id, "值班 08:00-08:00", head_session)
    correct_night(crew[1].id, TODAY, True, "在村开会", head_session)
    form = SettingsForm(station.name, station.township, "3", "周一至周五",
                        {tp.id: f"{tp.name} {tp.starts}-{tp.ends}"
                         for tp in templates_of(station.id)})
    update_settings(station.id, station.version, form, head_session)
    words = [describe_event(event, {}) for event in Event.select().order_by(Event.id)]
    assert t("history.change", field=t("audit.entity.shift_template"), before="—",
             after="值班 08:00-08:00") in words
    assert t("history.night_added", night=TODAY.isoformat(), reason="在村开会") in words
    assert t("history.change", field=t("settings.nights_rule"),
             before=t("settings.nights_rule.count"),
             after=t("settings.nights_rule.weekdays")) in words
