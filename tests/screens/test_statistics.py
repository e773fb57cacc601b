"""The statistics screen, by key presses: this month's figures, the month before, a
span typed as dates, a span refused, and figures current when shown again."""
import datetime as dt

import pytest

from models.core.i18n import t
from models.errands.entities import Errand, ServiceItem
from models.reports.figures import Period

from .conftest import SIZE, burst, screen_text, settle


@pytest.fixture
def errands(station, admin, zhang):
    item = ServiceItem.get(ServiceItem.name == "村委会证明开具")
    item.name = "[/bar]证明"  # a name that is not markup
    item.save()
    today = dt.date.today()
    made = []

    def errand(created: dt.datetime, status="registered", delivered=None):
        made.append(Errand.create(
            number=f"{created.year}-{len(made) + 1:06d}", station=station, resident=zhang,
            item=item, mode="on_the_spot", status=status, owner=admin, created_at=created,
            due_date=created.date(), delivered_at=delivered, closed_at=delivered))

    now = dt.datetime.combine(today, dt.time(0, 5))
    errand(now, "delivered", now)
    errand(now, "delivered", now)
    last_month = Period.month(today.year, today.month).first - dt.timedelta(days=1)
    errand(dt.datetime.combine(last_month, dt.time(9)))
    return made


def tile(app, name: str) -> str:
    return str(app.screen.query_one(f"#tile-{name}").render())


async def test_this_month_last_month_and_a_span(app, errands, admin):
    today = dt.date.today()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert tile(app, "registered").startswith("2")
        assert tile(app, "completed").startswith("2")
        text = screen_text(app)
        assert t("stats.month", year=today.year, month=today.month) in text
        assert "[/bar]证明" in text and admin.name in text
        await pilot.press("left")
        await settle(pilot)
        before = Period.month(today.year, today.month).first - dt.timedelta(days=1)
        assert t("stats.month", year=before.year, month=before.month) in screen_text(app)
        assert tile(app, "registered").startswith("1")
        assert tile(app, "completed").startswith("0")
        await pilot.press("r")
        await burst(pilot, *f"{before:%Y-%m}-01至{today:%Y-%m-%d}", "enter")
        text = screen_text(app)
        assert t("stats.span", first=f"{before:%Y-%m}-01", last=today.isoformat()) in text
        assert tile(app, "registered").startswith("3")


async def test_a_span_refused_leaves_the_period(app, errands):
    today = dt.date.today()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("r")
        await burst(pilot, *"[/bar]春节", "enter")
        assert t("stats.month", year=today.year, month=today.month) in screen_text(app)
        assert any(note.message.startswith(t("stats.period.unreadable", text="")[:3])
                   for note in app._notifications)


async def test_figures_are_current_when_shown_again(app, errands, station, admin, zhang):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert tile(app, "registered").startswith("2")
        await pilot.press("r")  # a screen over the figures while another desk registers
        await settle(pilot)
        first = errands[0]
        Errand.create(number="9999-000001", station=station, resident=zhang,
                      item=first.item, mode="carried", owner=admin,
                      due_date=dt.date.today())
        await pilot.press("escape")
        await settle(pilot)
        assert tile(app, "registered").startswith("3")
