import datetime as dt

from models.core.i18n import t
from models.duty.entities import CalendarDay
from screens.calendar import CalendarScreen

from .conftest import SIZE, screen_text, settle


async def test_station_head_enters_next_years_schedule(app, station):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CalendarScreen())
        await settle(pilot)
        this_year = dt.date.today().year
        await pilot.press("right")
        await settle(pilot)
        if this_year + 1 == 2027:
            assert t("calendar.unofficial_year", year=2027) in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*f"{this_year + 1}-02-06 休 春节", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert f"{this_year + 1}-02-06" in text and t("calendar.entered") in text
        assert t("calendar.official", year=this_year + 1) in text
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"0230 休", "enter")  # nonsense: refused, nothing saved
        await settle(pilot)
    assert [(r.day, r.kind, r.name) for r in CalendarDay.select()] == [
        (dt.date(this_year + 1, 2, 6), "holiday", "春节")]
