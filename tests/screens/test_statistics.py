"""The statistics screen, by key presses: this month's figures, the month before, a
span typed as dates, a span refused, figures current when shown again, the
month's visits and disputes, and the sections kept apart on screen."""
import datetime as dt
import itertools

import pytest
from textual.widgets import DataTable

from models.core.entities import VillagerGroup
from models.core.i18n import t
from models.errands.entities import Errand, ServiceItem
from models.people.entities import Household
from models.reports.figures import Period
from models.village.entities import Dispute, Risk, Visit

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


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_visits_and_disputes_this_month(app, station, admin, hua, size):
    """Two households, one visited twice by the head; a high-risk dispute found by
    李华: the tiles and the cadres' columns say so, wide and at 80×24."""
    group = VillagerGroup.get((VillagerGroup.station == station) & (VillagerGroup.number == 1))
    homes = [Household.create(group=group, number=number) for number in ("01001", "01002")]
    early = dt.datetime.combine(dt.date.today(), dt.time(0, 0, 1))
    for _ in range(2):
        Visit.create(household=homes[0], cadre=admin, visited_at=early, duties=["policy"])
    Dispute.create(station=station, number="JF2026-0001", title="宅基地", kind="land",
                   risk=Risk.HIGH, found_on=dt.date.today(), review_due=dt.date.today(),
                   owner=hua)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert tile(app, "visits").startswith("2")
        assert tile(app, "coverage").startswith("50%") and "1/2" in tile(app, "coverage")
        assert tile(app, "disputes_found").startswith("1")
        assert tile(app, "disputes_settled").startswith("0")
        assert tile(app, "open_high_risk").startswith("1")
        assert t("stats.village") in screen_text(app)
        table = app.screen.query_one("#stats-cadres", DataTable)
        assert [str(cell) for cell in table.get_row(str(admin.id))[-3:]] == ["2", "1", "0/0/0"]
        assert [str(cell) for cell in table.get_row(str(hua.id))[-3:]] == ["0", "0", "1/0/0"]


CHART_GLYPHS = set("▁▂▃▄▅▆▇█")


def glyphs_in(app, widget) -> set[str]:
    """The chart glyphs drawn on screen inside a widget's visible region."""
    x, y, width, height = widget.region.intersection(app.screen.query_one("#stats-body").region)
    lines = app.screen._compositor.render_strips()[y:y + height]
    return {glyph for line in lines for glyph in line.crop(x, x + width).text} & CHART_GLYPHS


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_the_charts_stay_clear_of_the_cadres(app, errands, size):
    """This month and the last, wide and at 80×24: no two parts of the figures share
    a cell, and the cadres' rows carry no chart glyph (the marks at the rows' right
    are the body's scrollbar, outside the table)."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        for month in ("this", "last"):
            screen = app.screen
            body, cadres = screen.query_one("#stats-body"), screen.query_one("#stats-cadres")
            parts = [w for w in body.query("*") if w.display and not w.children]
            assert [(a, b) for a, b in itertools.combinations(parts, 2)
                    if a.region.overlaps(b.region)] == [], month
            body.scroll_to_widget(cadres, animate=False, top=True)
            await pilot.pause()
            assert body.region.contains_region(cadres.region), month
            assert glyphs_in(app, cadres) == set(), month
            assert glyphs_in(app, screen.query_one("#intake-line")), month  # drawn at all
            body.scroll_home(animate=False)
            await pilot.press("left")
            await settle(pilot)
