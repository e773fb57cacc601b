import datetime as dt

from models.core.i18n import t
from models.duty.entities import CalendarDay, PublishedYear
from models.errands.entities import Errand, ServiceItem
from models.errands.intake import IntakeForm, due_date_for, register_errand
from screens.calendar import CalendarScreen
from screens.errand import ErrandScreen
from screens.queue import QueueScreen
from screens.receipt import ReceiptScreen
from screens.widgets.keybar import KeyBar

from .conftest import SIZE, screen_text, settle


async def open_calendar(app, pilot) -> None:
    await settle(pilot)
    app.push_screen(CalendarScreen())
    await settle(pilot)


async def test_years_turn_with_the_arrow_keys_shown_on_the_key_line(app, station):
    this_year = dt.date.today().year
    async with app.run_test(size=SIZE) as pilot:
        await open_calendar(app, pilot)
        keys = str(app.screen.query_one(KeyBar).render())
        assert f"← {t('key.prev_year')}" in keys and f"→ {t('key.next_year')}" in keys
        await pilot.press("right")
        await settle(pilot)
        assert f"{this_year + 1}-01-01" in screen_text(app)
        await pilot.press("left", "left")
        await settle(pilot)
        text = screen_text(app)
        assert f"{this_year - 1}-01-01" in text and f"{this_year + 1}-01-01" not in text


async def test_station_head_enters_next_years_schedule(app, station):
    next_year = dt.date.today().year + 1  # not in the library: not yet published
    async with app.run_test(size=SIZE) as pilot:
        await open_calendar(app, pilot)
        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        assert t("calendar.unofficial_year", year=next_year) in text
        assert t("calendar.by_law") in text  # 春节 and the rest, computed
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*f"{next_year}-01-31 至 {next_year}-02-08 春节", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert f"{next_year}-01-31" in text and t("calendar.entered") in text
        assert t("calendar.unofficial_year", year=next_year) in text  # entered ≠ published
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"0230 休", "enter")  # nonsense: refused, nothing saved
        await settle(pilot)
        await pilot.press("p")  # the whole notice is in: published
        await settle(pilot)
        assert t("calendar.official", year=next_year) in screen_text(app)
    assert [(r.day, r.kind, r.name) for r in CalendarDay.select().order_by(CalendarDay.day)] \
        == [(dt.date(next_year, 1, 31) + dt.timedelta(days=i), "holiday", "春节")
            for i in range(9)]
    assert [y.year for y in PublishedYear.select()] == [next_year]


async def test_a_2027_due_date_skips_the_festival_and_says_so(app, station, villagers,
                                                             head_session):
    pension = ServiceItem.get(ServiceItem.name == "养老金领取申请")  # 10 working days
    errand = register_errand(IntakeForm(villagers["张三"].id, pension.id, "carried"),
                             station.id, head_session)
    intake = dt.date(2027, 1, 25)  # 除夕 is 02-05, 初三 02-08
    Errand.update(created_at=dt.datetime.combine(intake, dt.time(9)),
                  due_date=due_date_for(pension, intake)).where(Errand.id == errand.id).execute()
    note = "  " + t("calendar.unofficial", years="2027")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        text = screen_text(app)
        assert t("queue.due_unofficial", date="2027-02-10") in text
        assert t("queue.unofficial") in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ErrandScreen)
        assert f"2027-02-10{note}" in screen_text(app).replace("\n", "")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        assert f"2027-02-10{note}" in screen_text(app).replace("\n", "")


def test_a_due_date_moved_by_the_calendar_says_why_in_the_history(station, villagers,
                                                                   head_session):
    from models.core.entities import Event
    from models.core.i18n import moment
    from models.duty.holidays import set_calendar_days
    from screens.event_words import describe_event
    pension = ServiceItem.get(ServiceItem.name == "养老金领取申请")
    errand = register_errand(IntakeForm(villagers["张三"].id, pension.id, "carried"),
                             station.id, head_session)
    Errand.update(created_at=dt.datetime(2027, 1, 25, 9),
                  due_date=dt.date(2027, 2, 10)).where(Errand.id == errand.id).execute()
    set_calendar_days(dt.date(2027, 2, 9), dt.date(2027, 2, 9), "holiday", "春节", head_session)
    event = Event.get((Event.entity == "errand") & (Event.action == "calendar"))
    assert describe_event(event, {}) == "；".join(
        [t("history.calendar_moved"), t("history.due_date", value=moment(dt.date(2027, 2, 11)))])
